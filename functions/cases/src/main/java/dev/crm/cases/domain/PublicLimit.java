package dev.crm.cases.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed-window limit on the public case routes: at most {@code limit} requests per {@code window},
 * windows aligned to the epoch so every Lambda instance counts into the same counter (kept in the
 * table). A burst of up to twice the limit can straddle a boundary; for abuse control that is fine and
 * costs one counter update per request.
 *
 * @param name what is counted, part of the counter's key
 */
public record PublicLimit(String name, int limit, Duration window) {
    public PublicLimit {
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
