package dev.crm.churn.domain;

/** How likely a customer is to have defected, in three bands around the tenant's threshold. */
public enum RiskTier {
    LOW, MEDIUM, HIGH;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * High below the threshold, medium in the lower half of the rest, low above; a risk signal (a
     * survey detractor, a complaint) raises the tier by one.
     */
    public static RiskTier of(double pAlive, double threshold, boolean riskSignal) {
        RiskTier base = pAlive < threshold ? HIGH : pAlive < threshold + (1 - threshold) / 2 ? MEDIUM : LOW;
        if (!riskSignal || base == HIGH) {
            return base;
        }
        return base == LOW ? MEDIUM : HIGH;
    }
}
