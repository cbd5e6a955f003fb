package dev.crm.churn.statistics;

/**
 * BG/NBD parameters: purchase rates are Gamma(shape r, rate alpha) across customers, drop-out
 * probabilities are Beta(a, b).
 */
public record BgNbdParameters(double r, double alpha, double a, double b) {

    public BgNbdParameters {
        requirePositive("r", r);
        requirePositive("alpha", alpha);
        requirePositive("a", a);
        requirePositive("b", b);
    }

    static void requirePositive(String name, double value) {
        if (!(value > 0.0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }
}
