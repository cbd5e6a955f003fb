package dev.crm.bench.report;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of a sample (milliseconds, nanoseconds: whatever the caller measured). */
public record Stats(int count, double min, double median, double max, double p99) {
    public static Stats of(Collection<? extends Number> values) {
        double[] v = values.stream().mapToDouble(Number::doubleValue).toArray();
        return of(v);
    }

    public static Stats of(double[] values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new Stats(v.length, v[0], median(v), v[v.length - 1], percentile(v, 99));
    }

    public static Stats ofNanos(long[] nanos) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        return of(ms);
    }

    /** The median of sorted values: the middle one, or the mean of the two middle ones. */
    public static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted values (p in 0..100): the smallest value with at least p% at or below it. */
    public static double percentile(double[] sorted, double p) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    public double p50() {
        return median;
    }
}
