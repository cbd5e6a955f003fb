package dev.crm.shared.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.service.BusinessCalendar.Hours;
import dev.crm.shared.service.SlaClock.Figures;
import dev.crm.shared.service.SlaClock.Pause;
import dev.crm.shared.service.SlaPolicy.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlaClockTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    static BusinessCalendar everyDay(Set<LocalDate> holidays, Hours... hours) {
        Map<DayOfWeek, List<Hours>> m = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            m.put(d, List.of(hours));
        }
        return new BusinessCalendar(BERLIN, m, holidays);
    }

    static SlaPolicy business(Duration resolution) {
        return new SlaPolicy(Duration.ofHours(1), resolution, Clock.BUSINESS, true);
    }

    @Test
    void aNineToFiveDayIsEightHoursOnBothDstDays() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("09:00", "17:00"));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(8)));
        for (String day : List.of("2026-03-29", "2026-10-25")) {
            Figures f = clock.resolution(berlin(day + "T00:00"), List.of(), null, berlin(day + "T23:59"));
            assertEquals(Duration.ofHours(8), f.elapsedBusiness(), day);
            assertEquals(berlin(day + "T17:00"), f.dueAt(), day);
        }
    }

    @Test
    void aWholeDayIsTwentyThreeHoursInSpringAndTwentyFiveInAutumn() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("00:00", "24:00"));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(100)));
        assertEquals(Duration.ofHours(23), clock.resolution(berlin("2026-03-29T00:00"), List.of(), null,
                berlin("2026-03-30T00:00")).elapsedBusiness());
        assertEquals(Duration.ofHours(25), clock.resolution(berlin("2026-10-25T00:00"), List.of(), null,
                berlin("2026-10-26T00:00")).elapsedBusiness());
    }

    @Test
    void theGapInsideHoursShortensThemAndTheOverlapLengthensThem() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("01:00", "04:00"));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(3)));
        Figures spring = clock.resolution(berlin("2026-03-29T00:00"), List.of(), null, berlin("2026-03-29T12:00"));
        assertEquals(Duration.ofHours(2), spring.elapsedBusiness());
        assertEquals(berlin("2026-03-30T02:00"), spring.dueAt(), "one hour is left for the next day");
        Figures autumn = clock.resolution(berlin("2026-10-25T00:00"), List.of(), null, berlin("2026-10-25T12:00"));
        assertEquals(Duration.ofHours(4), autumn.elapsedBusiness());
    }

    @Test
    void holidaysAndDaysWithoutHoursHaveNoBusinessTime() {
        Map<DayOfWeek, List<Hours>> m = new EnumMap<>(DayOfWeek.class);
        m.put(DayOfWeek.THURSDAY, List.of(Hours.of("09:00", "17:00")));
        m.put(DayOfWeek.FRIDAY, List.of(Hours.of("09:00", "17:00")));
        m.put(DayOfWeek.MONDAY, List.of(Hours.of("09:00", "17:00")));
        BusinessCalendar cal = new BusinessCalendar(BERLIN, m, Set.of(LocalDate.parse("2026-04-03")));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(10)));
        // Thursday 2 April 15:00: 2 h that day, Friday is Good Friday, the weekend has no hours.
        Figures f = clock.resolution(berlin("2026-04-02T15:00"), List.of(), null, berlin("2026-04-06T10:00"));
        assertEquals(berlin("2026-04-06T17:00"), f.dueAt());
        assertEquals(Duration.ofHours(3), f.elapsedBusiness());
        assertFalse(f.breached());
    }

    @Test
    void splitIntervalsAndTwentyFourHundred() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("08:00", "12:00"), Hours.of("22:00", "24:00"));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(5)));
        Figures f = clock.resolution(berlin("2026-05-04T11:00"), List.of(), null, berlin("2026-05-05T09:00"));
        // 11-12 (1 h), 22-24 (2 h), next day 08-09 (1 h); the fifth hour ends 10:00
        assertEquals(Duration.ofHours(4), f.elapsedBusiness());
        assertEquals(berlin("2026-05-05T10:00"), f.dueAt());
        assertEquals(Duration.ofHours(22), f.elapsedCalendar());
    }

    @Test
    void pendingPushesDueButNotTheFirstResponse() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("09:00", "17:00"));
        SlaClock clock = new SlaClock(cal, new SlaPolicy(Duration.ofHours(1), Duration.ofHours(4), Clock.BUSINESS, true));
        Instant start = berlin("2026-05-04T09:00");
        List<Pause> pauses = List.of(Pause.waiting(berlin("2026-05-04T10:00"), berlin("2026-05-04T12:00")));
        Figures r = clock.resolution(start, pauses, null, berlin("2026-05-04T13:00"));
        assertEquals(berlin("2026-05-04T15:00"), r.dueAt());
        assertEquals(Duration.ofHours(2), r.pausedFor());
        assertEquals(Duration.ofHours(2), r.elapsedBusiness());
        assertEquals(Duration.ofHours(2), r.elapsedCalendar());
        Figures fr = clock.firstResponse(start, berlin("2026-05-04T10:30"), berlin("2026-05-04T13:00"));
        assertEquals(berlin("2026-05-04T10:00"), fr.dueAt());
        assertTrue(fr.breached());
        assertEquals(Duration.ZERO, fr.pausedFor());
    }

    @Test
    void withPausingOffPendingCountsButSolvedStillStopsTheClock() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("09:00", "17:00"));
        SlaClock clock = new SlaClock(cal, new SlaPolicy(Duration.ofHours(1), Duration.ofHours(4), Clock.BUSINESS, false));
        List<Pause> pauses = List.of(Pause.waiting(berlin("2026-05-04T10:00"), berlin("2026-05-04T11:00")),
                Pause.stopped(berlin("2026-05-04T11:00"), berlin("2026-05-04T12:00")));
        Figures r = clock.resolution(berlin("2026-05-04T09:00"), pauses, null, berlin("2026-05-04T16:00"));
        assertEquals(berlin("2026-05-04T14:00"), r.dueAt());
        assertEquals(Duration.ofHours(1), r.pausedFor());
        assertTrue(r.breached());
    }

    @Test
    void anOpenPauseProjectsDueAsIfResumedNow() {
        BusinessCalendar cal = everyDay(Set.of(), Hours.of("09:00", "17:00"));
        SlaClock clock = new SlaClock(cal, business(Duration.ofHours(2)));
        Figures r = clock.resolution(berlin("2026-05-04T09:00"),
                List.of(Pause.waiting(berlin("2026-05-04T10:00"), null)), null, berlin("2026-05-04T16:00"));
        assertEquals(berlin("2026-05-04T17:00"), r.dueAt());
        assertFalse(r.breached());
        assertEquals(Duration.ofHours(6), r.pausedFor());
    }

    @Test
    void aCalendarClockCountsNightsAndHolidays() {
        BusinessCalendar cal = everyDay(Set.of(LocalDate.parse("2026-04-03")), Hours.of("09:00", "17:00"));
        SlaClock clock = new SlaClock(cal, new SlaPolicy(Duration.ofHours(1), Duration.ofHours(24), Clock.CALENDAR, true));
        Figures r = clock.resolution(berlin("2026-03-28T12:00"), List.of(), berlin("2026-03-29T13:00"),
                berlin("2026-04-01T00:00"));
        assertEquals(berlin("2026-03-29T13:00"), r.dueAt(), "24 real hours across spring-forward");
        assertFalse(r.breached());
    }

    @Test
    void badIntervalsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Hours.of("17:00", "09:00"));
        assertThrows(IllegalArgumentException.class, () -> Hours.of("24:00", "24:00"));
        assertThrows(IllegalArgumentException.class, () -> everyDay(Set.of(), Hours.of("09:00", "12:00"), Hours.of("11:00", "13:00")));
        assertEquals(-1, Hours.parseMinute("9:00", false));
        assertEquals(1440, Hours.parseMinute("24:00", true));
    }
}
