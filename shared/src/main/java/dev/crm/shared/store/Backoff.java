package dev.crm.shared.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying a write again: after a {@link StoreException.Contention} (another
 * writer got in first), or while the store still leaves part of a batch unprocessed. One policy for
 * every service and adapter; tests pass one that records the attempts instead of sleeping.
 */
@FunctionalInterface
public interface Backoff {
    /** Waits before attempt {@code attempt + 1}. */
    void pause(int attempt);

    /** A few random milliseconds, growing with the attempt, so contending writers spread out. */
    Backoff JITTER = attempt -> sleep(ThreadLocalRandom.current().nextLong(1, 5L + Math.min(attempt, 10) * 5L));

    /** Doubling from {@code firstMillis} up to {@code maxMillis}: for a throttled batch, which needs the table to catch up. */
    static Backoff exponential(long firstMillis, long maxMillis) {
        return attempt -> sleep(Math.min(maxMillis, firstMillis << Math.min(attempt, 20)));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
