package dev.crm.churn.domain;

import java.math.BigDecimal;

/**
 * A tenant's retention settings (tenant settings, {@code retention}): who counts as valuable, when a
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
        return from(dev.crm.shared.tenant.TenantSettings.defaults());
    }

    /** The tenant's retention settings (tenant settings, {@code retention}). */
    public static ChurnSettings from(dev.crm.shared.tenant.TenantSettings settings) {
        var r = settings.retention();
        return new ChurnSettings(r.valueThreshold(), r.pAliveThreshold(), r.horizonMonths(), r.monthlyDiscountRate(),
                Math.min(MAX_MIN_CUSTOMERS, r.minCustomersForModel()));
    }

    public double horizonWeeks() {
        return horizonMonths * dev.crm.churn.statistics.CustomerLifetimeValue.WEEKS_PER_MONTH;
    }
}
