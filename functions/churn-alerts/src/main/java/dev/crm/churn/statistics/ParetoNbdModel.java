package dev.crm.churn.statistics;

/**
 * The Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987), in the notation of Fader &amp;
 * Hardie's note "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005): while alive a
 * customer buys at rate λ ~ Gamma(r, α) and stays alive an exponential time with rate μ ~ Gamma(s, β).
 *
 * <p>The likelihood of (x, tx, T) is
 * Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_tx^T (α+y)^−(r+x) (β+y)^−(s+1) dy ].
 * The integral is the difference of two tails I(tx) − I(T), each a closed form with ₂F₁
 * (I(u) = (α+u)^−m / m · ₂F₁(m, s+1; m+1; (α−β)/(α+u)) for α ≥ β, m = r+s+x, and the mirror image
 * for α &lt; β), taken in log space. Where the two tails are nearly equal (short tx..T) or the series
 * fails, the integral is summed directly with composite Gauss–Legendre in log space instead.
 */
public final class ParetoNbdModel implements PurchaseCountModel {

    /** Below this relative gap between the two tails, their difference loses too many digits. */
    private static final double MIN_TAIL_GAP = 1e-3;
    private static final double[] NODES;
    private static final double[] WEIGHTS;

    static {
        int n = 20;
        NODES = new double[n];
        WEIGHTS = new double[n];
        for (int i = 0; i < n; i++) {
            // Newton on P_n from the Chebyshev guess.
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0.0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p0 = 1.0;
                double p1 = 0.0;
                for (int k = 1; k <= n; k++) {
                    double p2 = p1;
                    p1 = p0;
                    p0 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p2) / k;
                }
                derivative = n * (z * p0 - p1) / (z * z - 1.0);
                double step = p0 / derivative;
                z -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            NODES[i] = z;
            WEIGHTS[i] = 2.0 / ((1.0 - z * z) * derivative * derivative);
        }
    }

    private final ParetoNbdParameters parameters;

    public ParetoNbdModel(ParetoNbdParameters parameters) {
        this.parameters = parameters;
    }

    public ParetoNbdParameters parameters() {
        return parameters;
    }

    public double logLikelihood(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        double r = parameters.r();
        double alpha = parameters.alpha();
        double s = parameters.s();
        double beta = parameters.beta();
        double common = SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * Math.log(alpha)
                + s * Math.log(beta);
        return common + SpecialFunctions.logSumExp(logAliveTerm(x, T), logDroppedTerm(x, tx, T));
    }

    public double logLikelihood(CustomerSummary customer) {
        return logLikelihood(customer.x(), customer.tx(), customer.T());
    }

    /** log of (α+T)^−(r+x) (β+T)^−s: still alive at T. */
    private double logAliveTerm(int x, double T) {
        return -(parameters.r() + x) * Math.log(parameters.alpha() + T) - parameters.s() * Math.log(parameters.beta() + T);
    }

    /** log of s ∫_tx^T (α+y)^−(r+x) (β+y)^−(s+1) dy: dropped out between tx and T. */
    private double logDroppedTerm(int x, double tx, double T) {
        if (T <= tx) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.log(parameters.s()) + logIntegral(x, tx, T);
    }

    double logIntegral(int x, double tx, double T) {
        try {
            double upper = logTail(x, tx);
            double lower = logTail(x, T);
            double gap = -Math.expm1(lower - upper);
            if (gap > MIN_TAIL_GAP && Double.isFinite(upper)) {
                return upper + Math.log(gap);
            }
        } catch (ArithmeticException | IllegalArgumentException seriesFailed) {
            // fall through to the quadrature
        }
        return logIntegralByQuadrature(x, tx, T);
    }

    /** log ∫_u^∞ (α+y)^−(r+x) (β+y)^−(s+1) dy via ₂F₁. */
    private double logTail(int x, double u) {
        double r = parameters.r();
        double alpha = parameters.alpha();
        double s = parameters.s();
        double beta = parameters.beta();
        double m = r + s + x;
        if (alpha >= beta) {
            double z = (alpha - beta) / (alpha + u);
            return -m * Math.log(alpha + u) - Math.log(m)
                    + Hypergeometric2F1.logValue(m, s + 1.0, m + 1.0, z, (beta + u) / (alpha + u));
        }
        double z = (beta - alpha) / (beta + u);
        return -m * Math.log(beta + u) - Math.log(m)
                + Hypergeometric2F1.logValue(m, r + x, m + 1.0, z, (alpha + u) / (beta + u));
    }

    /**
     * Composite 20-point Gauss–Legendre with log-sum-exp accumulation. The integrand falls by about
     * e^−(r+x) for each (α+tx) of distance, so panels are made short enough that it changes by at
     * most about e^−4 across one.
     */
    double logIntegralByQuadrature(int x, double tx, double T) {
        double r = parameters.r();
        double alpha = parameters.alpha();
        double s = parameters.s();
        double beta = parameters.beta();
        double decay = (r + x) * Math.log1p((T - tx) / (alpha + tx)) + (s + 1.0) * Math.log1p((T - tx) / (beta + tx));
        int panels = (int) Math.min(400, Math.max(1, Math.ceil(decay / 4.0)));
        double width = (T - tx) / panels;
        double total = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < panels; p++) {
            double middle = tx + (p + 0.5) * width;
            for (int i = 0; i < NODES.length; i++) {
                double y = middle + 0.5 * width * NODES[i];
                double logValue = Math.log(0.5 * width * WEIGHTS[i])
                        - (r + x) * Math.log(alpha + y) - (s + 1.0) * Math.log(beta + y);
                total = SpecialFunctions.logSumExp(total, logValue);
            }
        }
        return total;
    }

    /** P(alive at T | x, tx, T): the share of the likelihood from "still alive". */
    public double pAlive(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        double alive = logAliveTerm(x, T);
        return Math.exp(alive - SpecialFunctions.logSumExp(alive, logDroppedTerm(x, tx, T)));
    }

    @Override
    public double pAlive(CustomerSummary customer) {
        return pAlive(customer.x(), customer.tx(), customer.T());
    }

    /**
     * E[Y(t) | x, tx, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)];
     * at s = 1 the bracket over (s − 1) is its limit log(1 + t/(β+T)).
     */
    public double expectedPurchases(double t, int x, double tx, double T) {
        return pAlive(x, tx, T) * purchasesIfAlive(t, x, T);
    }

    @Override
    public double expectedPurchases(double t, CustomerSummary customer) {
        return expectedPurchases(t, customer.x(), customer.tx(), customer.T());
    }

    /** E[X(t)] for a customer who has just made their first purchase. */
    public double expectedPurchasesUnconditional(double t) {
        return purchasesIfAlive(t, 0, 0.0);
    }

    private double purchasesIfAlive(double t, int x, double T) {
        if (!Double.isFinite(t) || t < 0.0) {
            throw new IllegalArgumentException("horizon t must be finite and >= 0, got " + t);
        }
        double s = parameters.s();
        double betaT = parameters.beta() + T;
        double logGrowth = Math.log1p(t / betaT);
        double shrink = s - 1.0;
        // (1 − e^−(s−1)L)/(s−1) → L as s → 1; expm1 keeps it accurate near there.
        double integratedSurvival = Math.abs(shrink) < 1e-9 ? logGrowth : -Math.expm1(-shrink * logGrowth) / shrink;
        return (parameters.r() + x) / (parameters.alpha() + T) * betaT * integratedSurvival;
    }
}
