package dev.crm.surveys.domain;

import java.time.Instant;

/**
 * Arithmetic of a per-minute fixed-window rate limit kept in shared counters (one DynamoDB item per
 * client and window, incremented atomically, so every Lambda instance sees the same count).
 *
 * <p>Windows are whole UTC minutes numbered from the epoch; the window id goes into the counter's key,
 * so a new minute starts a new counter and nothing needs resetting. The TTL only cleans up: DynamoDB
 * deletes expired items lazily (sometimes days later), so correctness never depends on it. A fixed
 * window can let up to twice the limit through around a window boundary; for abuse control that is
 * acceptable and costs one write per request instead of a sliding log.
 */
public record FixedWindowRateLimit(int perMinute) {
    public static final long WINDOW_SECONDS = 60;

    /** The outcome for one request: allowed, or refused with the seconds to wait (for {@code Retry-After}). */
    public record Decision(boolean allowed, long retryAfterSeconds) {}

    public FixedWindowRateLimit {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a limit allows at least one request");
        }
    }

    /** The window holding {@code now}: minutes since the epoch (floor, so instants before 1970 work too). */
    public static long windowId(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), WINDOW_SECONDS);
    }

    public static Instant windowStart(long windowId) {
        return Instant.ofEpochSecond(windowId * WINDOW_SECONDS);
    }

    /** The first instant of the next window. */
    public static Instant windowEnd(Instant now) {
        return windowStart(windowId(now) + 1);
    }

    /**
     * Whole seconds until the window ends, rounded up so a client that waits them is in the next window;
     * at least 1 (a {@code Retry-After: 0} invites an immediate retry storm).
     */
    public static long retryAfterSeconds(Instant now) {
        // the window ends on a whole second, so dropping now's fraction of a second rounds up
        long seconds = windowEnd(now).getEpochSecond() - now.getEpochSecond();
        return Math.max(1, seconds);
    }

    /** A TTL for the window's counter item (epoch seconds): one window after it ends, to outlive clock skew. */
    public static long expiresAtEpochSecond(Instant now) {
        return windowEnd(now).getEpochSecond() + WINDOW_SECONDS;
    }

    /**
     * @param countInWindow the window's count including this request (what the atomic increment returned)
     */
    public Decision decide(long countInWindow, Instant now) {
        if (countInWindow <= perMinute) {
            return new Decision(true, 0);
        }
        return new Decision(false, retryAfterSeconds(now));
    }
}
