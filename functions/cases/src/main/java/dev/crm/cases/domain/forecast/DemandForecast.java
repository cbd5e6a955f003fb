package dev.crm.cases.domain.forecast;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Expected case arrivals per hour or day from the arrivals before the forecast's start.
 *
 * <p>The model, on an hourly grid in real time (hours of the week and days read in the calendar's zone):
 * arrivals in an hour = level(t) × season(hour of week), with a linear trend for the level (fitted by
 * weighted least squares on the weekly levels) and a multiplicative weekly profile of 168 factors, the two
 * refined in turn a few times. Holidays are closed: their hours are left out of the fit and forecast 0.
 * The 80 % prediction interval is the 10th and 90th percentile of a count with the forecast mean and the
 * variance the fit's residuals show at the requested interval (Poisson, or negative binomial when the
 * residuals are over-dispersed). Pure: nothing here reads a clock or a store.
 */
public final class DemandForecast {
    public enum Interval { HOUR, DAY }

    /** History used for the fit: older weeks add little to a weekly profile and a linear trend. */
    public static final int HISTORY_WEEKS = 26;
    /** The backtest holds out this many weeks at the end of the history. */
    public static final int BACKTEST_WEEKS = 4;
    /** ...and needs at least this many weeks before them to fit on. */
    public static final int BACKTEST_MIN_TRAINING_WEEKS = 2;
    private static final int WEEK = 168;
    private static final int ROUNDS = 6;
    private static final double Z90 = 1.2815515655446004;

    private final ZoneId zone;
    private final Set<LocalDate> holidays;

    public DemandForecast(ZoneId zone, Set<LocalDate> holidays) {
        this.zone = zone;
        this.holidays = Set.copyOf(holidays);
    }

    public record Period(Instant start, Instant end, double expected, long lower, long upper) {}

    /** Mean absolute scaled errors of the model and of the seasonal-naive forecast on the same weeks. */
    public record Backtest(double mase, double naiveMase) {}

    /** @param backtest null when the history is too short to hold out {@link #BACKTEST_WEEKS} weeks */
    public record Result(Instant from, List<Period> intervals, Backtest backtest) {}

    /** The start of the interval that holds {@code t}: its local hour, or its local day. */
    public Instant align(Instant t, Interval interval) {
        ZonedDateTime z = t.atZone(zone);
        return (interval == Interval.DAY ? z.truncatedTo(ChronoUnit.DAYS) : z.truncatedTo(ChronoUnit.HOURS)).toInstant();
    }

    /**
     * @param arrivals when cases arrived (any order; those at or after the aligned {@code from} are ignored)
     * @param from     the forecast starts at the interval holding it
     * @param weeks    the forecast's length in weeks (local weeks: a DST week is 167 or 169 hours)
     */
    public Result forecast(List<Instant> arrivals, Instant from, int weeks, Interval interval) {
        Instant origin = align(from, interval);
        Instant end = origin.atZone(zone).plusWeeks(weeks).toInstant();
        Instant historyStart = historyStart(arrivals, origin);
        Grid history = grid(arrivals, historyStart, origin);
        Grid future = grid(List.of(), origin, end);
        Model model = Model.fit(history);
        double[] mu = model.predict(future);
        double dispersion = history.n == 0 ? 1 : dispersion(history, model.predict(history), interval);
        List<Period> periods = new ArrayList<>();
        for (int[] range : intervals(future, interval)) {
            double expected = 0;
            for (int i = range[0]; i < range[1]; i++) {
                expected += mu[i];
            }
            Instant s = future.start(range[0]);
            Instant e = range[1] < future.n ? future.start(range[1]) : end;
            periods.add(new Period(s, e, expected, quantile(expected, dispersion, 0.1), quantile(expected, dispersion, 0.9)));
        }
        return new Result(origin, periods, backtest(arrivals, historyStart, origin, interval));
    }

