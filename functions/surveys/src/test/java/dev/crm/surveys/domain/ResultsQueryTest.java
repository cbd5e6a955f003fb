package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.detail;
import static dev.crm.surveys.domain.Fixtures.pointers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResultsQueryTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** Thursday 19 November 2026, 23:30 in London; already Friday the 20th in Auckland. */
    private static final Instant NOW = Instant.parse("2026-11-19T23:30:00Z");

    private static ResultsQuery ok(Map<String, String> parameters) {
        Violations v = new Violations();
        ResultsQuery q = ResultsQuery.parse(parameters, LONDON, NOW, v);
        assertTrue(v.isEmpty(), () -> "unexpected violations " + v.items());
        assertNotNull(q);
        return q;
    }

    private static Violations bad(Map<String, String> parameters) {
        Violations v = new Violations();
        assertNull(ResultsQuery.parse(parameters, LONDON, NOW, v));
        return v;
    }

    private static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void explicitParameters() {
        ResultsQuery q = ok(Map.of("from", "2026-11-16", "to", "2026-11-30", "interval", "week", "segment", "ignored"));
        assertEquals(new ResultsQuery(d("2026-11-16"), d("2026-11-30"), ResultsQuery.Interval.WEEK, LONDON), q);
        assertEquals(List.of(new ResultsQuery.Period(d("2026-11-16"), d("2026-11-23")), new ResultsQuery.Period(d("2026-11-23"), d("2026-11-30"))),
                q.periods());
    }

    @Test
    void defaultsEndWithTodayInTheTenantsZone() {
        ResultsQuery days = ok(Map.of());
        assertEquals(ResultsQuery.Interval.DAY, days.interval());
        assertEquals(d("2026-11-20"), days.to(), "today (the 19th in London) is included");
        assertEquals(d("2026-10-21"), days.from());
        assertEquals(30, days.periods().size());

        ResultsQuery weeks = ok(Map.of("interval", "week"));
        assertEquals(d("2026-08-31"), weeks.from(), "the Monday 11 weeks before this week's Monday (16 Nov)");
        assertEquals(12, weeks.periods().size());
        assertEquals(new ResultsQuery.Period(d("2026-11-16"), d("2026-11-20")), weeks.periods().get(11), "this week so far");

        ResultsQuery months = ok(Map.of("interval", "month"));
        assertEquals(d("2025-12-01"), months.from());
        assertEquals(12, months.periods().size());

        Violations v = new Violations();
        assertEquals(d("2026-11-21"), ResultsQuery.parse(Map.of(), ZoneId.of("Pacific/Auckland"), NOW, v).to());

        assertEquals(d("2026-10-01"), ok(Map.of("to", "2026-10-31")).from());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-11-31", "2026-02-29", "2026-1-5", "20261105", "2026-11-05T00:00:00Z", "+2026-11-05", "today"})
    void datesAreStrictYyyyMmDd(String text) {
        Violations v = bad(Map.of("from", text, "to", "2026-12-01"));
        assertEquals(List.of("from"), pointers(v));
        assertEquals("must be a date YYYY-MM-DD", detail(v, "from"));
        assertTrue(v.items().get(0).containsKey("parameter"));
    }

    @Test
    void problemsNameTheParameter() {
        assertEquals(List.of("interval"), pointers(bad(Map.of("interval", "year"))));
        assertEquals(List.of("interval"), pointers(bad(Map.of("interval", "WEEK"))));
        assertEquals(List.of("interval", "from", "to"), pointers(bad(Map.of("interval", "hour", "from", "x", "to", "y"))));
        Violations sameDay = bad(Map.of("from", "2026-11-05", "to", "2026-11-05"));
        assertEquals(List.of("to"), pointers(sameDay));
        assertEquals("must be after from", detail(sameDay, "to"));
        assertEquals(List.of("to"), pointers(bad(Map.of("from", "2026-11-05", "to", "2026-11-04"))));
        assertEquals(List.of("to"), pointers(bad(Map.of("from", "2026-12-01"))), "to defaults to tomorrow, before from");
    }

    @ParameterizedTest
    @CsvSource({
        "day, 2024-01-01, 2025-01-01, true",    // 366 days of a leap year
        "day, 2024-01-01, 2025-01-02, false",
        "week, 2026-01-05, 2029-11-05, true",   // 200 weeks from a Monday
        "week, 2026-01-05, 2029-11-06, false",  // the 201st week begins
        "week, 2026-01-07, 2029-11-05, true",   // from a Wednesday: still 200 calendar weeks
        "week, 2026-01-04, 2029-11-05, false",  // from a Sunday: a partial first week counts too
        "month, 2020-01-01, 2030-01-01, true",  // 120 months
        "month, 2020-01-01, 2030-01-02, false",
        "month, 2020-01-31, 2030-01-02, false"})
    void intervalCountsAreBounded(String interval, String from, String to, boolean accepted) {
        Violations v = new Violations();
        ResultsQuery q = ResultsQuery.parse(Map.of("interval", interval, "from", from, "to", to), LONDON, NOW, v);
        assertEquals(accepted, q != null, () -> String.valueOf(v.items()));
        if (accepted) {
            assertEquals(q.interval().maxIntervals(), q.periods().size());
        } else {
            assertEquals(List.of("to"), pointers(v));
        }
    }

    @Test
    void partialFirstAndLastIntervals() {
        ResultsQuery weeks = ok(Map.of("from", "2026-11-18", "to", "2026-12-02", "interval", "week"));
        assertEquals(List.of(new ResultsQuery.Period(d("2026-11-18"), d("2026-11-23")),
                new ResultsQuery.Period(d("2026-11-23"), d("2026-11-30")),
                new ResultsQuery.Period(d("2026-11-30"), d("2026-12-02"))), weeks.periods());
        ResultsQuery months = ok(Map.of("from", "2026-01-15", "to", "2026-03-01", "interval", "month"));
        assertEquals(List.of(new ResultsQuery.Period(d("2026-01-15"), d("2026-02-01")),
                new ResultsQuery.Period(d("2026-02-01"), d("2026-03-01"))), months.periods());
    }

    @Test
    void isoWeeksStartOnMondayAcrossTheYearEnd() {
        ResultsQuery q = ok(Map.of("from", "2026-12-28", "to", "2027-01-11", "interval", "week"));
        assertEquals(List.of(new ResultsQuery.Period(d("2026-12-28"), d("2027-01-04")), new ResultsQuery.Period(d("2027-01-04"), d("2027-01-11"))),
                q.periods());
        assertEquals(d("2026-12-28"), ResultsQuery.Interval.WEEK.startOf(d("2027-01-03")));
    }

    @Test
    void periodsTileTheRangeWithoutGaps() {
        for (String interval : new String[] {"day", "week", "month"}) {
            ResultsQuery q = ok(Map.of("from", "2025-12-17", "to", "2026-03-05", "interval", interval));
            LocalDate expectedStart = q.from();
            for (ResultsQuery.Period p : q.periods()) {
                assertEquals(expectedStart, p.start());
                assertTrue(p.end().isAfter(p.start()));
                expectedStart = p.end();
            }
            assertEquals(q.to(), expectedStart);
        }
    }

    @Test
    void theRecordRejectsAnEmptyRange() {
        assertThrows(IllegalArgumentException.class,
                () -> new ResultsQuery(d("2026-11-05"), d("2026-11-05"), ResultsQuery.Interval.DAY, LONDON));
    }
}
