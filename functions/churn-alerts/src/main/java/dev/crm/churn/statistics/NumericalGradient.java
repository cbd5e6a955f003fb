package dev.crm.churn.statistics;

import java.util.function.ToDoubleFunction;

/**
 * Central-difference gradient for likelihoods whose analytic derivatives are not worth the code
 * (Pareto/NBD's 2F1 terms, MBG/NBD). Steps are relative to each parameter, i.e. taken in log space,
 * where {@link LogSpaceMaximumLikelihood} works.
 */
final class NumericalGradient {

    /** About the cube root of ε: balances truncation against rounding error. */
    private static final double RELATIVE_STEP = 6e-6;

    private NumericalGradient() {
    }

    static LogSpaceMaximumLikelihood.LogLikelihood of(ToDoubleFunction<double[]> logLikelihood) {
        return (parameters, gradient) -> {
            double value = logLikelihood.applyAsDouble(parameters);
            for (int i = 0; i < parameters.length; i++) {
                double h = RELATIVE_STEP * parameters[i];
                double[] plus = parameters.clone();
                double[] minus = parameters.clone();
                plus[i] += h;
                minus[i] -= h;
                gradient[i] = (logLikelihood.applyAsDouble(plus) - logLikelihood.applyAsDouble(minus)) / (plus[i] - minus[i]);
            }
            return value;
        };
    }
}