    /** Local midnight of the first arrival before {@code origin}, at most {@link #HISTORY_WEEKS} back. */
    private Instant historyStart(List<Instant> arrivals, Instant origin) {
        Instant earliest = origin.atZone(zone).minusWeeks(HISTORY_WEEKS).toInstant();
        Instant first = null;
        for (Instant a : arrivals) {
            if (a.isBefore(origin) && !a.isBefore(earliest) && (first == null || a.isBefore(first))) {
                first = a;
            }
        }
        return first == null ? origin : first.atZone(zone).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    private Backtest backtest(List<Instant> arrivals, Instant historyStart, Instant origin, Interval interval) {
        Instant cut = origin.atZone(zone).minusWeeks(BACKTEST_WEEKS).toInstant();
        if (cut.isBefore(historyStart.atZone(zone).plusWeeks(BACKTEST_MIN_TRAINING_WEEKS).toInstant())) {
            return null;
        }
        Grid training = grid(arrivals, historyStart, cut);
        Grid held = grid(arrivals, cut, origin);
        double[] model = Model.fit(training).predict(held);
        double[] naive = new double[held.n];
        for (int i = 0; i < held.n; i++) {
            // the last week before the cut, repeated
            naive[i] = training.y[training.n - WEEK + (i % WEEK)];
        }
        double[] actual = aggregate(held, held.y, interval);
        double[] byModel = aggregate(held, model, interval);
        double[] byNaive = aggregate(held, naive, interval);
        double scale = seasonalNaiveScale(aggregate(training, training.y, interval), interval == Interval.DAY ? 7 : WEEK);
        if (!(scale > 0)) {
            return null;
        }
        return new Backtest(mae(actual, byModel) / scale, mae(actual, byNaive) / scale);
    }

    /** The in-sample mean absolute error of the one-season-back forecast: MASE's denominator. */
    static double seasonalNaiveScale(double[] y, int season) {
        if (y.length <= season) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = season; i < y.length; i++) {
            sum += Math.abs(y[i] - y[i - season]);
        }
        return sum / (y.length - season);
    }

