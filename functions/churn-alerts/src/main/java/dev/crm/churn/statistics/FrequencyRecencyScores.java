package dev.crm.churn.statistics;

import java.util.HashMap;
import java.util.Map;

/**
 * A purchase model evaluated once per distinct (x, tx, T) and looked up for every customer of that group.
 * P(alive) and the expected purchases depend on nothing else, so every customer of a group gets the values
 * per-customer evaluation gives, bit for bit; only the spend, which depends on the customer's own mean spend,
 * is applied per customer, in {@link Group#clv} with the arithmetic of
 * {@link CustomerLifetimeValue#computeWithSpendPerPurchase} in the same order.
 *
 * <p>Not thread-safe: one instance per scoring thread (or per step), as a cache of the groups seen.
 */
public final class FrequencyRecencyScores {
    private record Key(int x, double tx, double T) {}

    private final PurchaseCountModel model;
    private final double horizonWeeks;
    private final int clvMonths;
    private final double[] discounts;
    private final Map<Key, Group> groups = new HashMap<>();

    /**
     * @param horizonWeeks        the horizon of {@link Group#expectedPurchases()}
     * @param clvMonths           the CLV's horizon in whole months
     * @param monthlyDiscountRate the CLV's discount rate per month
     */
    public FrequencyRecencyScores(PurchaseCountModel model, double horizonWeeks, int clvMonths, double monthlyDiscountRate) {
        if (clvMonths < 0) {
            throw new IllegalArgumentException("horizonMonths must be >= 0, got " + clvMonths);
        }
        if (!Double.isFinite(monthlyDiscountRate) || !(monthlyDiscountRate > -1.0)) {
            throw new IllegalArgumentException("monthlyDiscountRate must be finite and > -1, got " + monthlyDiscountRate);
        }
        this.model = model;
        this.horizonWeeks = horizonWeeks;
        this.clvMonths = clvMonths;
        // the same repeated division as the per-customer sum, so every factor is the same double
        this.discounts = new double[clvMonths + 1];
        double discount = 1.0;
        for (int month = 1; month <= clvMonths; month++) {
            discount /= 1.0 + monthlyDiscountRate;
            discounts[month] = discount;
        }
    }

    /** The group of this customer, evaluated on first sight. */
    public Group of(CustomerSummary customer) {
        return groups.computeIfAbsent(new Key(customer.x(), customer.tx(), customer.T()), k -> evaluate(customer));
    }

    /** How many distinct (x, tx, T) were evaluated. */
    public int groups() {
        return groups.size();
    }

    private Group evaluate(CustomerSummary customer) {
        double[] byMonthEnd = new double[clvMonths + 1];
        for (int month = 1; month <= clvMonths; month++) {
            byMonthEnd[month] = model.expectedPurchases(month * CustomerLifetimeValue.WEEKS_PER_MONTH, customer);
        }
        return new Group(model.pAlive(customer), model.expectedPurchases(horizonWeeks, customer), byMonthEnd, discounts);
    }

    /** One (x, tx, T)'s forecasts. */
    public static final class Group {
        private final double pAlive;
        private final double expectedPurchases;
        private final double[] purchasesByMonthEnd;
        private final double[] discounts;

        Group(double pAlive, double expectedPurchases, double[] purchasesByMonthEnd, double[] discounts) {
            this.pAlive = pAlive;
            this.expectedPurchases = expectedPurchases;
            this.purchasesByMonthEnd = purchasesByMonthEnd;
            this.discounts = discounts;
        }

        public double pAlive() {
            return pAlive;
        }

        /** Over the horizon the scores were built with. */
        public double expectedPurchases() {
            return expectedPurchases;
        }

        /** The discounted CLV of a customer of this group spending {@code spendPerPurchase} a purchase. */
        public double clv(double spendPerPurchase, double margin) {
            if (!Double.isFinite(spendPerPurchase) || !Double.isFinite(margin)) {
                throw new IllegalArgumentException("spendPerPurchase and margin must be finite");
            }
            double valuePerPurchase = spendPerPurchase * margin;
            double value = 0.0;
            double purchasesSoFar = 0.0;
            for (int month = 1; month < purchasesByMonthEnd.length; month++) {
                value += (purchasesByMonthEnd[month] - purchasesSoFar) * valuePerPurchase * discounts[month];
                purchasesSoFar = purchasesByMonthEnd[month];
            }
            return value;
        }
    }
}
