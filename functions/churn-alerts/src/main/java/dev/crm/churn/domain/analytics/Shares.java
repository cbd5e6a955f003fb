package dev.crm.churn.domain.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The roundings of the analytics' figures, done once at the end. */
final class Shares {
    private Shares() {}

    /** {@code part / whole} to four decimals (as the cases' shares), null when {@code whole} is 0. */
    static BigDecimal share(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN);
    }

    static BigDecimal share(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? null : part.divide(whole, 4, RoundingMode.HALF_EVEN);
    }

    static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
