package dev.crm.churn.statistics;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z ≤ 1.
 *
 * <p>Strategy:
 * <ul>
 *   <li>z &lt; 0 is mapped into (0, 1) with Pfaff's transformation, so only positive arguments are
 *       ever summed.</li>
 *   <li>On (0, 1) the power series is summed with running rescaling, i.e. effectively in log space,
 *       because for customers with thousands of purchases the terms exceed the double range long
 *       before the series turns round. Summation stops with a rigorous bound on the remaining
 *       tail, not on the size of the last term.</li>
 *   <li>When z is so close to 1 that the series would need many terms, the 1 − z connection
 *       formula is used instead; if c − a − b is (nearly) an integer that formula degenerates and
 *       the value is interpolated in c from nearby non-degenerate points (the function is smooth in
 *       c). If the connection formula cancels badly, the plain series is summed after all.</li>
 * </ul>
 */
public final class Hypergeometric2F1 {

    /** Below this the direct series converges at least geometrically with ratio 0.9. */
    private static final double DIRECT_SERIES_MAX_Z = 0.9;
    /** Above this estimated number of terms the connection formula is preferred. */
    private static final double DIRECT_SERIES_TERM_BUDGET = 20_000;
    /** Hard cap so a pathological call fails loudly instead of spinning. */
    static final int MAX_TERMS = 20_000_000;
    /** Relative size of the neglected tail at which summation stops. */
    private static final double TOLERANCE = 1e-17;
    /** Distance of c − a − b from an integer inside which the connection formula is interpolated. */
    private static final double DEGENERATE_DISTANCE = 1e-4;
    /** More than this many natural-log units lost to cancellation makes the result untrustworthy. */
    private static final double MAX_CANCELLATION = 23.0; // about 10 decimal digits

    private static final double RESCALE_ABOVE = 1e250;
    private static final double RESCALE_FACTOR = 1e-250;
    private static final double LOG_RESCALE = 250.0 * Math.log(10.0);

    private Hypergeometric2F1() {
    }

    /** 2F1(a, b; c; z). May overflow to ±∞ for huge values; use {@link #logValue} then. */
    public static double value(double a, double b, double c, double z) {
        return signedLog(a, b, c, z, 1.0 - z).toDouble();
    }

    /** log 2F1(a, b; c; z) for arguments where the function is positive. */
    public static double logValue(double a, double b, double c, double z) {
        return logValue(a, b, c, z, 1.0 - z);
    }

