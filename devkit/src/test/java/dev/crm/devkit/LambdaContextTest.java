package dev.crm.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What each caller of the one Lambda context gets: tests, the local runner, the cold-start launcher. */
class LambdaContextTest {
    @Test
    void aTestsContextIsFunctionTestWith900SecondsAndARandomRequestId() {
        LambdaContext c = new LambdaContext();
        assertEquals("test", c.getFunctionName());
        assertEquals("test", c.getLogGroupName());
        assertEquals("test", c.getLogStreamName());
        assertEquals("$LATEST", c.getFunctionVersion());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:test", c.getInvokedFunctionArn());
        assertEquals(900_000, c.getRemainingTimeInMillis());
        assertEquals(1024, c.getMemoryLimitInMB());
        assertNull(c.getIdentity());
        assertNull(c.getClientContext());
        UUID.fromString(c.getAwsRequestId());
        assertNotEquals(c.getAwsRequestId(), new LambdaContext().getAwsRequestId());
    }

    @Test
    void aTestsSupplierIsTheRemainingTimeAsIsCappedAtIntMax() {
        long[] budget = {20_000};
        LambdaContext c = new LambdaContext(() -> budget[0] -= 15_000);
        assertEquals(5_000, c.getRemainingTimeInMillis());
        assertEquals(-10_000, c.getRemainingTimeInMillis());
        assertEquals(Integer.MAX_VALUE, new LambdaContext(() -> Long.MAX_VALUE).getRemainingTimeInMillis());
    }

    @Test
    void aLocalInvocationCountsDownTheFunctionsTimeoutAndStopsAtZero() throws InterruptedException {
        LambdaContext c = LambdaContext.local("ContactsFunction", 30_000);
        assertEquals("ContactsFunction", c.getFunctionName());
        assertEquals("/local/ContactsFunction", c.getLogGroupName());
        assertEquals("local", c.getLogStreamName());
        assertEquals("arn:aws:lambda:local:000000000000:function:ContactsFunction", c.getInvokedFunctionArn());
        assertEquals(1024, c.getMemoryLimitInMB());
        UUID.fromString(c.getAwsRequestId());
        int remaining = c.getRemainingTimeInMillis();
        assertTrue(remaining <= 30_000 && remaining > 25_000, "remaining " + remaining);

        LambdaContext expired = LambdaContext.local("ContactsFunction", 1);
        Thread.sleep(20);
        assertEquals(0, expired.getRemainingTimeInMillis());
    }

    @Test
    void aLauncherInvocationIsNamedAsLambdaNamesItWithTheTemplatesMemoryAndTimeout() {
        LambdaContext c = LambdaContext.launcher("bench-1", "TenantsFunction", 512, 10_000);
        assertEquals("bench-1", c.getAwsRequestId());
        assertEquals("TenantsFunction", c.getFunctionName());
        assertEquals("/aws/lambda/TenantsFunction", c.getLogGroupName());
        assertEquals("bench", c.getLogStreamName());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:TenantsFunction", c.getInvokedFunctionArn());
        assertEquals(512, c.getMemoryLimitInMB());
        int remaining = c.getRemainingTimeInMillis();
        assertTrue(remaining <= 10_000 && remaining > 5_000, "remaining " + remaining);
        assertEquals(0, LambdaContext.launcher("bench-2", "TenantsFunction", 512, -1).getRemainingTimeInMillis());
    }

    @Test
    void testsAndTheLocalRunnerLogLinesToStandardOutputTheLauncherToStandardErrorAsIs() {
        String out = captured(false, () -> {
            new LambdaContext().getLogger().log("a");
            LambdaContext.local("F", 1000).getLogger().log("b".getBytes(StandardCharsets.UTF_8));
        });
        assertEquals("a" + System.lineSeparator() + "b" + System.lineSeparator(), out);
        String err = captured(true, () -> {
            LambdaContext launcher = LambdaContext.launcher("bench-1", "F", 512, 1000);
            launcher.getLogger().log("c");
            launcher.getLogger().log("d".getBytes(StandardCharsets.UTF_8));
        });
        assertEquals("cd", err);
    }

    @Test
    void theBuilderStartsFromATestsContext() {
        LambdaContext c = LambdaContext.builder().functionName("SurveysFunction").requestId("r-1")
                .memoryLimitInMB(256).remainingMillis(() -> 42).build();
        assertEquals("r-1", c.getAwsRequestId());
        assertEquals("/aws/lambda/SurveysFunction", c.getLogGroupName());
        assertEquals("test", c.getLogStreamName());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:SurveysFunction", c.getInvokedFunctionArn());
        assertEquals(256, c.getMemoryLimitInMB());
        assertEquals(42, c.getRemainingTimeInMillis());
        assertEquals(900_000, LambdaContext.builder().build().getRemainingTimeInMillis());
    }

    private static String captured(boolean stderr, Runnable r) {
        PrintStream original = stderr ? System.err : System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (stderr) {
            System.setErr(capture);
        } else {
            System.setOut(capture);
        }
        try {
            r.run();
        } finally {
            if (stderr) {
                System.setErr(original);
            } else {
                System.setOut(original);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
