package dev.crm.shared.service;

import java.time.Duration;

/**
 * The service targets of one priority: the time to the first public agent message and to resolution,
 * both amounts of business time (or of calendar time when {@code clock} is {@link Clock#CALENDAR}).
 * A duration is an amount of clock time: {@code PT24H} of business time is three 8-hour business days.
 *
 * @param pauseWhilePending whether the resolution clock stops while the case waits on the customer
 *                          ({@code pending}) or a third party ({@code on_hold}); the first-response clock
 *                          never stops
 */
public record SlaPolicy(Duration firstResponse, Duration resolution, Clock clock, boolean pauseWhilePending) {

    public enum Clock {
        BUSINESS, CALENDAR;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @return the clock of a wire name, or null */
        public static Clock fromWire(String s) {
            for (Clock c : values()) {
                if (c.wireName().equals(s)) {
                    return c;
                }
            }
            return null;
        }
    }

    public SlaPolicy {
        if (firstResponse == null || resolution == null || clock == null
                || firstResponse.isNegative() || firstResponse.isZero() || resolution.isNegative() || resolution.isZero()) {
            throw new IllegalArgumentException("an SLA policy has positive targets and a clock");
        }
    }

    /**
     * The defaults of a tenant that set no policy for a priority (business clock, pausing on):
     * urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 24 h (three 8-hour business days),
     * low 24 h / 40 h (five 8-hour business days); durations are business time.
     */
    public static SlaPolicy defaultFor(String priority) {
        return switch (priority) {
            case "urgent" -> new SlaPolicy(Duration.ofHours(1), Duration.ofHours(8), Clock.BUSINESS, true);
            case "high" -> new SlaPolicy(Duration.ofHours(4), Duration.ofHours(24), Clock.BUSINESS, true);
            case "normal" -> new SlaPolicy(Duration.ofHours(8), Duration.ofHours(24), Clock.BUSINESS, true);
            case "low" -> new SlaPolicy(Duration.ofHours(24), Duration.ofHours(40), Clock.BUSINESS, true);
            default -> throw new IllegalArgumentException("unknown priority");
        };
    }
}
