package dev.crm.churn.statistics;

/**
 * Log-gamma, digamma and log-beta for real arguments.
 *
 * <p>Both functions shift small arguments upwards with the recurrence and then use the Stirling
 * (respectively the asymptotic digamma) series, which is accurate to about 1e-16 relative once the
 * argument is at least {@link #ASYMPTOTIC_THRESHOLD}.
 */
final class SpecialFunctions {

    /** Above this the asymptotic series with the terms below is accurate to double precision. */
    private static final double ASYMPTOTIC_THRESHOLD = 10.0;

    private static final double HALF_LOG_TWO_PI = 0.91893853320467274178032973640562;

    /** B_{2k} / (2k (2k-1)) for k = 1..8: coefficients of the Stirling series for log-gamma. */
    private static final double[] STIRLING = {
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360360.0,
        1.0 / 156.0,
        -3617.0 / 122400.0,
    };

    /** B_{2k} / (2k) for k = 1..8: coefficients of the asymptotic series for digamma. */
    private static final double[] DIGAMMA_ASYMPTOTIC = {
        1.0 / 12.0,
        -1.0 / 120.0,
        1.0 / 252.0,
        -1.0 / 240.0,
        1.0 / 132.0,
        -691.0 / 32760.0,
        1.0 / 12.0,
        -3617.0 / 8160.0,
    };

    private SpecialFunctions() {
    }

    /** log Γ(x) for x &gt; 0. */
    static double logGamma(double x) {
        if (!(x > 0.0)) {
            throw new IllegalArgumentException("logGamma needs a positive argument, got " + x);
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (x >= ASYMPTOTIC_THRESHOLD) {
            return stirling(x);
        }
        // Γ(x) = Γ(x + n) / (x (x+1) ... (x+n-1)); the product stays far from overflow for x < 10.
        double product = 1.0;
        double shifted = x;
        while (shifted < ASYMPTOTIC_THRESHOLD) {
            product *= shifted;
            shifted += 1.0;
        }
        return stirling(shifted) - Math.log(product);
    }

    private static double stirling(double x) {
        double inverse = 1.0 / x;
        double inverseSquared = inverse * inverse;
        double series = 0.0;
        // Horner in 1/x^2, smallest terms first.
        for (int k = STIRLING.length - 1; k >= 0; k--) {
            series = series * inverseSquared + STIRLING[k];
        }
        return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series * inverse;
    }

    /**
     * Sign of Γ(x) and log |Γ(x)| for any real x that is not a non-positive integer; the
     * hypergeometric connection formulas need gamma at negative arguments.
     */
    static SignedLogNumber signedLogGamma(double x) {
        if (x > 0.0) {
            return new SignedLogNumber(1, logGamma(x));
        }
        if (x == Math.rint(x)) {
            throw new IllegalArgumentException("Gamma has a pole at " + x);
        }
        // Reflection: Γ(x) Γ(1-x) = π / sin(πx).
        double sine = sinPi(x);
        double logAbs = Math.log(Math.PI / Math.abs(sine)) - logGamma(1.0 - x);
        return new SignedLogNumber(sine > 0 ? 1 : -1, logAbs);
    }

    /** True when x is 0, -1, -2, ...: there 1/Γ(x) = 0. */
    static boolean isNonPositiveInteger(double x) {
        return x <= 0.0 && x == Math.rint(x);
    }

    /** sin(πx) with the argument reduced exactly first, so large |x| keeps full accuracy. */
    static double sinPi(double x) {
        double reduced = x % 2.0; // exact in floating point, in (-2, 2)
        if (reduced > 1.0) {
            reduced -= 2.0;
        } else if (reduced < -1.0) {
            reduced += 2.0;
        }
        // sin(π r) = sin(π (1 - r)) keeps the argument in [-1/2, 1/2] where sin is most accurate.
        if (reduced > 0.5) {
            reduced = 1.0 - reduced;
        } else if (reduced < -0.5) {
            reduced = -1.0 - reduced;
        }
        return Math.sin(Math.PI * reduced);
    }

    /** ψ(x) = d/dx log Γ(x) for x &gt; 0. */
    static double digamma(double x) {
        if (!(x > 0.0)) {
            throw new IllegalArgumentException("digamma needs a positive argument, got " + x);
        }
        double shift = 0.0;
        while (x < ASYMPTOTIC_THRESHOLD) {
            shift -= 1.0 / x;
            x += 1.0;
        }
        double inverseSquared = 1.0 / (x * x);
        double series = 0.0;
        for (int k = DIGAMMA_ASYMPTOTIC.length - 1; k >= 0; k--) {
            series = series * inverseSquared + DIGAMMA_ASYMPTOTIC[k];
        }
        return shift + Math.log(x) - 0.5 / x - series * inverseSquared;
    }

    /** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
    static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** log(exp(u) + exp(w)) without overflow; -∞ arguments are allowed. */
    static double logSumExp(double u, double w) {
        double max = Math.max(u, w);
        if (max == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return max + Math.log1p(Math.exp(Math.min(u, w) - max));
    }
}
