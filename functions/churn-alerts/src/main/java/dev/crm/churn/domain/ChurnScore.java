package dev.crm.churn.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer's score: P(alive), expected purchases over the horizon, CLV over the horizon, the
 * value at risk (what they would spend over the horizon at their own past rate), the risk tier.
 */
public record ChurnScore(String contactId, double pAlive, double expectedPurchases, BigDecimal clv,
        BigDecimal valueAtRisk, RiskTier riskTier, boolean riskSignal, Instant scoredAt, String currency, String runId,
        Rfm rfm) {

    /** A score without RFM quintiles (a run checkpointed by an earlier version, or a backtest). */
    public ChurnScore(String contactId, double pAlive, double expectedPurchases, BigDecimal clv, BigDecimal valueAtRisk,
            RiskTier riskTier, boolean riskSignal, Instant scoredAt, String currency, String runId) {
        this(contactId, pAlive, expectedPurchases, clv, valueAtRisk, riskTier, riskSignal, scoredAt, currency, runId, null);
    }

    /** The same score with the customer's RFM quintiles. */
    public ChurnScore withRfm(Rfm quintiles) {
        return new ChurnScore(contactId, pAlive, expectedPurchases, clv, valueAtRisk, riskTier, riskSignal, scoredAt, currency,
                runId, quintiles);
    }

    /**
     * The amount in cents, rounded half up from its decimal form ({@code BigDecimal.valueOf}, i.e. its
     * {@code Double.toString}, then {@code setScale(2, HALF_UP)}). That string cost ~40 % of scoring 10 million
     * customers, so amounts whose hundredfold is not within a few ulps of a half cent are rounded in binary: the
     * decimal form is within half an ulp of the double, so both round the same way there.
     */
    public static BigDecimal money(double amount) {
        double a = Double.isFinite(amount) ? Math.max(0, amount) : 0;
        double cents = a * 100.0;
        if (cents < 0x1p40) {
            double whole = Math.floor(cents);
            double fraction = cents - whole;
            if (Math.abs(fraction - 0.5) > 8 * Math.ulp(cents)) {
                return BigDecimal.valueOf((long) whole + (fraction > 0.5 ? 1 : 0), 2);
            }
        }
        return decimalMoney(a);
    }

    /** {@link #money}'s definition, for amounts near a half cent (and for the tests). */
    static BigDecimal decimalMoney(double amount) {
        return BigDecimal.valueOf(Double.isFinite(amount) ? Math.max(0, amount) : 0).setScale(2, RoundingMode.HALF_UP);
    }

    /** The API form, shown as {@code churnScore} in the contact's 360° view. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pAlive", BigDecimal.valueOf(pAlive).setScale(4, RoundingMode.HALF_UP));
        m.put("expectedPurchases", BigDecimal.valueOf(expectedPurchases).setScale(3, RoundingMode.HALF_UP));
        m.put("clv", Map.of("amount", clv.toPlainString(), "currency", currency));
        m.put("valueAtRisk", Map.of("amount", valueAtRisk.toPlainString(), "currency", currency));
        m.put("riskTier", riskTier.wire());
        m.put("riskSignal", riskSignal);
        m.put("scoredAt", scoredAt);
        m.put("runId", runId);
        if (rfm != null) {
            m.put("rfm", rfm.toJson()); // segment rules read rfm.r, rfm.f, rfm.m, rfm.score (ContactFacts)
        }
        return m;
    }
}
