package dev.crm.preferences.domain;

import dev.crm.shared.publicaccess.FixedWindowLimit;
import java.time.Duration;

/**
 * A fixed-window limit on the public sign-up ({@link FixedWindowLimit}: at most {@code limit} requests
 * per {@code window}, windows aligned to the epoch, the count kept in the table).
 *
 * @param name what is counted, part of the counter's key ({@code address}, {@code client})
 */
public record RateLimit(String name, int limit, Duration window) implements FixedWindowLimit {
    /** Confirmation emails to one address: enough for typos and retries, too few to mail-bomb anyone. */
    public static final RateLimit SUBSCRIBE_PER_ADDRESS = new RateLimit("address", 3, Duration.ofHours(1));
    /** Sign-ups from one client address (an office behind one NAT signs up a few people at most). */
    public static final RateLimit SUBSCRIBE_PER_CLIENT = new RateLimit("client", 20, Duration.ofMinutes(10));

    public RateLimit {
        FixedWindowLimit.check(name, limit, window);
    }
}
