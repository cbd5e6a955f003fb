package dev.crm.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after attempts 1 to 7
 * (about 27.6 h in all, up to 30.3 h with jitter); after the 8th it is exhausted. Each delay gets up to
 * 10 % jitter, so the retries of one outage do not all arrive together when the endpoint comes back.
 */
public final class RetrySchedule {
    public static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    /** Attempts in all: the first and one after each delay. */
    public static final int MAX_ATTEMPTS = DELAYS.size() + 1;
    /** The longest a Retry-After is honoured: beyond it the receiver is treated as failing. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private final double scale;
    private final DoubleSupplier jitter;

    /**
     * @param scale  multiplies every delay (local runs only, CRM_WEBHOOK_RETRY_SCALE; 1 on AWS)
     * @param jitter a value in [0, 1): the share of the 10 % jitter to add (tests pass a constant)
     */
    public RetrySchedule(double scale, DoubleSupplier jitter) {
        if (!(scale > 0) || scale > 1) {
            throw new IllegalArgumentException("the retry scale is in (0, 1]");
        }
        this.scale = scale;
        this.jitter = jitter;
    }

    public double scale() {
        return scale;
    }

    /**
     * When attempt {@code attemptsMade + 1} is due after attempt {@code attemptsMade} failed at {@code now},
     * or empty when the schedule is used up.
     *
     * @param retryAfter the receiver's Retry-After (429/503), or null: the next attempt waits at least that
     *                   long (never scaled: it is the receiver's demand, not the product's schedule)
     */
    public Optional<Instant> next(int attemptsMade, Instant now, Duration retryAfter) {
        if (attemptsMade >= MAX_ATTEMPTS) {
            return Optional.empty();
        }
        Duration base = DELAYS.get(Math.max(0, attemptsMade - 1));
        double factor = (1 + 0.1 * Math.min(Math.max(jitter.getAsDouble(), 0), 1)) * scale;
        Duration delay = Duration.ofMillis(Math.round(base.toMillis() * factor));
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        return Optional.of(now.plus(delay));
    }

    /** The base delay after attempt {@code attemptsMade} (before jitter and scale). */
    public static Duration baseDelayAfter(int attemptsMade) {
        return DELAYS.get(attemptsMade - 1);
    }

    /** A Retry-After header (delay in seconds, or an HTTP date), as a wait from {@code now}; null if absent or unreadable. */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (h.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(h));
            } catch (NumberFormatException e) {
                return MAX_RETRY_AFTER;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
