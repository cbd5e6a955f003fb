package dev.crm.shared.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.service.BusinessCalendar.Hours;
import dev.crm.shared.service.SlaClock.Figures;
import dev.crm.shared.service.SlaClock.Pause;
import dev.crm.shared.service.SlaPolicy.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 500 scripted cases starting around the Berlin spring-forward weekend (29 March 2026) and the Easter
 * holidays, with pending / on-hold pauses, solving and reopening. Every figure must equal, to the minute,
 * a brute-force walk over every minute: for each minute, is its local wall-clock time (in the calendar's
 * zone) inside the weekday's hours and not on a holiday, and is it outside the pauses.
 */
class SlaClockScriptedCasesTest {
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final Instant WINDOW_START = ZonedDateTime.of(2026, 3, 20, 0, 0, 0, 0, ZONE).toInstant();
    static final int WINDOW_MINUTES = 90 * 24 * 60;
    static final Set<LocalDate> HOLIDAYS = Set.of(LocalDate.parse("2026-04-03"), LocalDate.parse("2026-04-06"));
    /** minute-of-day intervals per ISO weekday (1 = Monday); Sunday's covers the 02:00 gap, Saturday's ends at 24:00 */
    static final int[][][] HOURS = {
        {}, // unused
        {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}},
        {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}},
        {{9 * 60, 18 * 60}},
        {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}},
        {{8 * 60, 15 * 60}},
        {{10 * 60, 14 * 60}, {20 * 60, 24 * 60}},
        {{60, 4 * 60}},
    };

    record Outcome(long due, long business, long calendar, boolean breached, long paused) {
    }

    @Test
    void fiveHundredScriptedCasesEqualAMinuteByMinuteWalk() {
        BusinessCalendar calendar = calendar();
        boolean[] businessMinute = businessMinutes();
        Random random = new Random(20260329L);
        String[] steps = {"pending", "on_hold", "open", "solved", "reopen"};
        for (int c = 0; c < 500; c++) {
            Clock clockKind = random.nextInt(3) == 0 ? Clock.CALENDAR : Clock.BUSINESS;
            boolean pauseWhilePending = random.nextInt(4) != 0;
            SlaPolicy policy = new SlaPolicy(Duration.ofMinutes(15 + random.nextInt(600)),
                    Duration.ofMinutes(60 + random.nextInt(40 * 60)), clockKind, pauseWhilePending);
            // starts from 25 March to 8 April, on any minute
            long start = 5 * 1440 + random.nextInt(14 * 1440);
            long cursor = start;
            List<Pause> pauses = new ArrayList<>();
            Long pauseFrom = null;
            boolean pauseAlways = false;
            Long solvedAt = null;
            int n = random.nextInt(7);
            for (int s = 0; s < n; s++) {
                cursor += random.nextInt(2 * 1440);
                String step = steps[random.nextInt(steps.length)];
                if (step.equals("pending") || step.equals("on_hold")) {
                    if (pauseFrom == null) {
                        pauseFrom = cursor;
                        pauseAlways = false;
                    }
                } else if (step.equals("solved")) {
                    if (pauseFrom != null) {
                        pauses.add(new Pause(at(pauseFrom), at(cursor), pauseAlways));
                    }
                    pauseFrom = cursor;
                    pauseAlways = true;
                    solvedAt = cursor;
                } else { // open or a customer's reopening
                    if (pauseFrom != null) {
                        pauses.add(new Pause(at(pauseFrom), at(cursor), pauseAlways));
                        pauseFrom = null;
                    }
                    solvedAt = null;
                }
            }
            long now = cursor + random.nextInt(3 * 1440);
            if (pauseFrom != null && solvedAt == null) {
                pauses.add(new Pause(at(pauseFrom), null, pauseAlways)); // still pending: an open pause
            }
            Long respondedAt = random.nextBoolean() ? start + random.nextInt(2 * 1440) : null;

            SlaClock clock = new SlaClock(calendar, policy);
            String label = "case " + c + " " + policy + " start " + at(start) + " pauses " + pauses + " solved "
                    + (solvedAt == null ? null : at(solvedAt)) + " now " + at(now);
            Figures r = clock.resolution(at(start), pauses, solvedAt == null ? null : at(solvedAt), at(now));
            List<Pause> counted = pauses.stream().filter(p -> p.always() || pauseWhilePending).toList();
            assertSame(walk(businessMinute, policy.resolution(), clockKind, start, counted,
                    solvedAt, now), r, "resolution of " + label);
            Figures f = clock.firstResponse(at(start), respondedAt == null ? null : at(respondedAt), at(now));
            assertSame(walk(businessMinute, policy.firstResponse(), clockKind, start, List.of(), respondedAt, now), f,
                    "first response of " + label + " responded " + respondedAt);
        }
    }

    static void assertSame(Outcome expected, Figures actual, String label) {
        assertEquals(at(expected.due()), actual.dueAt(), "dueAt, " + label);
        assertEquals(Duration.ofMinutes(expected.business()), actual.elapsedBusiness(), "elapsedBusiness, " + label);
        assertEquals(Duration.ofMinutes(expected.calendar()), actual.elapsedCalendar(), "elapsedCalendar, " + label);
        assertEquals(Duration.ofMinutes(expected.paused()), actual.pausedFor(), "pausedFor, " + label);
        assertEquals(expected.breached(), actual.breached(), "breached, " + label);
    }

    /** The independent calculation: one step per minute of the window. */
    static Outcome walk(boolean[] businessMinute, Duration target, Clock clock, long start, List<Pause> pauses,
            Long stop, long now) {
        long end = Math.max(start, stop != null ? stop : now);
        boolean[] paused = new boolean[WINDOW_MINUTES];
        for (Pause p : pauses) {
            long from = minute(p.from());
            long to = p.to() == null ? end : Math.min(minute(p.to()), end);
            for (long m = Math.max(from, start); m < to; m++) {
                paused[(int) m] = true;
            }
        }
        long business = 0;
        long calendar = 0;
        long pausedMinutes = 0;
        for (long m = start; m < end; m++) {
            if (paused[(int) m]) {
                pausedMinutes++;
                continue;
            }
            calendar++;
            if (businessMinute[(int) m]) {
                business++;
            }
        }
        long left = target.toMinutes();
        long due = start;
        for (long m = start; left > 0; m++) {
            if (!paused[(int) m] && (clock == Clock.CALENDAR || businessMinute[(int) m])) {
                left--;
            }
            due = m + 1;
        }
        boolean breached = (stop != null ? stop : now) > due;
        return new Outcome(due, business, calendar, breached, pausedMinutes);
    }

    static boolean[] businessMinutes() {
        boolean[] out = new boolean[WINDOW_MINUTES];
        for (int m = 0; m < WINDOW_MINUTES; m++) {
            ZonedDateTime local = at(m).atZone(ZONE);
            if (HOLIDAYS.contains(local.toLocalDate())) {
                continue;
            }
            int minuteOfDay = local.getHour() * 60 + local.getMinute();
            for (int[] h : HOURS[local.getDayOfWeek().getValue()]) {
                if (minuteOfDay >= h[0] && minuteOfDay < h[1]) {
                    out[m] = true;
                }
            }
        }
        return out;
    }

    static BusinessCalendar calendar() {
        Map<DayOfWeek, List<Hours>> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            List<Hours> list = new ArrayList<>();
            for (int[] h : HOURS[d.getValue()]) {
                list.add(new Hours(h[0], h[1]));
            }
            weekly.put(d, list);
        }
        return new BusinessCalendar(ZONE, weekly, HOLIDAYS);
    }

    static Instant at(long minute) {
        return WINDOW_START.plusSeconds(minute * 60);
    }

    static long minute(Instant t) {
        return Duration.between(WINDOW_START, t).toMinutes();
    }
}
