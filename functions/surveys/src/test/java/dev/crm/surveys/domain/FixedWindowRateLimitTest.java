package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FixedWindowRateLimitTest {
    private static final Instant MINUTE = Instant.parse("2026-11-20T12:34:00Z");

    @Test
    void windowsAreWholeUtcMinutes() {
        long id = FixedWindowRateLimit.windowId(MINUTE);
        assertEquals(MINUTE.getEpochSecond() / 60, id);
        assertEquals(id, FixedWindowRateLimit.windowId(MINUTE.plusSeconds(59).plusNanos(999_999_999)));
        assertEquals(id + 1, FixedWindowRateLimit.windowId(MINUTE.plusSeconds(60)));
        assertEquals(id - 1, FixedWindowRateLimit.windowId(MINUTE.minusNanos(1)));
        assertEquals(MINUTE, FixedWindowRateLimit.windowStart(id));
        assertEquals(MINUTE.plusSeconds(60), FixedWindowRateLimit.windowEnd(MINUTE.plusSeconds(30)));
        assertEquals(-1, FixedWindowRateLimit.windowId(Instant.EPOCH.minusSeconds(1)), "floor, not truncation");
    }

    @Test
    void retryAfterIsTheWholeSecondsLeftRoundedUpAndAtLeastOne() {
        assertEquals(60, FixedWindowRateLimit.retryAfterSeconds(MINUTE));
        assertEquals(60, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusMillis(1)));
        assertEquals(59, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusSeconds(1)));
        assertEquals(31, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusSeconds(29).plusMillis(500)), "30.5 s left");
        assertEquals(30, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusSeconds(30)));
        assertEquals(1, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusSeconds(59)));
        assertEquals(1, FixedWindowRateLimit.retryAfterSeconds(MINUTE.plusSeconds(59).plusNanos(999_999_999)));
        for (int ms = 0; ms < 60_000; ms += 250) {
            Instant now = MINUTE.plusMillis(ms);
            long wait = FixedWindowRateLimit.retryAfterSeconds(now);
            assertTrue(wait >= 1 && wait <= 60);
            assertTrue(FixedWindowRateLimit.windowId(now.plusSeconds(wait)) > FixedWindowRateLimit.windowId(now),
                    "waiting Retry-After seconds always reaches the next window");
        }
    }

    @Test
    void decisions() {
        FixedWindowRateLimit limit = new FixedWindowRateLimit(30);
        assertEquals(new FixedWindowRateLimit.Decision(true, 0), limit.decide(1, MINUTE));
        assertTrue(limit.decide(30, MINUTE.plusSeconds(10)).allowed());
        FixedWindowRateLimit.Decision refused = limit.decide(31, MINUTE.plusSeconds(10));
        assertFalse(refused.allowed());
        assertEquals(50, refused.retryAfterSeconds());
        assertThrows(IllegalArgumentException.class, () -> new FixedWindowRateLimit(0));
    }

    @Test
    void theCounterOutlivesItsWindow() {
        assertEquals(MINUTE.plusSeconds(120).getEpochSecond(), FixedWindowRateLimit.expiresAtEpochSecond(MINUTE.plusSeconds(5)));
    }
}
