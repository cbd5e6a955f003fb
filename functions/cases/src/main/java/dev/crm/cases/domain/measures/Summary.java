package dev.crm.cases.domain.measures;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean, median and 90th percentile of durations in minutes. Median: the middle value (the mean of the
 * two middle values for an even count); p90: the nearest rank, the smallest value with at least 90 %
 * of the values at or below it (docs/api.md, "Service measures").
 */
public record Summary(int count, Double mean, Double median, Double p90) {

    public static Summary of(List<Double> minutes) {
        if (minutes.isEmpty()) {
            return new Summary(0, null, null, null);
        }
        List<Double> sorted = new ArrayList<>(minutes);
        Collections.sort(sorted);
        int n = sorted.size();
        double sum = 0;
        for (double m : sorted) {
            sum += m;
        }
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double p90 = sorted.get((int) Math.ceil(0.9 * n) - 1);
        return new Summary(n, sum / n, median, p90);
    }

    /** Minutes rounded to hundredths (a figure, not a duration to compute with). */
    static Object minutes(Double m) {
        return m == null ? null : java.math.BigDecimal.valueOf(m).setScale(2, java.math.RoundingMode.HALF_EVEN);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", minutes(mean));
        m.put("median", minutes(median));
        m.put("p90", minutes(p90));
        return m;
    }
}
