package dev.crm.churn.statistics;

import java.util.Arrays;

/**
 * One customer's purchase times (in weeks from any fixed origin, one entry per purchase day, sorted)
 * and the spend of each. What the forecast sees is always cut at a point in time first.
 */
public record PurchaseHistory(double[] times, double[] spend) {

    public PurchaseHistory {
        if (times.length == 0 || times.length != spend.length) {
            throw new IllegalArgumentException("a history has at least one purchase and a spend for each");
        }
        for (int i = 1; i < times.length; i++) {
            if (!(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("purchase times must be strictly increasing");
            }
        }
    }

    public double first() {
        return times[0];
    }

    /** The purchases on or before {@code cut}; null when the customer had not bought by then. */
    public PurchaseHistory until(double cut) {
        int n = 0;
        while (n < times.length && times[n] <= cut) {
            n++;
        }
        if (n == 0) {
            return null;
        }
        return n == times.length ? this : new PurchaseHistory(Arrays.copyOf(times, n), Arrays.copyOf(spend, n));
    }

    /** The recency/frequency summary at {@code cut} (which must not precede the first purchase). */
    public CustomerSummary summaryAt(double cut) {
        int x = 0;
        double last = times[0];
        double repeatSpend = 0.0;
        for (int i = 1; i < times.length && times[i] <= cut; i++) {
            x++;
            last = times[i];
            repeatSpend += spend[i];
        }
        return new CustomerSummary(x, last - times[0], cut - times[0], x > 0 ? repeatSpend / x : 0.0);
    }

    /** Purchases in (from, to]. */
    public int purchasesBetween(double from, double to) {
        int count = 0;
        for (double t : times) {
            if (t > from && t <= to) {
                count++;
            }
        }
        return count;
    }
}
