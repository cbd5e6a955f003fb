package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The forms POST /_local/clock reads, and the clock they move. */
class ClockMoveTest {
    static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    @Test
    void durationsAndPeriodsMoveForward() {
        assertEquals(Instant.parse("2026-12-09T05:00:00Z"), ClockMove.advance(NOW, "P2D"));
        assertEquals(Instant.parse("2026-12-07T06:30:00Z"), ClockMove.advance(NOW, "PT90M"));
        assertEquals(Instant.parse("2026-12-14T05:00:00Z"), ClockMove.advance(NOW, "P1W"));
        assertEquals(Instant.parse("2027-01-07T05:00:00Z"), ClockMove.advance(NOW, "P1M"));
        assertEquals(NOW, ClockMove.advance(NOW, "PT0S"), "standing still is allowed");
    }

    @Test
    void backwardsAndNonsenseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClockMove.advance(NOW, "-PT1H"));
        assertThrows(IllegalArgumentException.class, () -> ClockMove.advance(NOW, "P-1D"));
        assertThrows(IllegalArgumentException.class, () -> ClockMove.advance(NOW, "tomorrow"));
        assertThrows(IllegalArgumentException.class, () -> ClockMove.instant("2026-12-07"));
        var refusal = assertThrows(IllegalArgumentException.class, () -> ClockMove.advance(NOW, "x".repeat(10_000)));
        assertTrue(refusal.getMessage().length() < 200, "a refusal quotes a hostile input only in part");
    }

    @Test
    void theMovedClockKeepsTickingAndNeverGoesBack() {
        Clock system = Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
        var clock = new MovableClock(system);
        assertEquals(Instant.parse("2026-12-09T05:00:00Z"), clock.moveTo(Instant.parse("2026-12-09T05:00:00Z")));
        assertEquals(Duration.ofDays(2), clock.offset());
        assertThrows(IllegalArgumentException.class, () -> clock.moveTo(NOW));
        assertEquals(Instant.parse("2026-12-09T05:00:00Z"), clock.withZone(ZoneOffset.ofHours(2)).instant(), "zoned views read it too");
        var demo = new MovableClock(system, Duration.ofDays(-85));
        assertEquals(NOW.minus(Duration.ofDays(85)), demo.instant());
        assertEquals(NOW, demo.catchUp());
    }
}
