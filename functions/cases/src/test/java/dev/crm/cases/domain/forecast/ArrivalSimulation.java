package dev.crm.cases.domain.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded case arrivals: an hour-of-week profile (busy weekday business hours, quiet nights and
 * weekends), a linear trend, Poisson noise, no arrivals on holidays. Arrival instants are spread
 * uniformly within their hour.
 */
public final class ArrivalSimulation {
    public final ZoneId zone;
    public final Instant start;
    public final Set<LocalDate> holidays;
    private final double trendPerWeek;
    private final double base;

    public ArrivalSimulation(ZoneId zone, Instant start, Set<LocalDate> holidays, double base, double trendPerWeek) {
        this.zone = zone;
        this.start = start;
        this.holidays = holidays;
        this.base = base;
        this.trendPerWeek = trendPerWeek;
    }

    /** The true mean of the local hour starting at {@code hourStart}. */
    public double rate(Instant hourStart) {
        ZonedDateTime z = hourStart.atZone(zone);
        if (holidays.contains(z.toLocalDate())) {
            return 0;
        }
        int dow = z.getDayOfWeek().getValue();
        int h = z.getHour();
        double profile;
        if (dow <= 5) {
            profile = h >= 8 && h < 18 ? (h == 9 || h == 14 ? 1.6 : 1.0) : h >= 6 && h < 22 ? 0.25 : 0.04;
            profile *= dow == 1 ? 1.3 : 1.0; // Mondays bring the weekend's backlog
        } else {
            profile = h >= 10 && h < 16 ? 0.2 : 0.03;
        }
        double weeks = (hourStart.getEpochSecond() - start.getEpochSecond()) / (168 * 3600.0);
        return base * profile * (1 + trendPerWeek * weeks);
    }

    /** Arrivals over {@code weeks} weeks from the start. */
    public List<Instant> arrivals(int weeks, long seed) {
        Random random = new Random(seed);
        List<Instant> out = new ArrayList<>();
        Instant end = start.atZone(zone).plusWeeks(weeks).toInstant();
        for (Instant h = start; h.isBefore(end); h = h.plusSeconds(3600)) {
            int n = poisson(rate(h), random);
            for (int i = 0; i < n; i++) {
                out.add(h.plusMillis((long) (random.nextDouble() * 3_600_000)));
            }
        }
        return out;
    }

    private static int poisson(double mean, Random random) {
        double l = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        double pmf = l;
        double cdf = pmf;
        while (p > cdf && k < 10_000) {
            k++;
            pmf *= mean / k;
            cdf += pmf;
        }
        return k;
    }
}
