package dev.crm.preferences.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    @Test
    void windowsAreAlignedToTheEpochSoEveryInstanceCountsIntoTheSameOne() {
        RateLimit tenMinutes = new RateLimit("client", 2, Duration.ofMinutes(10));
        Instant at = Instant.parse("2026-11-23T10:07:30.250Z");
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), tenMinutes.windowStart(at));
        assertEquals(Instant.parse("2026-11-23T10:10:00Z"), tenMinutes.windowEnd(at));
        assertEquals(150, tenMinutes.retryAfterSeconds(at), "2 min 29.75 s, rounded up");
        assertEquals(600, tenMinutes.retryAfterSeconds(Instant.parse("2026-11-23T10:10:00Z")));
        assertEquals(1, tenMinutes.retryAfterSeconds(Instant.parse("2026-11-23T10:09:59.999Z")));
        assertFalse(tenMinutes.exceededBy(2));
        assertTrue(tenMinutes.exceededBy(3));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit("x", 0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit("x", 1, Duration.ofMillis(1500)));
    }
}
