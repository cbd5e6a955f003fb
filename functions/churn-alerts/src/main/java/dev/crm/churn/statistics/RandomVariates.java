package dev.crm.churn.statistics;

import java.util.random.RandomGenerator;

/** Gamma and Beta variates drawn from a caller-supplied (seeded) generator. */
final class RandomVariates {

    private RandomVariates() {
    }

    /** Gamma with the given shape and rate (mean shape / rate). */
    static double gamma(RandomGenerator random, double shape, double rate) {
        return Math.exp(logStandardGamma(random, shape)) / rate;
    }

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), formed from logs so small shapes cannot give 0/0. */
    static double beta(RandomGenerator random, double a, double b) {
        double logX = logStandardGamma(random, a);
        double logY = logStandardGamma(random, b);
        return 1.0 / (1.0 + Math.exp(logY - logX));
    }

    /**
     * log of a Gamma(shape, 1) variate. Logs, because for shapes well below 1 the variate itself
     * underflows to 0 with noticeable probability.
     */
    static double logStandardGamma(RandomGenerator random, double shape) {
        if (!(shape > 0.0) || !Double.isFinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be positive and finite, got " + shape);
        }
        if (shape >= 1.0) {
            return Math.log(marsagliaTsang(random, shape));
        }
        // Gamma(k) = Gamma(k + 1) · U^(1/k) for k < 1 (Marsaglia & Tsang 2000, section 6).
        double uniform = 1.0 - random.nextDouble(); // in (0, 1], so its log is finite
        return Math.log(marsagliaTsang(random, shape + 1.0)) + Math.log(uniform) / shape;
    }

    /** Marsaglia &amp; Tsang (2000), "A simple method for generating gamma variables", shape ≥ 1. */
    private static double marsagliaTsang(RandomGenerator random, double shape) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double normal = random.nextGaussian();
            double v = 1.0 + c * normal;
            if (v <= 0.0) {
                continue;
            }
            v = v * v * v;
            double uniform = random.nextDouble();
            double squared = normal * normal;
            // Cheap squeeze first; the log test is exact acceptance.
            if (uniform < 1.0 - 0.0331 * squared * squared) {
                return d * v;
            }
            if (Math.log(uniform) < 0.5 * squared + d * (1.0 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
