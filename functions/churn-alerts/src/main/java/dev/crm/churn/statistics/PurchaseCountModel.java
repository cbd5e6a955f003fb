package dev.crm.churn.statistics;

/** What every purchase-count model offers the forecast: P(alive) and expected purchases ahead. */
public interface PurchaseCountModel {

    double pAlive(CustomerSummary customer);

    /** Expected repeat purchases in (T, T + t] for this customer. */
    double expectedPurchases(double t, CustomerSummary customer);
}
