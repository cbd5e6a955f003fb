package dev.crm.churn.domain;

import java.math.BigDecimal;

/**
 * One customer's forecast in one run (the run's predictions list): P(alive), expected purchases over
 * the run's horizon (a backtest's evaluation period, else the tenant's), CLV over the tenant's horizon.
 */
public record ChurnPrediction(String contactId, double pAlive, double expectedPurchases, BigDecimal clv, String currency) {

    static ChurnPrediction of(ChurnScore s) {
        return new ChurnPrediction(s.contactId(), s.pAlive(), s.expectedPurchases(), s.clv(), s.currency());
    }
}
