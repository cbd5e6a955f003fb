package dev.crm.devkit;

import dev.crm.shared.config.Settings;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Fails DynamoDB calls at the client, before they reach the table: throttling (which the SDK retries)
 * or a crash (an error nothing retries), for the write operations a test names.
 */
public final class FaultInjector implements ExecutionInterceptor {
    public static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem");

    public enum Mode { NONE, THROTTLE_FIRST_ATTEMPTS, THROTTLE_ALWAYS, CRASH_AFTER }

    private volatile Mode mode = Mode.NONE;
    private volatile Set<String> operations = WRITES;
    private volatile int budget;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    /**
     * The production client ({@link DynamoDbClients}) with this injector in front of it, back-off
     * shortened so suites stay quick and the retry token bucket off so one test's faults cannot starve
     * the next of retries.
     */
    public DynamoDbClient client(Settings settings) {
        BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20));
        return DynamoDbClients.builder(settings, o -> o.addExecutionInterceptor(this)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(quick).throttlingBackoffStrategy(quick).circuitBreakerEnabled(false).build()))
                .build();
    }

    /** Throttles the first {@code attempts} matching calls, then lets everything through. */
    public void throttleFirst(int attempts, Set<String> ops) {
        reset(Mode.THROTTLE_FIRST_ATTEMPTS, attempts, ops);
    }

    public void throttleAlways(Set<String> ops) {
        reset(Mode.THROTTLE_ALWAYS, 0, ops);
    }

    /** Lets {@code n} matching calls through, then fails every later one as a crashed process would. */
    public void crashAfter(int n, Set<String> ops) {
        reset(Mode.CRASH_AFTER, n, ops);
    }

    public void off() {
        mode = Mode.NONE;
    }

    public int injected() {
        return injected.get();
    }

    /** Matching calls since the last mode was set (with {@code crashAfter(Integer.MAX_VALUE, ops)}: a count, no fault). */
    public int calls() {
        return calls.get();
    }

    private void reset(Mode m, int n, Set<String> ops) {
        operations = ops;
        budget = n;
        calls.set(0);
        injected.set(0);
        mode = m;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (mode == Mode.NONE || !operations.contains(op)) {
            return;
        }
        int n = calls.incrementAndGet();
        switch (mode) {
            case THROTTLE_FIRST_ATTEMPTS -> {
                if (n <= budget) {
                    injected.incrementAndGet();
                    throw throttled();
                }
            }
            case THROTTLE_ALWAYS -> {
                injected.incrementAndGet();
                throw throttled();
            }
            case CRASH_AFTER -> {
                if (n > budget) {
                    injected.incrementAndGet();
                    throw new IllegalStateException("injected crash");
                }
            }
            default -> { }
        }
    }

    static ProvisionedThroughputExceededException throttled() {
        return (ProvisionedThroughputExceededException) ProvisionedThroughputExceededException.builder()
                .message("injected throttling")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("injected throttling").serviceName("DynamoDb")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build()).build())
                .build();
    }
}
