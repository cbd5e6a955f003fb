package dev.crm.preferences.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed-window limit: at most {@code limit} requests per {@code window}, windows aligned to the epoch
 * so every instance of the function counts into the same window (the count itself lives in the table).
 * A fixed window lets a burst of up to twice the limit straddle a boundary; for throttling sign-up abuse
 * that is fine and costs one counter update per request.
 *
 * @param name what is counted, part of the counter's key ({@code address}, {@code client})
 */
public record RateLimit(String name, int limit, Duration window) {
    /** Confirmation emails to one address: enough for typos and retries, too few to mail-bomb anyone. */
    public static final RateLimit SUBSCRIBE_PER_ADDRESS = new RateLimit("address", 3, Duration.ofHours(1));
    /** Sign-ups from one client address (an office behind one NAT signs up a few people at most). */
    public static final RateLimit SUBSCRIBE_PER_CLIENT = new RateLimit("client", 20, Duration.ofMinutes(10));

    public RateLimit {
        Objects.requireNonNull(name, "name");
        if (limit < 1 || window.getSeconds() < 1 || window.getNano() != 0) {
            throw new IllegalArgumentException("a limit of at least 1 per a whole number of seconds");
        }
    }

    public Instant windowStart(Instant now) {
        long w = window.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), w) * w);
    }

    public Instant windowEnd(Instant now) {
        return windowStart(now).plus(window);
    }

    /** The count including this request is over the limit. */
    public boolean exceededBy(long count) {
        return count > limit;
    }

    /** Whole seconds until the window ends (at least 1), for {@code Retry-After}. */
    public long retryAfterSeconds(Instant now) {
        long millis = Duration.between(now, windowEnd(now)).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
