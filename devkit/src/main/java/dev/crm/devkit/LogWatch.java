package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.crm.shared.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails the test during which personal data (an email address, a phone number, an API or operator
 * key, a signed token or a JWT, an AWS access key id) reached any output a function can write to:
 * {@link Log}'s sink, {@code System.out}, {@code System.err} and the {@link LambdaContext}'s logger.
 *
 * <p>Registered for every test class of every module whose tests have the kit on their classpath, by
 * JUnit's extension autodetection (this class is named in {@code META-INF/services}; the parent pom
 * turns autodetection on for surefire). Before a test class it installs a watching Log sink, a
 * watching tee on each standard stream and a watching wrapper for context loggers, each forwarding to
 * what it replaced; after the class it puts back exactly what it replaced. Findings are charged to the
 * test during which they were written (or to the class, for {@code @BeforeAll}/{@code @AfterAll}).
 *
 * <p>It cannot be switched off by accident: a test that replaces Log's sink or a standard stream and
 * leaves it replaced fails, and the watch is put back for the tests after it; the only way out is
 * {@link WritesPersonalData}, which names its reason and still prints a notice of what it let through.
 * What a test captures by replacing Log's sink for a while is unwatched for that while unless the
 * capture forwards to the sink it replaced ({@link CapturedLogs} does).
 *
 * <p>Independent of {@link Log#scrub}: the watch looks at what is written, so a scrubber that missed
 * something fails here. A bare run of digits is not a phone number to the watch (timestamps, sizes and
 * the account id in an ARN are such runs); a phone number is international: a plus sign and 7 to 15
 * digits, spaces, dots, dashes or brackets between them allowed.
 */
public final class LogWatch implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** What the watch calls personal, by kind. */
    static final Map<String, Pattern> PERSONAL = Map.of(
            "email address", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
            "phone number", Pattern.compile("(?<![\\w+])\\+[1-9](?:[ ().-]{0,2}[0-9]){6,14}(?![0-9])"),
            "API or operator key", Pattern.compile("crm_(live|op)_[A-Za-z0-9]{20,}"),
            "webhook signing secret", Pattern.compile("whsec_[A-Za-z0-9+/]{20,}"),
            "signed token", Pattern.compile("\\bk[0-9a-z]{8}\\.[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}"),
            "JWT", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}"),
            "AWS access key id", Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"));

    static final String LOG = "Log";
    static final String STDOUT = "System.out";
    static final String STDERR = "System.err";
    static final String CONTEXT_LOGGER = "LambdaLogger";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogWatch.class);
    private static final String WATCH = "watch";

    @Override
    public void beforeAll(ExtensionContext context) {
        // A nested class runs inside its outer class's watch.
        if (context.getStore(NAMESPACE).get(WATCH, Watch.class) == null) {
            context.getStore(NAMESPACE).put(WATCH, Watch.install());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Watch watch = context.getStore(NAMESPACE).get(WATCH, Watch.class);
        if (watch == null) {
            // Only if the class callbacks did not run (a method-level registration): watch this test alone.
            context.getStore(NAMESPACE).put(WATCH, Watch.install());
        } else {
            // What a @BeforeAll wrote is the class's, not this test's.
            watch.setAside();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Watch own = context.getStore(NAMESPACE).remove(WATCH, Watch.class);
        Watch watch = own != null ? own : context.getStore(NAMESPACE).get(WATCH, Watch.class);
        verdict(context, watch, own != null, "this test");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Watch own = context.getStore(NAMESPACE).remove(WATCH, Watch.class);
        if (own != null) {
            verdict(context, own, true, "this class's @BeforeAll, @AfterAll or between its tests");
        }
    }

    private static void verdict(ExtensionContext context, Watch watch, boolean close, String during) {
        List<String> failures = new ArrayList<>();
        List<Finding> findings = close ? watch.drainAll() : watch.drain();
        for (String channel : watch.replaced()) {
            failures.add(channel + " was replaced during " + during + " and not put back: the tests after it"
                    + " would go unwatched (restore what you replaced, in a finally)");
        }
        watch.reinstate();
        if (close) {
            watch.close();
        }
        Optional<WritesPersonalData> allowed = allowance(context);
        if (allowed.isPresent() && !findings.isEmpty()) {
            // Explicit, never silent; the notice names kinds and channels only, so it is clean itself.
            List<String> kinds = findings.stream().map(f -> f.kind() + " on " + f.channel()).distinct().toList();
            watch.notice("LogWatch: " + context.getDisplayName() + " wrote personal data by declaration ("
                    + allowed.get().value() + "): " + String.join(", ", kinds));
        } else {
            for (Finding f : findings) {
                failures.add(f.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("LogWatch: personal data or an unwatched output during " + during + ":\n  "
                    + String.join("\n  ", failures));
        }
    }

    private static Optional<WritesPersonalData> allowance(ExtensionContext context) {
        Optional<WritesPersonalData> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, WritesPersonalData.class));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<WritesPersonalData> onClass = AnnotationSupport.findAnnotation((AnnotatedElement) c,
                    WritesPersonalData.class);
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }

    /** Every match of every kind in a line written to a channel. */
    static List<Finding> scan(String channel, String line) {
        List<Finding> found = new ArrayList<>();
        for (var kind : PERSONAL.entrySet()) {
            var m = kind.getValue().matcher(line);
            while (m.find()) {
                found.add(new Finding(channel, kind.getKey(), m.group(), line));
            }
        }
        return found;
    }

    record Finding(String channel, String kind, String value, String line) {
        @Override
        public String toString() {
            String shown = line.length() > 400 ? line.substring(0, 400) + "…" : line;
            return kind + " '" + value + "' on " + channel + ": " + shown;
        }
    }

    /** The installed watch: what it replaced, what it installed, what it found. */
    static final class Watch {
        private final Consumer<String> previousSink;
        private final PrintStream previousOut;
        private final PrintStream previousErr;
        private final UnaryOperator<LambdaLogger> previousLoggers;
        private final Consumer<String> sink;
        private final LineWatchingStream outLines;
        private final LineWatchingStream errLines;
        private final PrintStream out;
        private final PrintStream err;
        private final UnaryOperator<LambdaLogger> loggers;
        private final List<Finding> findings = new ArrayList<>();
        /** Found outside any test (a @BeforeAll): charged to the class when it ends. */
        private final List<Finding> outsideTests = new ArrayList<>();
        /** Set while a watched output forwards to the one it wraps, so a line is charged to one channel only. */
        private final ThreadLocal<Boolean> forwarding = ThreadLocal.withInitial(() -> false);

        private Watch() {
            previousSink = Log.sink();
            previousOut = System.out;
            previousErr = System.err;
            previousLoggers = LambdaContext.loggerWatch;
            sink = line -> {
                see(LOG, line);
                forward(() -> previousSink.accept(line));
            };
            outLines = new LineWatchingStream(this, STDOUT, previousOut);
            errLines = new LineWatchingStream(this, STDERR, previousErr);
            out = new PrintStream(outLines, true, Charset.defaultCharset());
            err = new PrintStream(errLines, true, Charset.defaultCharset());
            loggers = logger -> new WatchedLogger(this,
                    previousLoggers == null ? logger : previousLoggers.apply(logger));
        }

        /** Installs a watch on every channel, forwarding to what each had. */
        static Watch install() {
            Watch w = new Watch();
            w.reinstate();
            return w;
        }

        /** Puts the watching outputs (back) in place. */
        void reinstate() {
            Log.sink(sink);
            System.setOut(out);
            System.setErr(err);
            LambdaContext.loggerWatch = loggers;
        }

        /** Which channels no longer have this watch's output. */
        List<String> replaced() {
            List<String> gone = new ArrayList<>();
            if (Log.sink() != sink) {
                gone.add("Log's sink");
            }
            if (System.out != out) {
                gone.add(STDOUT);
            }
            if (System.err != err) {
                gone.add(STDERR);
            }
            if (LambdaContext.loggerWatch != loggers) {
                gone.add("the LambdaContext logger watch");
            }
            return gone;
        }

        /** Puts back exactly what {@link #install()} replaced. */
        void close() {
            settle();
            Log.sink(previousSink);
            System.setOut(previousOut);
            System.setErr(previousErr);
            LambdaContext.loggerWatch = previousLoggers;
        }

        /** Checks what the standard streams hold of an unfinished line. */
        void settle() {
            out.flush();
            err.flush();
            outLines.endLine();
            errLines.endLine();
        }

        List<Finding> drain() {
            settle();
            synchronized (findings) {
                List<Finding> all = new ArrayList<>(findings);
                findings.clear();
                return all;
            }
        }

        /** Keeps what was found so far for the class, so that the next test starts with nothing charged. */
        void setAside() {
            settle();
            synchronized (findings) {
                outsideTests.addAll(findings);
                findings.clear();
            }
        }

        /** What was found since the last drain, and what was set aside. */
        List<Finding> drainAll() {
            setAside();
            synchronized (findings) {
                List<Finding> all = new ArrayList<>(outsideTests);
                outsideTests.clear();
                return all;
            }
        }

        void see(String channel, String line) {
            List<Finding> found = scan(channel, line);
            if (!found.isEmpty()) {
                synchronized (findings) {
                    findings.addAll(found);
                }
            }
        }

        boolean forwarding() {
            return forwarding.get();
        }

        void forward(Runnable write) {
            boolean was = forwarding.get();
            forwarding.set(true);
            try {
                write.run();
            } finally {
                forwarding.set(was);
            }
        }

        void notice(String text) {
            forward(() -> previousErr.println(text));
        }
    }

    /** A standard stream's tee: every byte goes on to the stream it wraps; each whole line is scanned. */
    static final class LineWatchingStream extends OutputStream {
        /** A line longer than this is scanned in pieces (a match across a piece's end can be missed). */
        private static final int MAX_LINE = 64 * 1024;

        private final Watch watch;
        private final String channel;
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineWatchingStream(Watch watch, String channel, PrintStream target) {
            this.watch = watch;
            this.channel = channel;
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            target.write(b);
            if (!watch.forwarding()) {
                take((byte) b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            target.write(b, off, len);
            if (!watch.forwarding()) {
                for (int i = off; i < off + len; i++) {
                    take(b[i]);
                }
            }
        }

        @Override
        public void flush() {
            target.flush();
        }

        private void take(byte b) {
            if (b == '\n') {
                endLine();
            } else {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    endLine();
                }
            }
        }

        synchronized void endLine() {
            if (line.size() > 0) {
                watch.see(channel, line.toString(Charset.defaultCharset()));
                line.reset();
            }
        }
    }

    /** A context logger's wrapper: scans each message, then hands it to the logger it wraps. */
    static final class WatchedLogger implements LambdaLogger {
        private final Watch watch;
        private final LambdaLogger logger;

        WatchedLogger(Watch watch, LambdaLogger logger) {
            this.watch = watch;
            this.logger = logger;
        }

        @Override
        public void log(String message) {
            watch.see(CONTEXT_LOGGER, message);
            watch.forward(() -> logger.log(message));
        }

        @Override
        public void log(byte[] message) {
            watch.see(CONTEXT_LOGGER, new String(message, StandardCharsets.UTF_8));
            watch.forward(() -> logger.log(message));
        }
    }
}
