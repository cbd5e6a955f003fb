package dev.crm.churn.statistics;

import java.util.function.DoubleUnaryOperator;

/**
 * The BG/NBD model of Fader, Hardie &amp; Lee (2005), "Counting Your Customers the Easy Way: An
 * Alternative to the Pareto/NBD Model", Marketing Science 24(2):
 * <ul>
 *   <li>while active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α);</li>
 *   <li>after every repeat purchase the customer drops out with probability p ~ Beta(a, b)
 *       (so a customer who has made no repeat purchase is certainly still active).</li>
 * </ul>
 * Times are in whatever unit the parameters were fitted in (weeks in this library's tests).
 * All formulas are evaluated in log space so that customers with thousands of purchases over
 * thousands of periods neither overflow nor underflow.
 */
public final class BgNbdModel implements PurchaseCountModel {

    /**
     * Within this distance of a = 1 the expectation formula is 0/0 (its (a − 1) denominator and
     * its bracket both vanish); there it is interpolated from points this far and twice as far away.
     */
    private static final double A_NEAR_ONE = 1e-3;

    /** Horizons up to this multiple of α + T use the alternating series (it converges for &lt; 1). */
    private static final double ALTERNATING_MAX_RATIO = 0.75;
    private static final int ALTERNATING_MAX_TERMS = 5_000;
    /** Sum of term magnitudes over the magnitude of the sum beyond which the series is not used. */
    private static final double ALTERNATING_MAX_CANCELLATION = 1e3;

    private final BgNbdParameters parameters;

    public BgNbdModel(BgNbdParameters parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        this.parameters = parameters;
    }

    public BgNbdParameters parameters() {
        return parameters;
    }

    /**
     * Log-likelihood of one customer's (x, tx, T):
     * log[ Γ(r+x) α^r / Γ(r) ] + log[ B(a, b+x)/B(a,b) (α+T)^−(r+x) + 1{x&gt;0} B(a+1, b+x−1)/B(a,b) (α+tx)^−(r+x) ],
     * the second sum taken with log-sum-exp (equation 6 of the paper).
     */
    public double logLikelihood(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        double r = parameters.r();
        double alpha = parameters.alpha();
        double a = parameters.a();
        double b = parameters.b();
        double shape = r + x;
        double common = SpecialFunctions.logGamma(shape) - SpecialFunctions.logGamma(r) + r * Math.log(alpha);
        double logBetaAB = SpecialFunctions.logBeta(a, b);
        double stillActive = SpecialFunctions.logBeta(a, b + x) - logBetaAB - shape * Math.log(alpha + T);
        if (x == 0) {
            return common + stillActive;
        }
        double droppedAfterLast = SpecialFunctions.logBeta(a + 1.0, b + x - 1.0) - logBetaAB - shape * Math.log(alpha + tx);
        return common + SpecialFunctions.logSumExp(stillActive, droppedAfterLast);
    }

    public double logLikelihood(CustomerSummary customer) {
        return logLikelihood(customer.x(), customer.tx(), customer.T());
    }

    /**
     * P(customer still active at T | x, tx, T) =
     * 1 / (1 + 1{x&gt;0} a/(b+x−1) ((α+T)/(α+tx))^(r+x)) (equation 13 of the paper). It is exactly 1
     * for x = 0, because in this model a customer can only drop out right after a repeat purchase.
     */
    public double pAlive(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        return pAliveValidated(x, tx, T);
    }

    @Override
    public double pAlive(CustomerSummary customer) {
        return pAliveValidated(customer.x(), customer.tx(), customer.T());
    }

    private double pAliveValidated(int x, double tx, double T) {
        if (x == 0) {
            return 1.0;
        }
        double r = parameters.r();
        double alpha = parameters.alpha();
        double a = parameters.a();
        double b = parameters.b();
        // log of the odds "dropped out after the last purchase" : "still active";
        // log1p keeps (α+T)/(α+tx) accurate when T - tx is small relative to α + tx.
        double logOddsDropped = Math.log(a) - Math.log(b + x - 1.0) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
        return logistic(-logOddsDropped);
    }

