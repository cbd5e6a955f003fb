package dev.crm.churn.domain.analytics;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A performance measure of the scorecard, with the range a target may take (the unit of its actual:
 * counts, shares 0–1, money in the tenant's currency, NPS −100–100, CSAT % 0–100).
 */
public enum Measure {
    NEW_CUSTOMERS("newCustomers", "0", "1000000000", 0),
    REPEAT_PURCHASE_RATE("repeatPurchaseRate", "0", "1", 4),
    REVENUE("revenue", "0", "1000000000000", 2),
    NPS("nps", "-100", "100", 1),
    CSAT("csat", "0", "100", 1),
    SLA_ATTAINMENT("slaAttainment", "0", "1", 4);

    private final String wire;
    private final BigDecimal min;
    private final BigDecimal max;
    private final int scale;

    Measure(String wire, String min, String max, int scale) {
        this.wire = wire;
        this.min = new BigDecimal(min);
        this.max = new BigDecimal(max);
        this.scale = scale;
    }

    public String wire() {
        return wire;
    }

    public BigDecimal min() {
        return min;
    }

    public BigDecimal max() {
        return max;
    }

    /** The decimals its figures are given to (0 for a count). */
    public int scale() {
        return scale;
    }

    public static Measure ofWire(String wire) {
        for (Measure m : values()) {
            if (m.wire.equals(wire)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
