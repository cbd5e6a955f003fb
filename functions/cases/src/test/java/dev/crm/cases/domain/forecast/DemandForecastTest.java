package dev.crm.cases.domain.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemandForecastTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Monday; the 12 weeks span the end of DST (2026-10-25) and two holidays. */
    static final Instant START = ZonedDateTime.of(2026, 9, 7, 0, 0, 0, 0, BERLIN).toInstant();
    static final LocalDate HOLIDAY_IN_HISTORY = LocalDate.of(2026, 10, 3);
    static final LocalDate HOLIDAY_AHEAD = LocalDate.of(2026, 11, 19);
    static final Set<LocalDate> HOLIDAYS = Set.of(HOLIDAY_IN_HISTORY, HOLIDAY_AHEAD);

    private final ArrivalSimulation sim = new ArrivalSimulation(BERLIN, START, HOLIDAYS, 6.0, 0.03);
    private final DemandForecast forecast = new DemandForecast(BERLIN, HOLIDAYS);

    /** Counts per interval of {@code periods}, computed here from the arrivals. */
    static double[] actual(List<Instant> arrivals, List<DemandForecast.Period> periods) {
        double[] y = new double[periods.size()];
        for (Instant a : arrivals) {
            for (int i = 0; i < periods.size(); i++) {
                if (!a.isBefore(periods.get(i).start()) && a.isBefore(periods.get(i).end())) {
                    y[i]++;
                }
            }
        }
        return y;
    }

    /**
     * MASE of {@code forecast} against {@code actual}, scaled by the in-sample lag-{@code season} naive
     * error of {@code history}: the textbook definition, written out here independently of the model's.
     */
    static double mase(double[] actual, double[] forecast, double[] history, int season) {
        double err = 0;
        for (int i = 0; i < actual.length; i++) {
            err += Math.abs(actual[i] - forecast[i]);
        }
        double scale = 0;
        for (int i = season; i < history.length; i++) {
            scale += Math.abs(history[i] - history[i - season]);
        }
        return (err / actual.length) / (scale / (history.length - season));
    }

    static double[] hourly(List<Instant> arrivals, Instant from, Instant to) {
        double[] y = new double[(int) ((to.getEpochSecond() - from.getEpochSecond()) / 3600)];
        for (Instant a : arrivals) {
            if (!a.isBefore(from) && a.isBefore(to)) {
                y[(int) ((a.getEpochSecond() - from.getEpochSecond()) / 3600)]++;
            }
        }
        return y;
    }

    @Test
    void onTwelveSimulatedWeeksTheHeldOutTwoWeeksBeatSeasonalNaive() {
        List<Instant> all = sim.arrivals(12, 42);
        Instant from = START.atZone(BERLIN).plusWeeks(10).toInstant();
        List<Instant> history = all.stream().filter(a -> a.isBefore(from)).toList();
        var result = forecast.forecast(history, from, 2, DemandForecast.Interval.HOUR);

        assertEquals(from, result.from());
        assertEquals(from.atZone(BERLIN).plusWeeks(2).toInstant(), result.intervals().get(result.intervals().size() - 1).end());
        double[] expected = result.intervals().stream().mapToDouble(DemandForecast.Period::expected).toArray();
        double[] actual = actual(all, result.intervals());
        double[] past = hourly(history, START, from);
        double[] naive = new double[actual.length];
        for (int i = 0; i < naive.length; i++) {
            naive[i] = past[past.length - 168 + i % 168];
        }
        double model = mase(actual, expected, past, 168);
        double seasonalNaive = mase(actual, naive, past, 168);
        assertTrue(model < seasonalNaive, "MASE " + model + " vs seasonal-naive " + seasonalNaive);

        // the model's own backtest (last 4 weeks of the history) says the same
        assertNotNull(result.backtest());
        assertTrue(result.backtest().mase() < result.backtest().naiveMase(), result.backtest().toString());
    }

    @Test
    void dailyIntervalsAreLocalDaysAndAHolidayIsClosed() {
        List<Instant> all = sim.arrivals(12, 7);
        Instant from = START.atZone(BERLIN).plusWeeks(10).toInstant();
        List<Instant> history = all.stream().filter(a -> a.isBefore(from)).toList();
        var result = forecast.forecast(history, from.plusSeconds(5 * 3600), 2, DemandForecast.Interval.DAY);
        assertEquals(from, result.from(), "a day forecast starts at local midnight");
        assertEquals(14, result.intervals().size());
        for (var p : result.intervals()) {
            assertEquals(0, p.start().atZone(BERLIN).getHour());
            LocalDate d = p.start().atZone(BERLIN).toLocalDate();
            if (d.equals(HOLIDAY_AHEAD)) {
                assertEquals(0.0, p.expected());
                assertEquals(0, p.upper());
            } else {
                assertTrue(p.expected() > 0);
                assertTrue(p.lower() <= p.expected() && p.expected() <= p.upper(), p.toString());
            }
        }
        double[] expected = result.intervals().stream().mapToDouble(DemandForecast.Period::expected).toArray();
        double[] actual = actual(all, result.intervals());
        double[] pastDays = new double[70];
        for (Instant a : history) {
            pastDays[(int) java.time.temporal.ChronoUnit.DAYS.between(START.atZone(BERLIN).toLocalDate(),
                    a.atZone(BERLIN).toLocalDate())]++;
        }
        double[] naive = new double[14];
        for (int i = 0; i < 14; i++) {
            naive[i] = pastDays[63 + i % 7];
        }
        assertTrue(mase(actual, expected, pastDays, 7) < mase(actual, naive, pastDays, 7));
    }

    @Test
    void theIntervalCoversAboutEightyPercentOfHours() {
        List<Instant> all = sim.arrivals(12, 99);
        Instant from = START.atZone(BERLIN).plusWeeks(10).toInstant();
        var result = forecast.forecast(all.stream().filter(a -> a.isBefore(from)).toList(), from, 2,
                DemandForecast.Interval.HOUR);
        double[] actual = actual(all, result.intervals());
        int inside = 0;
        int open = 0;
        for (int i = 0; i < actual.length; i++) {
            var p = result.intervals().get(i);
            if (p.expected() > 0.5) {
                open++;
                if (actual[i] >= p.lower() && actual[i] <= p.upper()) {
                    inside++;
                }
            }
        }
        double coverage = (double) inside / open;
        // discrete counts make [q10, q90] hold a little more than 80 %
        assertTrue(coverage > 0.75 && coverage < 0.97, "coverage " + coverage);
    }

    @Test
    void onlyHistoryBeforeFromIsUsedAndShortHistoryHasNoBacktest() {
        List<Instant> all = sim.arrivals(12, 3);
        Instant from = START.atZone(BERLIN).plusWeeks(10).toInstant();
        var withFuture = forecast.forecast(all, from, 1, DemandForecast.Interval.HOUR);
        var without = forecast.forecast(all.stream().filter(a -> a.isBefore(from)).toList(), from, 1,
                DemandForecast.Interval.HOUR);
        assertEquals(without, withFuture);

        Instant early = START.atZone(BERLIN).plusWeeks(3).toInstant();
        assertNull(forecast.forecast(all, early, 1, DemandForecast.Interval.HOUR).backtest());
        var none = forecast.forecast(List.of(), from, 1, DemandForecast.Interval.DAY);
        assertEquals(7, none.intervals().size());
        assertTrue(none.intervals().stream().allMatch(p -> p.expected() == 0 && p.upper() == 0));
    }

    @Test
    void hourIntervalsFollowRealHoursAcrossTheEndOfDst() {
        Instant from = ZonedDateTime.of(2026, 10, 19, 0, 0, 0, 0, BERLIN).toInstant();
        var result = forecast.forecast(sim.arrivals(6, 1), from, 1, DemandForecast.Interval.HOUR);
        assertEquals(169, result.intervals().size(), "the week of 2026-10-25 has 169 hours in Berlin");
        var days = forecast.forecast(sim.arrivals(6, 1), from, 1, DemandForecast.Interval.DAY).intervals();
        assertEquals(25 * 3600, days.get(6).end().getEpochSecond() - days.get(6).start().getEpochSecond());
    }
}