    /** 1 / (1 + e^−u) without overflow for either sign of u. */
    private static double logistic(double u) {
        if (u >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-u));
        }
        double e = Math.exp(u);
        return e / (1.0 + e);
    }

    /**
     * Expected number of purchases in (T, T + t] for a customer with history (x, tx, T)
     * (equation 10 of the paper): P(alive) times the expectation for an active customer.
     */
    public double expectedPurchases(double t, int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        requireHorizon(t);
        return pAliveValidated(x, tx, T) * purchasesIfActive(t, x, parameters.alpha() + T);
    }

    @Override
    public double expectedPurchases(double t, CustomerSummary customer) {
        requireHorizon(t);
        return pAliveValidated(customer.x(), customer.tx(), customer.T())
                * purchasesIfActive(t, customer.x(), parameters.alpha() + customer.T());
    }

    /**
     * E[X(t)], the expected number of repeat purchases in (0, t] of a customer who has just made
     * their first purchase (equation 9 of the paper).
     */
    public double expectedPurchasesUnconditional(double t) {
        requireHorizon(t);
        return purchasesIfActive(t, 0, parameters.alpha());
    }

    private static void requireHorizon(double t) {
        if (!Double.isFinite(t) || t < 0.0) {
            throw new IllegalArgumentException("horizon t must be finite and >= 0, got " + t);
        }
    }

    /**
     * Expected purchases in the next t periods for a customer known to be active, whose posterior
     * rate is Gamma(r + x, α + T) and drop-out probability Beta(a, b + x):
     * (a+b+x−1)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))].
     * (For the unconditional E[X(t)] put x = 0 and α + T = α.)
     *
     * <p>That form subtracts two nearly equal numbers when the result is small compared with
     * (a+b+x−1)/(a−1), i.e. for large x or a near 1. For horizons up to {@link #ALTERNATING_MAX_RATIO}
     * (α + T) the equivalent alternating series is used first, which has neither problem.
     */
    double purchasesIfActive(double t, int x, double alphaPlusAge) {
        if (t == 0.0) {
            return 0.0;
        }
        if (t <= ALTERNATING_MAX_RATIO * alphaPlusAge) {
            double viaSeries = purchasesIfActiveByAlternatingSeries(t, x, alphaPlusAge);
            if (!Double.isNaN(viaSeries)) {
                return viaSeries;
            }
        }
        return purchasesIfActiveByHypergeometric(t, x, alphaPlusAge);
    }

    /**
     * Pfaff's transformation of the 2F1 above, after splitting off its leading 1, gives
     * (r+x) w Σ_m (r+x+1)_m (a)_m / ((a+b+x)_m (2)_m) (−w)^m with w = t/(α+T): no 1/(a − 1) and no
     * subtraction outside the series. Returns NaN when the series converges too slowly or cancels
     * too much (lost more than about three digits) to be trusted.
     */
    double purchasesIfActiveByAlternatingSeries(double t, int x, double alphaPlusAge) {
        double w = t / alphaPlusAge;
        double shapePlusOne = parameters.r() + x + 1.0;
        double a = parameters.a();
        double lowerPlusOne = a + parameters.b() + x;
        double sum = 0.0;
        double sumOfMagnitudes = 0.0;
        double term = 1.0;
        for (int m = 0; m < ALTERNATING_MAX_TERMS; m++) {
            sum += term;
            sumOfMagnitudes += Math.abs(term);
            double first = (shapePlusOne + m) / (lowerPlusOne + m);
            double second = (a + m) / (2.0 + m);
            term *= -first * second * w;
            if (!(sumOfMagnitudes < 1e250)) {
                return Double.NaN; // terms growing without bound: leave it to the 2F1 route
            }
            // Once every later ratio is below 1 in size the terms shrink monotonically, and the error
            // of an alternating series is then below its first omitted term. Each factor (k+u)/(k+l)
            // is either ≤ 1 or decreasing in k, so its current value bounds it from here on.
            double ratioBound = w * Math.max(1.0, first) * Math.max(1.0, second);
            if (ratioBound < 1.0 && Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                if (sumOfMagnitudes > ALTERNATING_MAX_CANCELLATION * Math.abs(sum)) {
                    return Double.NaN;
                }
                return (shapePlusOne - 1.0) * w * sum;
            }
        }
        return Double.NaN;
    }

    double purchasesIfActiveByHypergeometric(double t, int x, double alphaPlusAge) {
        double a = parameters.a();
        if (Math.abs(a - 1.0) < A_NEAR_ONE) {
            return interpolateAcrossRemovableSingularity(
                    shiftedA -> purchasesIfActive(t, x, alphaPlusAge, shiftedA), a, 1.0, A_NEAR_ONE);
        }
        return purchasesIfActive(t, x, alphaPlusAge, a);
    }

    private double purchasesIfActive(double t, int x, double alphaPlusAge, double a) {
        double r = parameters.r();
        double b = parameters.b();
        double shape = r + x;
        double upper = b + x;
        double lower = a + b + x - 1.0;
        double z = t / (alphaPlusAge + t);
        double oneMinusZ = alphaPlusAge / (alphaPlusAge + t);
        double logOneMinusZ = -Math.log1p(t / alphaPlusAge);
        if (lower > 0.0) {
            // G = (1-z)^(r+x) 2F1(...) is formed in log space: both factors alone overflow for large x.
            double logG = shape * logOneMinusZ + Hypergeometric2F1.logValue(shape, upper, lower, z, oneMinusZ);
            // expm1 keeps the small difference 1 - G accurate for short horizons.
            return lower / (a - 1.0) * -Math.expm1(logG);
        }
        // lower <= 0 only when x = 0 and a + b <= 1, where 2F1 has a pole or changes sign. Splitting off
        // the first series term gives lower (1 - G) = lower (1 - (1-z)^A) - (1-z)^A A B z H with
        // H = Σ (A+1)_m (B+1)_m / ((lower+1)_m (2)_m) z^m, which has no division by lower.
        double tail = Hypergeometric2F1.series(
                new double[] {shape + 1.0, upper + 1.0}, new double[] {lower + 1.0, 2.0}, z).toDouble();
        double stillAtRate = Math.exp(shape * logOneMinusZ);
        double scaled = lower * -Math.expm1(shape * logOneMinusZ) - stillAtRate * shape * upper * z * tail;
        return scaled / (a - 1.0);
    }

    /**
     * Value at {@code at} of a function that is smooth but cannot be evaluated accurately near
     * {@code center}: cubic interpolation through center ± δ and center ± 2δ.
     */
    static double interpolateAcrossRemovableSingularity(DoubleUnaryOperator function, double at, double center,
                                                        double delta) {
        double[] offsets = {-2.0, -1.0, 1.0, 2.0};
        double position = (at - center) / delta;
        double result = 0.0;
        for (int i = 0; i < offsets.length; i++) {
            result += Hypergeometric2F1.lagrangeWeight(offsets, i, position)
                    * function.applyAsDouble(center + offsets[i] * delta);
        }
        return result;
    }
}
