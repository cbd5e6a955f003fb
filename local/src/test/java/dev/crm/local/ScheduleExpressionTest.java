package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which clock moves cross an instant of the template's schedule expressions. */
class ScheduleExpressionTest {
    static Instant at(String s) {
        return Instant.parse(s);
    }

    @Test
    void theNightlyCronIsCrossedOnlyWhenTheSpanHoldsTwoOClock() {
        var nightly = ScheduleExpression.parse("cron(0 2 * * ? *)");
        assertTrue(nightly.crossed(at("2026-12-07T05:00:00Z"), at("2026-12-09T05:00:00Z")));
        assertTrue(nightly.crossed(at("2026-12-07T01:59:59Z"), at("2026-12-07T02:00:00Z")), "the end is included");
        assertFalse(nightly.crossed(at("2026-12-07T02:00:00Z"), at("2026-12-08T01:59:00Z")), "the start is not");
        assertFalse(nightly.crossed(at("2026-12-07T03:00:00Z"), at("2026-12-07T23:00:00Z")));
    }

    @Test
    void weekdaysListsAndStepsFollowEventBridge() {
        var mondays = ScheduleExpression.parse("cron(30 9 ? * MON *)");
        // 2026-12-07 is a Monday
        assertTrue(mondays.crossed(at("2026-12-06T00:00:00Z"), at("2026-12-07T09:30:00Z")));
        assertFalse(mondays.crossed(at("2026-12-07T09:30:00Z"), at("2026-12-13T23:59:00Z")));
        var quarterHours = ScheduleExpression.parse("cron(0/15 8-9 1,15 * ? 2026)");
        assertTrue(quarterHours.crossed(at("2026-12-15T08:01:00Z"), at("2026-12-15T08:15:00Z")));
        assertFalse(quarterHours.crossed(at("2026-12-15T08:01:00Z"), at("2026-12-15T08:14:00Z")));
        assertFalse(quarterHours.crossed(at("2027-01-01T00:00:00Z"), at("2027-01-15T10:00:00Z")), "2026 only");
    }

    @Test
    void aRateIsCrossedByAMoveAtLeastItsPeriodLong() {
        var fiveMinutes = ScheduleExpression.parse("rate(5 minutes)");
        assertTrue(fiveMinutes.crossed(at("2026-12-07T05:01:00Z"), at("2026-12-07T05:06:00Z")));
        assertFalse(fiveMinutes.crossed(at("2026-12-07T05:01:00Z"), at("2026-12-07T05:04:00Z")));
        assertTrue(ScheduleExpression.parse("rate(1 day)").crossed(at("2026-12-07T05:00:00Z"), at("2026-12-08T05:00:00Z")));
    }

    @Test
    void expressionsTheRunnerCannotFollowAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 2 L * ? *)"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("at(2026-12-07T05:00:00)"));
    }
}
