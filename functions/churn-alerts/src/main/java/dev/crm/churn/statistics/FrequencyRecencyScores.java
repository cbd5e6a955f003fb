package dev.crm.churn.statistics;

import java.util.Arrays;

/**
 * A purchase model evaluated once per distinct (x, tx, T) and looked up for every customer of that group.
 * P(alive) and the expected purchases depend on nothing else, so every customer of a group gets the values
 * per-customer evaluation gives, bit for bit; only the spend, which depends on the customer's own mean spend,
 * is applied per customer, in {@link Group#clv} with the arithmetic of
 * {@link CustomerLifetimeValue#computeWithSpendPerPurchase} in the same order.
 *
 * <p>With BG/NBD alone (the chosen forecast of most runs, and {@code ChurnScorer.fit}'s) the expected purchases are
 * P(alive | x, tx, T) × the purchases if active, which depend on (x, T) and the horizon only: those (a
 * hypergeometric function each) are evaluated once per distinct (x, T), and each group's values are the same
 * two doubles multiplied as {@link BgNbdModel#expectedPurchases} multiplies them.
 *
 * <p>Not thread-safe: one instance per scoring thread (or per step), as a cache of the groups seen.
 */
public final class FrequencyRecencyScores {
    private final PurchaseCountModel model;
    private final double horizonWeeks;
    private final int clvMonths;
    private final double[] discounts;
    /** The groups by (x, tx, T), by their dense index (KeyIndex: no boxed key per customer). */
    private final KeyIndex keys = new KeyIndex();
    private Group[] groups = new Group[1 << 10];
    /** BG/NBD alone: its model, and per distinct (x, T) the purchases if active at each month end and the horizon. */
    private final BgNbdModel bgNbd;
    private final KeyIndex ages = new KeyIndex();
    private double[][] purchasesIfActive = new double[1 << 8][];

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
        // (a horizon BgNbdModel would reject takes the general route, which rejects it as before)
        this.bgNbd = model instanceof ChosenForecast f && PurchaseForecaster.BG_NBD.equals(f.chosen())
                && Double.isFinite(horizonWeeks) && horizonWeeks >= 0.0 ? new BgNbdModel(f.bgNbd()) : null;
        this.discounts = new double[clvMonths + 1];
        double discount = 1.0;
        for (int month = 1; month <= clvMonths; month++) {
            discount /= 1.0 + monthlyDiscountRate;
            discounts[month] = discount;
        }
    }

    /** The group of this customer, evaluated on first sight. */
    public Group of(CustomerSummary customer) {
        int i = keys.indexOf(customer.x(), customer.tx(), customer.T());
        if (i == groups.length) {
            groups = Arrays.copyOf(groups, i * 2);
        }
        Group g = groups[i];
        if (g == null) {
            g = bgNbd != null ? evaluateBgNbd(customer) : evaluate(customer);
            groups[i] = g;
        }
        return g;
    }

    /** How many distinct (x, tx, T) were evaluated. */
    public int groups() {
        return keys.size();
    }

    /** {@link #evaluate} for BG/NBD alone, each purchases-if-active term taken from its (x, T). */
    private Group evaluateBgNbd(CustomerSummary customer) {
        double[] ifActive = purchasesIfActive(customer.x(), customer.T());
        double pAlive = bgNbd.pAlive(customer);
        double[] byMonthEnd = new double[clvMonths + 1];
        for (int month = 1; month <= clvMonths; month++) {
            byMonthEnd[month] = pAlive * ifActive[month];
        }
        return new Group(pAlive, pAlive * ifActive[0], byMonthEnd, discounts);
    }

    /** [0] over the horizon, [month] to each month end: the arguments {@link BgNbdModel#expectedPurchases} passes. */
    private double[] purchasesIfActive(int x, double T) {
        int i = ages.indexOf(x, T, 0.0);
        if (i == purchasesIfActive.length) {
            purchasesIfActive = Arrays.copyOf(purchasesIfActive, i * 2);
        }
        double[] values = purchasesIfActive[i];
        if (values == null) {
            double alphaPlusAge = bgNbd.parameters().alpha() + T;
            values = new double[clvMonths + 1];
            values[0] = bgNbd.purchasesIfActive(horizonWeeks, x, alphaPlusAge);
            for (int month = 1; month <= clvMonths; month++) {
                values[month] = bgNbd.purchasesIfActive(month * CustomerLifetimeValue.WEEKS_PER_MONTH, x, alphaPlusAge);
            }
            purchasesIfActive[i] = values;
        }
        return values;
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
