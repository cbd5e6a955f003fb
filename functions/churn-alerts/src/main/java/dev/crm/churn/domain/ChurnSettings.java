package dev.crm.churn.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A tenant's retention settings (tenant settings, {@code churn}): who counts as valuable, when a
 * customer counts as at risk, and the value horizon. Absent values take these defaults.
 *
 * @param valueThreshold      a customer is valuable when their value at risk reaches this (tenant currency)
 * @param pAliveThreshold     below this P(alive) a customer is at high risk
 * @param horizonMonths       the horizon of expected purchases and CLV
 * @param monthlyDiscountRate the discount rate of CLV
 * @param minCustomersForModel below this many customers with purchases the models are not fitted and
 *                            the documented rule scores instead (at most 500)
 */
public record ChurnSettings(BigDecimal valueThreshold, double pAliveThreshold, int horizonMonths,
        double monthlyDiscountRate, int minCustomersForModel) {

    public static final int MAX_MIN_CUSTOMERS = 500;

    public static ChurnSettings defaults() {
        return new ChurnSettings(new BigDecimal("100"), 0.5, 12, 0.01, 500);
    }

    @SuppressWarnings("unchecked")
    public static ChurnSettings from(Map<String, Object> settings) {
        ChurnSettings d = defaults();
        if (!(settings.get("churn") instanceof Map<?, ?> raw)) {
            return d;
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        return new ChurnSettings(
                m.get("valueThreshold") instanceof Map<?, ?> money && money.get("amount") != null
                        ? new BigDecimal(String.valueOf(money.get("amount"))) : d.valueThreshold(),
                m.get("pAliveThreshold") instanceof Number n ? n.doubleValue() : d.pAliveThreshold(),
                m.get("horizonMonths") instanceof Number n ? n.intValue() : d.horizonMonths(),
                m.get("monthlyDiscountRate") instanceof Number n ? n.doubleValue() : d.monthlyDiscountRate(),
                m.get("minCustomersForModel") instanceof Number n ? n.intValue() : d.minCustomersForModel());
    }

    public double horizonWeeks() {
        return horizonMonths * dev.crm.churn.model.CustomerLifetimeValue.WEEKS_PER_MONTH;
    }
}
