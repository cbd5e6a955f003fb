package dev.crm.cases.domain;

import dev.crm.shared.publicaccess.FixedWindowLimit;
import java.time.Duration;

/**
 * A fixed-window limit on the public case routes ({@link FixedWindowLimit}: at most {@code limit}
 * requests per {@code window}, windows aligned to the epoch, the counter kept in the table).
 *
 * @param name what is counted, part of the counter's key
 */
public record PublicLimit(String name, int limit, Duration window) implements FixedWindowLimit {
    public PublicLimit {
        FixedWindowLimit.check(name, limit, window);
    }
}
