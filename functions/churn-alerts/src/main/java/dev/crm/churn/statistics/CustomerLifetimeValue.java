package dev.crm.churn.statistics;

/**
 * Discounted expected value of a customer's future purchases over a horizon of whole months,
 * combining the BG/NBD purchase forecast with the Gamma-Gamma spend forecast in the usual discrete
 * way:
 * <pre>
 *   CLV = margin · Σ_{i=1..H} [E(purchases in (0, i months]) − E(purchases in (0, i−1 months])]
 *                            · E(spend per purchase) / (1 + d)^i
 * </pre>
 * Purchases of month i are discounted as if they all happened at its end. The models' time unit
 * must be the week.
 */
public final class CustomerLifetimeValue {

    /**
     * Weeks per month: 365 days / 12 months / 7 days = 4.345. Using the calendar year rather than
     * 4 weeks keeps 12 months equal to a year of model time.
     */
    public static final double WEEKS_PER_MONTH = 4.345;

    private CustomerLifetimeValue() {
    }

    /** CLV of revenue (margin 1). */
    public static double compute(BgNbdParameters purchases, GammaGammaParameters spend, CustomerSummary customer,
                                 int horizonMonths, double monthlyDiscountRate) {
        return compute(purchases, spend, customer, horizonMonths, monthlyDiscountRate, 1.0);
    }

    /** CLV with spend multiplied by {@code margin} (e.g. 0.3 for a 30 % profit margin). */
    public static double compute(BgNbdParameters purchases, GammaGammaParameters spend, CustomerSummary customer,
                                 int horizonMonths, double monthlyDiscountRate, double margin) {
        double spendPerPurchase = new GammaGammaModel(spend).expectedAverageSpend(customer);
        return computeWithSpendPerPurchase(new BgNbdModel(purchases), customer, spendPerPurchase, horizonMonths,
                monthlyDiscountRate, margin);
    }

    /**
     * CLV for a caller who has an expected spend per purchase from elsewhere (or no spend model at
     * all): the same sum with {@code spendPerPurchase} in place of the Gamma-Gamma expectation.
     */
    public static double computeWithSpendPerPurchase(PurchaseCountModel purchases, CustomerSummary customer,
                                                     double spendPerPurchase, int horizonMonths,
                                                     double monthlyDiscountRate, double margin) {
        if (horizonMonths < 0) {
            throw new IllegalArgumentException("horizonMonths must be >= 0, got " + horizonMonths);
        }
        if (!Double.isFinite(monthlyDiscountRate) || !(monthlyDiscountRate > -1.0)) {
            throw new IllegalArgumentException("monthlyDiscountRate must be finite and > -1, got " + monthlyDiscountRate);
        }
        if (!Double.isFinite(spendPerPurchase) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("spendPerPurchase and margin must be finite");
        }
        double valuePerPurchase = spendPerPurchase * margin;
        double value = 0.0;
        double purchasesSoFar = 0.0;
        double discount = 1.0;
        for (int month = 1; month <= horizonMonths; month++) {
            double purchasesByMonthEnd = purchases.expectedPurchases(month * WEEKS_PER_MONTH, customer);
            discount /= 1.0 + monthlyDiscountRate;
            value += (purchasesByMonthEnd - purchasesSoFar) * valuePerPurchase * discount;
            purchasesSoFar = purchasesByMonthEnd;
        }
        return value;
    }
}