    /**
     * As {@link #logValue(double, double, double, double)} with 1 − z supplied by the caller, who can
     * often compute it without the cancellation of {@code 1.0 - z} when z is close to 1.
     */
    static double logValue(double a, double b, double c, double z, double oneMinusZ) {
        SignedLogNumber result = signedLog(a, b, c, z, oneMinusZ);
        if (result.sign() <= 0) {
            throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") is not positive");
        }
        return result.logAbs();
    }

    static SignedLogNumber signedLog(double a, double b, double c, double z, double oneMinusZ) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("2F1 arguments must be finite");
        }
        if (SpecialFunctions.isNonPositiveInteger(c)) {
            throw new IllegalArgumentException("2F1 is undefined for c = " + c);
        }
        if (z > 1.0) {
            throw new IllegalArgumentException("2F1 is only implemented for z <= 1, got " + z);
        }
        if (z == 0.0 || a == 0.0 || b == 0.0) {
            return SignedLogNumber.ONE;
        }
        if (SpecialFunctions.isNonPositiveInteger(a) || SpecialFunctions.isNonPositiveInteger(b)) {
            // A polynomial: the series terminates exactly, whatever z is.
            return series2F1(a, b, c, z);
        }
        if (z == 1.0) {
            return valueAtOne(a, b, c);
        }
        if (z < 0.0) {
            // Pfaff: 2F1(a,b;c;z) = (1-z)^(-a) 2F1(a, c-b; c; z/(z-1)), and z/(z-1) lies in (0, 1).
            double mapped = -z / oneMinusZ;
            double mappedComplement = 1.0 / oneMinusZ;
            SignedLogNumber prefactor = new SignedLogNumber(1, -a * Math.log(oneMinusZ));
            if (SpecialFunctions.isNonPositiveInteger(c - b)) {
                return prefactor.times(series2F1(a, c - b, c, mapped));
            }
            return prefactor.times(onUnitInterval(a, c - b, c, mapped, mappedComplement));
        }
        return onUnitInterval(a, b, c, z, oneMinusZ);
    }

    private static SignedLogNumber onUnitInterval(double a, double b, double c, double z, double oneMinusZ) {
        if (z <= DIRECT_SERIES_MAX_Z || estimatedSeriesTerms(a, b, c, z, oneMinusZ) <= DIRECT_SERIES_TERM_BUDGET) {
            return series2F1(a, b, c, z);
        }
        double excess = c - a - b;
        double nearestInteger = Math.rint(excess);
        SignedLogNumber viaConnection;
        if (Math.abs(excess - nearestInteger) < DEGENERATE_DISTANCE) {
            viaConnection = interpolatedConnection(a, b, c, oneMinusZ, nearestInteger);
        } else {
            viaConnection = connection(a, b, c, oneMinusZ);
        }
        if (viaConnection != null) {
            return viaConnection;
        }
        return series2F1(a, b, c, z);
    }

    /** Rough count of series terms: up to the largest term, then until it has decayed by 1e-17. */
    private static double estimatedSeriesTerms(double a, double b, double c, double z, double oneMinusZ) {
        double growth = Math.max(0.0, (Math.abs(a) + Math.abs(b)) * z - c);
        return (growth + 40.0) / oneMinusZ;
    }

    /**
     * The 1 − z connection formula (Abramowitz &amp; Stegun 15.3.6), valid when c − a − b is not an
     * integer. Returns null when the two terms cancel too much to trust the result.
     */
    private static SignedLogNumber connection(double a, double b, double c, double oneMinusZ) {
        double excess = c - a - b;
        SignedLogNumber gammaC = SpecialFunctions.signedLogGamma(c);

        SignedLogNumber first = SignedLogNumber.ZERO;
        if (!SpecialFunctions.isNonPositiveInteger(c - a) && !SpecialFunctions.isNonPositiveInteger(c - b)) {
            SignedLogNumber coefficient = gammaC
                    .times(SpecialFunctions.signedLogGamma(excess))
                    .times(reciprocal(SpecialFunctions.signedLogGamma(c - a)))
                    .times(reciprocal(SpecialFunctions.signedLogGamma(c - b)));
            first = coefficient.times(series2F1(a, b, 1.0 - excess, oneMinusZ));
        }

        SignedLogNumber coefficient = new SignedLogNumber(1, excess * Math.log(oneMinusZ))
                .times(gammaC)
                .times(SpecialFunctions.signedLogGamma(-excess))
                .times(reciprocal(SpecialFunctions.signedLogGamma(a)))
                .times(reciprocal(SpecialFunctions.signedLogGamma(b)));
        SignedLogNumber second = coefficient.times(series2F1(c - a, c - b, 1.0 + excess, oneMinusZ));

        SignedLogNumber total = first.plus(second);
        double largest = Math.max(first.logAbs(), second.logAbs());
        if (total.sign() == 0 || !Double.isFinite(total.logAbs()) || largest - total.logAbs() > MAX_CANCELLATION) {
            return null;
        }
        return total;
    }

    /**
     * Near an integer c − a − b both connection terms have poles that cancel; evaluate at four
     * shifted c where the excess sits δ and 2δ either side of the integer and interpolate with a
     * cubic (error O(δ⁴), cancellation loss about ε/δ ≈ 1e-13).
     */
    private static SignedLogNumber interpolatedConnection(double a, double b, double c, double oneMinusZ,
                                                          double nearestInteger) {
        double excess = c - a - b;
        double[] offsets = {-2.0, -1.0, 1.0, 2.0};
        SignedLogNumber[] values = new SignedLogNumber[offsets.length];
        double referenceLog = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < offsets.length; i++) {
            double shiftedC = c + (nearestInteger + offsets[i] * DEGENERATE_DISTANCE - excess);
            if (SpecialFunctions.isNonPositiveInteger(shiftedC)) {
                return null;
            }
            values[i] = connection(a, b, shiftedC, oneMinusZ);
            if (values[i] == null) {
                return null;
            }
            referenceLog = Math.max(referenceLog, values[i].logAbs());
        }
        double position = (excess - nearestInteger) / DEGENERATE_DISTANCE;
        boolean sameSign = true;
        for (SignedLogNumber value : values) {
            sameSign &= value.sign() == values[0].sign() && value.sign() != 0;
        }
        if (sameSign) {
            // Near z = 1 the function behaves like (1 − z)^(c−a−b) in c, so its log is nearly linear
            // in c and interpolates far better than the value itself.
            double logAbs = 0.0;
            for (int i = 0; i < offsets.length; i++) {
                logAbs += lagrangeWeight(offsets, i, position) * values[i].logAbs();
            }
            return new SignedLogNumber(values[0].sign(), logAbs);
        }
        double interpolated = 0.0;
        for (int i = 0; i < offsets.length; i++) {
            interpolated += lagrangeWeight(offsets, i, position)
                    * values[i].sign() * Math.exp(values[i].logAbs() - referenceLog);
        }
        return SignedLogNumber.of(interpolated).times(new SignedLogNumber(1, referenceLog));
    }

    /** Weight of node i in the Lagrange polynomial through {@code nodes}, evaluated at {@code position}. */
    static double lagrangeWeight(double[] nodes, int i, double position) {
        double weight = 1.0;
        for (int j = 0; j < nodes.length; j++) {
            if (j != i) {
                weight *= (position - nodes[j]) / (nodes[i] - nodes[j]);
            }
        }
        return weight;
    }

    /** Gauss's summation theorem, valid for c − a − b &gt; 0. */
    private static SignedLogNumber valueAtOne(double a, double b, double c) {
        double excess = c - a - b;
        if (!(excess > 0.0)) {
            throw new IllegalArgumentException("2F1 diverges at z = 1 unless c - a - b > 0");
        }
        if (SpecialFunctions.isNonPositiveInteger(c - a) || SpecialFunctions.isNonPositiveInteger(c - b)) {
            return SignedLogNumber.ZERO;
        }
        return SpecialFunctions.signedLogGamma(c)
                .times(SpecialFunctions.signedLogGamma(excess))
                .times(reciprocal(SpecialFunctions.signedLogGamma(c - a)))
                .times(reciprocal(SpecialFunctions.signedLogGamma(c - b)));
    }

    private static SignedLogNumber reciprocal(SignedLogNumber value) {
        return new SignedLogNumber(value.sign(), -value.logAbs());
    }

    private static SignedLogNumber series2F1(double a, double b, double c, double z) {
        return series(new double[] {a, b}, new double[] {c, 1.0}, z);
    }

    /**
     * Sum of the series Σ t_n with t_0 = 1 and t_{n+1} / t_n = z Π_i (n + upper_i) / (n + lower_i).
     * With upper = {a, b}, lower = {c, 1} this is 2F1; other choices give the related series that the
     * BG/NBD model needs. Requires as many upper as lower parameters.
     */
    static SignedLogNumber series(double[] upper, double[] lower, double z) {
        if (upper.length != lower.length) {
            throw new IllegalArgumentException("series needs as many upper as lower parameters");
        }
        // The leading 1 is kept apart from the other terms so that log(1 + tail) can be formed with
        // log1p: for short horizons the tail is tiny and log(sum) would lose most of its digits.
        double leading = 1.0;
        double tail = 0.0;
        double term = 1.0;
        double logScale = 0.0;
        for (int n = 0; n < MAX_TERMS; n++) {
            double ratio = z;
            for (int i = 0; i < upper.length; i++) {
                ratio *= (n + upper[i]) / (n + lower[i]);
            }
            term *= ratio;
            if (term == 0.0) {
                return seriesResult(leading, tail, logScale); // terminating polynomial, or negligible term
            }
            tail += term;
            double sum = leading + tail;
            if (Math.abs(sum) > RESCALE_ABOVE || Math.abs(term) > RESCALE_ABOVE) {
                leading *= RESCALE_FACTOR;
                tail *= RESCALE_FACTOR;
                term *= RESCALE_FACTOR;
                logScale += LOG_RESCALE;
                sum = leading + tail;
            }
            double threshold = TOLERANCE * Math.abs(sum);
            if (Math.abs(term) <= threshold) {
                double bound = tailRatioBound(upper, lower, n + 1, z);
                if (bound < 1.0 && Math.abs(term) * bound / (1.0 - bound) <= threshold) {
                    return seriesResult(leading, tail, logScale);
                }
            }
            if (!Double.isFinite(sum)) {
                throw new ArithmeticException("hypergeometric series overflowed");
            }
        }
        throw new ArithmeticException("hypergeometric series did not converge in " + MAX_TERMS + " terms (z = " + z + ")");
    }

    private static SignedLogNumber seriesResult(double leading, double tail, double logScale) {
        if (logScale == 0.0 && tail > -1.0) {
            return new SignedLogNumber(1, Math.log1p(tail));
        }
        return SignedLogNumber.of(leading + tail).times(new SignedLogNumber(1, logScale));
    }

    /**
     * An upper bound on |t_{k+1} / t_k| for every k ≥ n, or +∞ when none is available yet. Once every
     * n + upper_i and n + lower_i is positive, each factor (k + u)/(k + l) is either ≤ 1 (u ≤ l) or
     * decreasing in k (u &gt; l), so its value at k = n bounds it from then on.
     */
    private static double tailRatioBound(double[] upper, double[] lower, int n, double z) {
        double bound = boundForPairing(upper, lower, n, false);
        if (upper.length == 2) {
            // Pairing the other way round can give a much tighter bound, e.g. 2F1(a, b; a + 1; z).
            bound = Math.min(bound, boundForPairing(upper, lower, n, true));
        }
        return Math.abs(z) * bound;
    }

    private static double boundForPairing(double[] upper, double[] lower, int n, boolean swapped) {
        double bound = 1.0;
        for (int i = 0; i < upper.length; i++) {
            double u = swapped ? upper[upper.length - 1 - i] : upper[i];
            double l = lower[i];
            if (n + u <= 0.0 || n + l <= 0.0) {
                return Double.POSITIVE_INFINITY;
            }
            if (u > l) {
                bound *= (n + u) / (n + l);
            }
        }
        return bound;
    }
}
