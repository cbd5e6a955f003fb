package dev.crm.churn.domain;

import dev.crm.shared.contact.PurchaseSummary;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's RFM breakpoints at a day: recency (days since the last purchase, fewer is better),
 * frequency (purchase days) and monetary value (total spend in the summary currency).
 *
 * <p>A customer's quintile is 1 + the number of breakpoints their value exceeds (recency negated, so
 * higher is better throughout); breakpoint k is the ⌈k·n/5⌉-th smallest value. So quintile q holds
 * the customers with at least (q−1)/5 of the tenant strictly below them, and ties share a quintile
 * (with many one-time buyers, frequency quintile 1 can hold more than a fifth). Four numbers per
 * measure travel in the run's checkpoint, so each page of scores gets its quintiles without the others.
 */
public record RfmQuintiles(double[] recency, double[] frequency, double[] monetary) {

    /** What one customer's RFM looks at, at the day. */
    public record Values(double recency, double frequency, double monetary) {

        public static Values of(PurchaseSummary p, LocalDate asOf) {
            LocalDate last = p.lastPurchaseDay().isAfter(asOf) ? asOf : p.lastPurchaseDay();
            return new Values(-ChronoUnit.DAYS.between(last, asOf), p.repeatPurchaseDays() + 1,
                    p.totalSpend() == null ? 0 : p.totalSpend().doubleValue());
        }
    }

    public static RfmQuintiles of(List<Values> customers) {
        return new RfmQuintiles(breakpoints(customers.stream().mapToDouble(Values::recency).toArray()),
                breakpoints(customers.stream().mapToDouble(Values::frequency).toArray()),
                breakpoints(customers.stream().mapToDouble(Values::monetary).toArray()));
    }

    static double[] breakpoints(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] b = new double[4];
        for (int k = 1; k <= 4; k++) {
            int rank = (int) Math.ceil(k * sorted.length / 5.0);
            b[k - 1] = sorted.length == 0 ? 0 : sorted[Math.max(0, rank - 1)];
        }
        return b;
    }

    static int quintile(double value, double[] breakpoints) {
        int q = 1;
        for (double b : breakpoints) {
            if (value > b) {
                q++;
            }
        }
        return q;
    }

    public Rfm of(Values v) {
        return new Rfm(quintile(v.recency(), recency), quintile(v.frequency(), frequency), quintile(v.monetary(), monetary));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recency", Arrays.stream(recency).boxed().toList());
        m.put("frequency", Arrays.stream(frequency).boxed().toList());
        m.put("monetary", Arrays.stream(monetary).boxed().toList());
        return m;
    }

    public static RfmQuintiles fromJson(Map<String, Object> m) {
        return new RfmQuintiles(array(m.get("recency")), array(m.get("frequency")), array(m.get("monetary")));
    }

    private static double[] array(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
}
