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
 * fails, the integral is summed directly with composite Gauss–Legendre in log space instead. The fit
 * uses the quadrature throughout (with the derivatives of the integral from the same nodes), so its
 * value and analytic gradient agree exactly and no ₂F₁ series is summed while fitting.
 */
public final class ParetoNbdModel implements PurchaseCountModel {

    /** Below this relative gap between the two tails, their difference loses too many digits. */
    private static final double MIN_TAIL_GAP = 1e-3;
    /** Quadrature panels at most (reached only for r + x in the thousands with tiny α). */
    private static final int MAX_PANELS = 2000;
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
     * Composite 20-point Gauss–Legendre in log space; {@link #integralMoments} has the details.
     */
    double logIntegralByQuadrature(int x, double tx, double T) {
        double[] moments = integralMoments(x, tx, T);
        return moments[0] + Math.log(moments[1]);
    }

    /**
     * ∫_tx^T f(y) dy with f(y) = (α+y)^−(r+x) (β+y)^−(s+1), and the integrals the gradient needs, by
     * composite 20-point Gauss–Legendre. Returns {log f(tx), S0, S1, S2, S3, S4} where, scaled by
     * 1/f(tx) (f falls from tx on, so nothing overflows): S0 = ∫ f, S1 = ∫ f log(α+y),
     * S2 = ∫ f/(α+y), S3 = ∫ f log(β+y), S4 = ∫ f/(β+y).
     *
     * <p>Panels are evenly spaced in log(γ+y), γ = min(α, β): f is a product of powers of α+y and β+y
     * whose singularities lie at −α and −β, so a panel whose ends differ by at most a factor 2 in γ+y
     * keeps them far from it, and each panel is also short enough that f falls by at most about e^−4
     * across it. Tiny γ or long tx..T cost only a logarithmic number of panels, unlike equal widths.
     */
    double[] integralMoments(int x, double tx, double T) {
        double r = parameters.r();
        double alpha = parameters.alpha();
        double s = parameters.s();
        double beta = parameters.beta();
        double rx = r + x;
        double s1 = s + 1.0;
        double reference = -rx * Math.log(alpha + tx) - s1 * Math.log(beta + tx);
        double[] result = new double[6];
        result[0] = reference;
        if (!(T > tx)) {
            return result;
        }
        double gamma = Math.min(alpha, beta);
        double span = Math.log((gamma + T) / (gamma + tx));
        // Across a panel spanning `step` in log(γ+y), log(α+y) and log(β+y) each change by at most
        // step and by at most their change over all of tx..T.
        double decayAlpha = rx * Math.log1p((T - tx) / (alpha + tx));
        double decayBeta = s1 * Math.log1p((T - tx) / (beta + tx));
        int panels = (int) Math.max(1.0, Math.ceil(span / Math.log(2.0)));
        while (panels < MAX_PANELS && Math.min(rx * span / panels, decayAlpha) + Math.min(s1 * span / panels, decayBeta) > 4.0) {
            panels = Math.min(MAX_PANELS, 2 * panels);
        }
        double step = span / panels;
        double lower = tx;
        for (int p = 1; p <= panels; p++) {
            double upper = p == panels ? T : (gamma + tx) * Math.exp(p * step) - gamma;
            double half = 0.5 * (upper - lower);
            double middle = 0.5 * (upper + lower);
            for (int i = 0; i < NODES.length; i++) {
                double y = middle + half * NODES[i];
                double logA = Math.log(alpha + y);
                double logB = Math.log(beta + y);
                double v = half * WEIGHTS[i] * Math.exp(-rx * logA - s1 * logB - reference);
                result[1] += v;
                result[2] += v * logA;
                result[3] += v / (alpha + y);
                result[4] += v * logB;
                result[5] += v / (beta + y);
            }
            lower = upper;
        }
        return result;
    }

    /**
     * One customer's log-likelihood (the integral by quadrature) and its gradient with respect to
     * (r, α, s, β), added into {@code gradient} times {@code weight}. With pA and pJ the shares of "alive
     * at T" and "dropped in (tx, T]" in the likelihood (pA + pJ = 1):
     * d/dr = ψ(r+x) − ψ(r) + log α − pA log(α+T) − pJ S1/S0; d/dα = r/α − (r+x) (pA/(α+T) + pJ S2/S0);
     * d/ds = log β − pA log(β+T) + pJ (1/s − S3/S0); d/dβ = s/β − pA s/(β+T) − pJ (s+1) S4/S0.
     */
    double addLogLikelihoodAndGradient(int x, double tx, double T, double weight, double[] gradient) {
        double r = parameters.r();
        double alpha = parameters.alpha();
        double s = parameters.s();
        double beta = parameters.beta();
        double logAlpha = Math.log(alpha);
        double logBeta = Math.log(beta);
        double logAlphaT = Math.log(alpha + T);
        double logBetaT = Math.log(beta + T);
        double alive = -(r + x) * logAlphaT - s * logBetaT;
        double common = SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * logAlpha + s * logBeta;
        double byR = SpecialFunctions.digamma(r + x) - SpecialFunctions.digamma(r) + logAlpha;
        double byAlpha = r / alpha;
        double byS = logBeta;
        double byBeta = s / beta;
        double value;
        if (T > tx) {
            double[] m = integralMoments(x, tx, T);
            double dropped = Math.log(s) + m[0] + Math.log(m[1]);
            double bracket = SpecialFunctions.logSumExp(alive, dropped);
            double pA = Math.exp(alive - bracket);
            double pJ = Math.exp(dropped - bracket);
            value = common + bracket;
            byR += -pA * logAlphaT - pJ * m[2] / m[1];
            byAlpha += -(r + x) * (pA / (alpha + T) + pJ * m[3] / m[1]);
            byS += -pA * logBetaT + pJ * (1.0 / s - m[4] / m[1]);
            byBeta += -pA * s / (beta + T) - pJ * (s + 1.0) * m[5] / m[1];
        } else {
            value = common + alive;
            byR += -logAlphaT;
            byAlpha += -(r + x) / (alpha + T);
            byS += -logBetaT;
            byBeta += -s / (beta + T);
        }
        gradient[0] += weight * byR;
        gradient[1] += weight * byAlpha;
        gradient[2] += weight * byS;
        gradient[3] += weight * byBeta;
        return weight * value;
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
