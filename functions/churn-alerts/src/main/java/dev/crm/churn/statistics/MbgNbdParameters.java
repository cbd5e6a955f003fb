package dev.crm.churn.statistics;

/** MBG/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out probabilities p ~ Beta(a, b). */
public record MbgNbdParameters(double r, double alpha, double a, double b) {

    public MbgNbdParameters {
        for (double p : new double[] {r, alpha, a, b}) {
            if (!Double.isFinite(p) || p <= 0.0) {
                throw new IllegalArgumentException("MBG/NBD parameters must be finite and > 0");
            }
        }
    }
}
