package dev.crm.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The log watch, apart from the scrubber: planted test classes (below, never run by the build on their
 * own) write an email address, a phone number, an API key and a signed token through each output a
 * function has, with the scrubber bypassed, and run through a launcher of this test's own with extension
 * autodetection on, as the build runs every test. The watch must fail each of them, naming every kind
 * on the right output, let a declared one through, and put back exactly what it replaced.
 *
 * <p>The planted secrets also pass through this test's own watch (the nested run's outputs forward to
 * it), hence the declaration on each test here.
 */
class LogWatchTest {
    static final String EMAIL = "jane.doe@example.com";
    static final String PHONE = "+44 20 7946 0958";
    static final String KEY = ApiKeys.generate();
    static final String TOKEN = SignedTokens.issue(TenantId.generate(), TenantSecrets.generate(),
            TokenPurpose.PREFERENCES, "c_1", Map.of(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(7));
    static final String PLANTED = "to " + EMAIL + " tel " + PHONE + " key " + KEY + " link https://x.test/p?t=" + TOKEN;
    static final List<String> KINDS = List.of("email address '" + EMAIL + "'", "phone number '" + PHONE + "'",
            "API or operator key '" + KEY + "'", "signed token '" + TOKEN + "'");

    /** Each test plants everything through one output; the last writes only what is not personal. */
    static class Planted {
        @Test
        void throughLogsSink() {
            Log.sink().accept("{\"level\":\"INFO\",\"message\":\"" + PLANTED + "\"}");
        }

        @Test
        void throughSystemOut() {
            System.out.println(PLANTED);
        }

        @Test
        void throughSystemErr() {
            System.err.print(PLANTED); // no line end: what is left unfinished is checked too
        }

        @Test
        void throughTheContextLogger() {
            new LambdaContext().getLogger().log(PLANTED.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void nothingPersonal() {
            Log.info("request", Map.of("status", 200, "arn", "arn:aws:lambda:us-east-1:123456789012:function:f"));
            System.out.println("took 250 ms at 2026-01-01T00:00:00+02:00, 1733500000000, account 123456789012");
            new LambdaContext().getLogger().log("done");
        }
    }

    /** A test that swaps outputs and leaves them swapped, then tests that write through the swapped ones. */
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class LeavesOutputsReplaced {
        @Test
        void a_replaces() {
            Log.sink(line -> { });
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }

        @Test
        void b_writesAfterwards() {
            Log.sink().accept(EMAIL);
            System.out.println(PHONE);
        }
    }

    static class WritesInBeforeAll {
        @BeforeAll
        static void setUp() {
            System.out.println("fixture for " + EMAIL);
        }

        @Test
        void test() {}
    }

    @WritesPersonalData("proves the watch lets a declared test through")
    static class Declared {
        @Test
        void writesAnAddress() {
            System.out.println(EMAIL);
        }
    }

    @Test
    void theBuildRunsThisTestUnderTheWatch() {
        // Registered by autodetection (META-INF/services and the parent pom's surefire configuration), not by this class.
        assertTrue(new LambdaContext().getLogger() instanceof LogWatch.WatchedLogger,
                "LogWatch is not registered: is junit.jupiter.extensions.autodetection.enabled still set for surefire?");
    }

    @Test
    @WritesPersonalData("runs test classes that plant personal data on every output")
    void everyOutputIsWatchedForEveryKindAndNothingElseIsFlagged() {
        Map<String, TestExecutionResult> results = run(Planted.class);
        assertFindings(results.get("throughLogsSink()"), "Log");
        assertFindings(results.get("throughSystemOut()"), "System.out");
        assertFindings(results.get("throughSystemErr()"), "System.err");
        assertFindings(results.get("throughTheContextLogger()"), "LambdaLogger");
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("nothingPersonal()").getStatus(),
                () -> String.valueOf(results.get("nothingPersonal()").getThrowable()));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("Planted").getStatus());
    }

    @Test
    @WritesPersonalData("runs test classes that plant personal data")
    void aReplacedOutputFailsTheTestThatLeftItAndTheWatchIsBackForTheNext() {
        Map<String, TestExecutionResult> results = run(LeavesOutputsReplaced.class);
        String left = message(results.get("a_replaces()"));
        assertTrue(left.contains("Log's sink was replaced"), left);
        assertTrue(left.contains("System.out was replaced"), left);
        String after = message(results.get("b_writesAfterwards()"));
        assertTrue(after.contains("email address '" + EMAIL + "' on Log"), after);
        assertTrue(after.contains("phone number '" + PHONE + "' on System.out"), after);
    }

    @Test
    @WritesPersonalData("runs a test class that plants personal data")
    void whatAClassWritesOutsideItsTestsFailsTheClass() {
        Map<String, TestExecutionResult> results = run(WritesInBeforeAll.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("test()").getStatus());
        String cls = message(results.get("WritesInBeforeAll"));
        assertTrue(cls.contains("email address '" + EMAIL + "' on System.out"), cls);
    }

    @Test
    @WritesPersonalData("runs a test class that plants personal data")
    void aDeclaredTestPassesAndSaysSo() {
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        PrintStream err = System.err;
        Map<String, TestExecutionResult> results;
        System.setErr(new PrintStream(notices, true, StandardCharsets.UTF_8));
        try {
            results = run(Declared.class);
        } finally {
            System.setErr(err);
        }
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("writesAnAddress()").getStatus());
        String notice = notices.toString(StandardCharsets.UTF_8);
        assertTrue(notice.contains("LogWatch: writesAnAddress() wrote personal data by declaration"
                + " (proves the watch lets a declared test through): email address on System.out"), notice);
    }

    /** Runs test classes as the build does, and puts back what was there before, exactly. */
    private static Map<String, TestExecutionResult> run(Class<?> planted) {
        Consumer<String> sink = Log.sink();
        PrintStream out = System.out;
        PrintStream err = System.err;
        UnaryOperator<LambdaLogger> loggers = LambdaContext.loggerWatch;
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(planted))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                // Tests by method name, classes by simple name.
                String name = id.getSource().filter(ClassSource.class::isInstance)
                        .map(s -> ((ClassSource) s).getJavaClass().getSimpleName()).orElse(id.getDisplayName());
                results.put(name, result);
            }
        });
        assertSame(sink, Log.sink(), "Log's sink is put back");
        assertSame(out, System.out, "System.out is put back");
        assertSame(err, System.err, "System.err is put back");
        assertSame(loggers, LambdaContext.loggerWatch, "the context loggers' watch is put back");
        return results;
    }

    private static void assertFindings(TestExecutionResult result, String channel) {
        String message = message(result);
        for (String kind : KINDS) {
            assertTrue(message.contains(kind + " on " + channel), () -> "no " + kind + " on " + channel + " in: " + message);
        }
    }

    private static String message(TestExecutionResult result) {
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus());
        return result.getThrowable().orElseThrow().getMessage();
    }
}
