package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The repository's one Lambda {@link Context}: what Lambda's runtime hands a handler, for the tests,
 * the local runner and the benchmark harness.
 *
 * <ul>
 *   <li>{@link #LambdaContext()} and {@link #LambdaContext(LongSupplier)}: a test's context, function
 *       {@code test}, 1024 MB, a random request id, logs to standard output; the remaining time is
 *       900 s or whatever the test's supplier says (for handover and resume tests).
 *   <li>{@link #local(String, long)}: one invocation in the local runner: the function's name, its
 *       timeout counting down from now, log group {@code /local/<name>}.
 *   <li>{@link #launcher(String, String, int, long)}: one invocation in the harness's cold-start child
 *       JVM, named as Lambda names things ({@code /aws/lambda/<name>}), the template's memory and
 *       timeout; the logger writes to standard error without adding line breaks, as Lambda's does.
 *   <li>{@link #builder()}: anything else.
 * </ul>
 *
 * <p>The cold-start launcher carries this class into a child JVM whose classpath is a function's
 * artifact and the launcher only, and times the first invocation: so it needs only JDK and Lambda
 * core types, builds no lambda or method reference, and derives names only when asked for them.
 */
public final class LambdaContext implements Context {
    /** A test's function name, log group and log stream. */
    public static final String TEST_NAME = "test";
    public static final int DEFAULT_MEMORY_MB = 1024;
    /** A test's remaining time: 15 minutes, the longest a Lambda function may run. */
    public static final long DEFAULT_REMAINING_MILLIS = 900_000;
    private static final String FUNCTION_ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";

    private final String requestId;
    private final String functionName;
    /** null: {@code /aws/lambda/<functionName>}. */
    private final String logGroupName;
    private final String logStreamName;
    /** null: the function's ARN in us-east-1 and account 000000000000. */
    private final String invokedFunctionArn;
    private final int memoryLimitInMB;
    /** null: the remaining time counts down to {@link #deadlineNanos}. */
    private final LongSupplier remainingMillis;
    private final long deadlineNanos;
    private final LambdaLogger logger;

    /**
     * Set by {@link LogWatch} while a test runs: wraps every logger a context hands out, so what a
     * handler writes through it is watched. null (always, outside tests): the logger as is.
     */
    static volatile UnaryOperator<LambdaLogger> loggerWatch;

    /** A test's context with 900 s remaining throughout. */
    public LambdaContext() {
        this(new Fixed(DEFAULT_REMAINING_MILLIS));
    }

    /** A test's context whose remaining time the test controls; a negative value is passed on as is. */
    public LambdaContext(LongSupplier remainingMillis) {
        this(UUID.randomUUID().toString(), TEST_NAME, TEST_NAME, TEST_NAME, FUNCTION_ARN_PREFIX + TEST_NAME,
                DEFAULT_MEMORY_MB, remainingMillis, 0, PrintLogger.STDOUT_LINES);
    }

    private LambdaContext(String requestId, String functionName, String logGroupName, String logStreamName,
            String invokedFunctionArn, int memoryLimitInMB, LongSupplier remainingMillis, long deadlineNanos,
            LambdaLogger logger) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.logGroupName = logGroupName;
        this.logStreamName = logStreamName;
        this.invokedFunctionArn = invokedFunctionArn;
        this.memoryLimitInMB = memoryLimitInMB;
        this.remainingMillis = remainingMillis;
        this.deadlineNanos = deadlineNanos;
        this.logger = logger;
    }

    /**
     * One invocation in the local runner: a random request id, the function's timeout counting down
     * from now (never below 0), log group {@code /local/<name>}, stream {@code local}, an ARN in the
     * region {@code local}, 1024 MB, logs to standard output.
     */
    public static LambdaContext local(String functionName, long timeoutMillis) {
        return builder().functionName(functionName)
                .logGroupName("/local/" + functionName)
                .logStreamName("local")
                .invokedFunctionArn("arn:aws:lambda:local:000000000000:function:" + functionName)
                .timeoutMillis(timeoutMillis)
                .build();
    }

    /**
     * One invocation in the cold-start launcher: the given request id, log group
     * {@code /aws/lambda/<name>}, stream {@code bench}, an ARN in us-east-1, the template's memory, its
     * timeout counting down from now (never below 0); the logger writes to standard error as is.
     */
    public static LambdaContext launcher(String requestId, String functionName, int memoryMb, long timeoutMillis) {
        return new LambdaContext(requestId, functionName, null, "bench", null, memoryMb, null,
                System.nanoTime() + timeoutMillis * 1_000_000L, PrintLogger.STDERR_AS_IS);
    }

    /** Defaults: a random request id, function {@code test}, 1024 MB, 900 s remaining, logs to standard output. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return logGroupName != null ? logGroupName : "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn != null ? invokedFunctionArn : FUNCTION_ARN_PREFIX + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long millis = remainingMillis != null
                ? remainingMillis.getAsLong()
                : Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        UnaryOperator<LambdaLogger> watch = loggerWatch;
        return watch == null ? logger : watch.apply(logger);
    }

    /** A context other than the factories' (see {@link LambdaContext#builder()} for the defaults). */
    public static final class Builder {
        private String requestId;
        private String functionName = TEST_NAME;
        private String logGroupName;
        private String logStreamName = TEST_NAME;
        private String invokedFunctionArn;
        private int memoryLimitInMB = DEFAULT_MEMORY_MB;
        private LongSupplier remainingMillis = new Fixed(DEFAULT_REMAINING_MILLIS);
        private long timeoutMillis;
        private LambdaLogger logger = PrintLogger.STDOUT_LINES;

        private Builder() {}

        /** Default: a random UUID. */
        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** Default {@code test}; also names the default log group and ARN. */
        public Builder functionName(String functionName) {
            this.functionName = functionName;
            return this;
        }

        /** Default: {@code /aws/lambda/<function name>}. */
        public Builder logGroupName(String logGroupName) {
            this.logGroupName = logGroupName;
            return this;
        }

        /** Default {@code test}. */
        public Builder logStreamName(String logStreamName) {
            this.logStreamName = logStreamName;
            return this;
        }

        /** Default: {@code arn:aws:lambda:us-east-1:000000000000:function:<function name>}. */
        public Builder invokedFunctionArn(String invokedFunctionArn) {
            this.invokedFunctionArn = invokedFunctionArn;
            return this;
        }

        /** Default 1024. */
        public Builder memoryLimitInMB(int memoryLimitInMB) {
            this.memoryLimitInMB = memoryLimitInMB;
            return this;
        }

        /** The remaining time as the supplier says, passed on as is (default: 900 s throughout). */
        public Builder remainingMillis(LongSupplier remainingMillis) {
            this.remainingMillis = remainingMillis;
            return this;
        }

        /** The remaining time counts down from {@link #build()} over this timeout, and stops at 0. */
        public Builder timeoutMillis(long timeoutMillis) {
            this.remainingMillis = null;
            this.timeoutMillis = timeoutMillis;
            return this;
        }

        /** Default: each message on its own line on standard output. */
        public Builder logger(LambdaLogger logger) {
            this.logger = logger;
            return this;
        }

        public LambdaContext build() {
            return new LambdaContext(requestId != null ? requestId : UUID.randomUUID().toString(), functionName,
                    logGroupName, logStreamName, invokedFunctionArn, memoryLimitInMB, remainingMillis,
                    remainingMillis == null ? System.nanoTime() + timeoutMillis * 1_000_000L : 0, logger);
        }
    }

    /** A remaining time that does not change. */
    private static final class Fixed implements LongSupplier {
        private final long millis;

        Fixed(long millis) {
            this.millis = millis;
        }

        @Override
        public long getAsLong() {
            return millis;
        }
    }

    /** Standard output, a line per message (tests, the local runner), or standard error as is (the launcher). */
    private static final class PrintLogger implements LambdaLogger {
        static final PrintLogger STDOUT_LINES = new PrintLogger(false);
        static final PrintLogger STDERR_AS_IS = new PrintLogger(true);

        private final boolean stderr;

        private PrintLogger(boolean stderr) {
            this.stderr = stderr;
        }

        @Override
        public void log(String message) {
            if (stderr) {
                System.err.print(message);
            } else {
                System.out.println(message);
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
