package dev.crm.churn.statistics;

/**
 * Pareto/NBD parameters: purchase rates λ ~ Gamma(r, α), drop-out rates μ ~ Gamma(s, β).
 */
public record ParetoNbdParameters(double r, double alpha, double s, double beta) {

    public ParetoNbdParameters {
        for (double p : new double[] {r, alpha, s, beta}) {
            if (!Double.isFinite(p) || p <= 0.0) {
                throw new IllegalArgumentException("Pareto/NBD parameters must be finite and > 0");
            }
        }
    }
}
