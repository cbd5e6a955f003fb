package dev.crm.shared.publicaccess;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed-window limit on a public route: at most {@link #limit()} requests per {@link #window()},
 * windows aligned to the epoch so every instance of a function counts into the same window (the count
 * itself lives in the table). A fixed window lets a burst of up to twice the limit straddle a
 * boundary; for abuse control that is fine and costs one counter update per request.
 *
 * <p>The functions' own limits are records implementing this (their constants and the name of what
 * is counted stay theirs), each checking its components with {@link #check}.
 */
public interface FixedWindowLimit {
    /** What is counted, part of the counter's key. */
    String name();

    int limit();

    Duration window();

    /** The components' rules: a name, a limit of at least 1 per a whole number of seconds. */
    static void check(String name, int limit, Duration window) {
        Objects.requireNonNull(name, "name");
        if (limit < 1 || window.getSeconds() < 1 || window.getNano() != 0) {
            throw new IllegalArgumentException("a limit of at least 1 per a whole number of seconds");
        }
    }

    default Instant windowStart(Instant now) {
        long w = window().getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), w) * w);
    }

    default Instant windowEnd(Instant now) {
        return windowStart(now).plus(window());
    }

    /** The count including this request is over the limit. */
    default boolean exceededBy(long count) {
        return count > limit();
    }

    /** Whole seconds until the window ends (at least 1), for {@code Retry-After}. */
    default long retryAfterSeconds(Instant now) {
        long millis = Duration.between(now, windowEnd(now)).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