    static double mae(double[] actual, double[] forecast) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - forecast[i]);
        }
        return actual.length == 0 ? 0 : sum / actual.length;
    }

    /** Residual variance over mean at the requested interval (at least 1: never narrower than Poisson). */
    private double dispersion(Grid g, double[] fitted, Interval interval) {
        double[] y = aggregate(g, g.y, interval);
        double[] mu = aggregate(g, fitted, interval);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < y.length; i++) {
            if (mu[i] > 1e-9) {
                sum += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
                count++;
            }
        }
        return count == 0 ? 1 : Math.max(1, sum / count);
    }

    /** The smallest count whose cumulative probability reaches {@code p}. */
    static long quantile(double mean, double dispersion, double p) {
        if (mean <= 1e-9) {
            return 0;
        }
        if (mean > 300) {
            double z = p < 0.5 ? -Z90 : Z90;
            double v = mean + z * Math.sqrt(dispersion * mean);
            return Math.max(0, p < 0.5 ? (long) Math.floor(v) : (long) Math.ceil(v));
        }
        double cdf;
        double pmf;
        boolean poisson = dispersion <= 1 + 1e-9;
        double r = poisson ? 0 : mean / (dispersion - 1);
        double q = poisson ? 0 : 1 / dispersion;
        pmf = poisson ? Math.exp(-mean) : Math.exp(r * Math.log(q));
        cdf = pmf;
        long k = 0;
        while (cdf < p && k < 1_000_000) {
            k++;
            pmf = poisson ? pmf * mean / k : pmf * (k - 1 + r) / k * (1 - q);
            cdf += pmf;
        }
        return k;
    }

    /** Hour index ranges [from, to) of each interval of the grid. */
    private List<int[]> intervals(Grid g, Interval interval) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= g.n; i++) {
            boolean boundary = i == g.n || interval == Interval.HOUR || !g.date(i).equals(g.date(i - 1));
            if (boundary) {
                out.add(new int[] {start, i});
                start = i;
            }
        }
        return out;
    }

    private double[] aggregate(Grid g, double[] values, Interval interval) {
        List<int[]> ranges = intervals(g, interval);
        double[] out = new double[ranges.size()];
        for (int j = 0; j < ranges.size(); j++) {
            for (int i = ranges.get(j)[0]; i < ranges.get(j)[1]; i++) {
                out[j] += values[i];
            }
        }
        return out;
    }

    private Grid grid(List<Instant> arrivals, Instant from, Instant to) {
        int n = (int) Math.max(0, Duration.between(from, to).toHours());
        Grid g = new Grid(from, n);
        for (int i = 0; i < n; i++) {
            ZonedDateTime z = g.start(i).atZone(zone);
            g.hourOfWeek[i] = (z.getDayOfWeek().getValue() - 1) * 24 + z.getHour();
            g.dates[i] = z.toLocalDate();
            g.closed[i] = holidays.contains(g.dates[i]);
        }
        for (Instant a : arrivals) {
            if (!a.isBefore(from) && a.isBefore(to)) {
                int i = (int) (Duration.between(from, a).getSeconds() / 3600);
                if (i < n) {
                    g.y[i]++;
                }
            }
        }
        return g;
    }

    /** Real hours from {@code from}: counts, hour of the week, local date, closed (holiday). */
    static final class Grid {
        final Instant from;
        final int n;
        final double[] y;
        final int[] hourOfWeek;
        final LocalDate[] dates;
        final boolean[] closed;

        Grid(Instant from, int n) {
            this.from = from;
            this.n = n;
            this.y = new double[n];
            this.hourOfWeek = new int[n];
            this.dates = new LocalDate[n];
            this.closed = new boolean[n];
        }

        Instant start(int i) {
            return from.plusSeconds(3600L * i);
        }

        LocalDate date(int i) {
            return dates[i];
        }
    }

    /** level(t) = a + b·t (t in weeks from the history's start) times season[hour of week]. */
    static final class Model {
        final Instant origin;
        final double a;
        final double b;
        final double[] season;

        private Model(Instant origin, double a, double b, double[] season) {
            this.origin = origin;
            this.a = a;
            this.b = b;
            this.season = season;
        }

        static Model fit(Grid g) {
            double[] season = new double[WEEK];
            Arrays.fill(season, 1);
            double a = 0;
            double b = 0;
            int weeks = (g.n + WEEK - 1) / WEEK;
            for (int round = 0; round < ROUNDS && g.n > 0; round++) {
                // weekly levels given the profile, then a weighted straight line through them
                double sw = 0, st = 0, sl = 0, stt = 0, stl = 0;
                for (int w = 0; w < weeks; w++) {
                    double count = 0, weight = 0, time = 0;
                    for (int i = w * WEEK; i < Math.min(g.n, (w + 1) * WEEK); i++) {
                        if (!g.closed[i]) {
                            count += g.y[i];
                            weight += season[g.hourOfWeek[i]];
                            time += season[g.hourOfWeek[i]] * t(i);
                        }
                    }
                    if (weight <= 0) {
                        continue;
                    }
                    double level = count / weight;
                    double tm = time / weight;
                    sw += weight;
                    st += weight * tm;
                    sl += weight * level;
                    stt += weight * tm * tm;
                    stl += weight * tm * level;
                }
                if (sw <= 0) {
                    break;
                }
                double denominator = sw * stt - st * st;
                b = Math.abs(denominator) < 1e-9 ? 0 : (sw * stl - st * sl) / denominator;
                a = (sl - b * st) / sw;
                // the profile given the levels: observed over expected-at-level-1, per hour of the week
                double[] observed = new double[WEEK];
                double[] exposure = new double[WEEK];
                for (int i = 0; i < g.n; i++) {
                    if (!g.closed[i]) {
                        observed[g.hourOfWeek[i]] += g.y[i];
                        exposure[g.hourOfWeek[i]] += Math.max(1e-9, a + b * t(i));
                    }
                }
                double total = 0;
                int seen = 0;
                for (int k = 0; k < WEEK; k++) {
                    season[k] = exposure[k] > 0 ? observed[k] / exposure[k] : 0;
                    if (exposure[k] > 0) {
                        total += season[k];
                        seen++;
                    }
                }
                // keep the profile's mean at 1, so the level carries the volume
                double mean = seen == 0 ? 0 : total / seen;
                if (mean > 0) {
                    for (int k = 0; k < WEEK; k++) {
                        season[k] /= mean;
                    }
                }
            }
            return new Model(g.from, a, b, season);
        }

        private static double t(int hour) {
            return (hour + 0.5) / WEEK;
        }

        /** Expected arrivals for each hour of {@code g} (0 on closed hours; never negative). */
        double[] predict(Grid g) {
            double[] mu = new double[g.n];
            double offset = Duration.between(origin, g.from).toHours();
            for (int i = 0; i < g.n; i++) {
                if (g.closed[i]) {
                    continue;
                }
                double level = a + b * ((offset + i + 0.5) / WEEK);
                mu[i] = Math.max(0, level) * season[g.hourOfWeek[i]];
            }
            return mu;
        }
    }
}
