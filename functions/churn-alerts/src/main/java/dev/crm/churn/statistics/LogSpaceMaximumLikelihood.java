package dev.crm.churn.statistics;

import java.util.Arrays;
import java.util.List;

/**
 * Maximum likelihood for models whose parameters are all positive: BFGS on the logs of the
 * parameters (which removes the positivity constraints and evens out their scales), started from
 * several fixed points and then restarted from the best optimum with a fresh Hessian approximation
 * until the likelihood stops improving. Standard errors come from the inverse of a numerically
 * differentiated Hessian of the negative log-likelihood in the natural parameters.
 */
final class LogSpaceMaximumLikelihood {

    /** Total log-likelihood at natural (positive) parameters; writes d logL / d parameter into gradient. */
    interface LogLikelihood {
        double valueAndGradient(double[] parameters, double[] gradient);
    }

    record Estimate(double[] parameters, double[] standardErrors, double logLikelihood, int iterations,
                    boolean converged) {
    }

    /** Per-customer gradient size (in log-parameters) regarded as zero. */
    private static final double GRADIENT_TOLERANCE = 1e-9;
    private static final int MAX_ITERATIONS_PER_RUN = 1000;
    private static final int MAX_RESTARTS = 4;
    /** |log parameter| beyond this (parameters outside about 1e-13 .. 1e13) is treated as out of bounds. */
    private static final double LOG_PARAMETER_BOUND = 30.0;
    /** A restart has to improve the per-customer log-likelihood by more than this to count. */
    private static final double RESTART_IMPROVEMENT = 1e-13;
    /** Relative step of the central differences for the Hessian: about the cube root of ε. */
    private static final double HESSIAN_RELATIVE_STEP = 1e-5;
    private static final int NEWTON_POLISH_STEPS = 3;
    /** Central-difference step in log-parameters for the polishing Hessian. */
    private static final double NEWTON_POLISH_STEP = 1e-5;

    private LogSpaceMaximumLikelihood() {
    }

    static Estimate maximize(LogLikelihood logLikelihood, double totalWeight, List<double[]> starts) {
        int n = starts.get(0).length;
        // Dividing by the number of customers makes the tolerances independent of data size.
        BfgsMinimizer.Objective objective = (logParameters, gradient) -> {
            double[] parameters = new double[n];
            for (int i = 0; i < n; i++) {
                if (!(Math.abs(logParameters[i]) <= LOG_PARAMETER_BOUND)) {
                    return Double.POSITIVE_INFINITY;
                }
                parameters[i] = Math.exp(logParameters[i]);
            }
            double[] naturalGradient = new double[n];
            double value = logLikelihood.valueAndGradient(parameters, naturalGradient);
            for (int i = 0; i < n; i++) {
                // chain rule: d/d log θ = θ d/dθ
                gradient[i] = -naturalGradient[i] * parameters[i] / totalWeight;
            }
            return -value / totalWeight;
        };
        BfgsMinimizer minimizer = new BfgsMinimizer(GRADIENT_TOLERANCE, MAX_ITERATIONS_PER_RUN, 5.0);

        BfgsMinimizer.Result best = null;
        int iterations = 0;
        for (double[] start : starts) {
            double[] logStart = new double[n];
            for (int i = 0; i < n; i++) {
                logStart[i] = Math.log(start[i]);
            }
            BfgsMinimizer.Result result;
            try {
                result = minimizer.minimize(objective, logStart);
            } catch (IllegalArgumentException notFiniteAtStart) {
                continue; // another start will do
            }
            iterations += result.iterations();
            if (best == null || result.value() < best.value()) {
                best = result;
            }
        }
        if (best == null) {
            throw new IllegalStateException("the log-likelihood is not finite at any starting point");
        }
        for (int restart = 0; restart < MAX_RESTARTS; restart++) {
            BfgsMinimizer.Result again = minimizer.minimize(objective, best.point());
            iterations += again.iterations();
            boolean improved = again.value() < best.value() - RESTART_IMPROVEMENT;
            if (again.value() <= best.value()) {
                best = again;
            }
            if (!improved) {
                break;
            }
        }
        BfgsMinimizer.Result polished = newtonPolish(objective, best);
        iterations += polished.iterations() - best.iterations();
        best = polished;

        double[] parameters = new double[n];
        for (int i = 0; i < n; i++) {
            parameters[i] = Math.exp(best.point()[i]);
        }
        double[] gradient = new double[n];
        double maximum = logLikelihood.valueAndGradient(parameters, gradient);
        double[] standardErrors = standardErrors(logLikelihood, parameters);
        return new Estimate(parameters, standardErrors, maximum, iterations, best.converged());
    }

    /**
     * Close to the optimum the objective changes by less than its rounding error, so a line search
     * on function values stalls with the gradient around 1e-8. The gradient itself is still
     * informative there: a few Newton steps with a finite-difference Hessian of the gradient take it
     * down to its noise level. A step is kept only if it shrinks the gradient without raising the
     * objective beyond rounding.
     */
    private static BfgsMinimizer.Result newtonPolish(BfgsMinimizer.Objective objective, BfgsMinimizer.Result start) {
        int n = start.point().length;
        double[] point = start.point();
        double value = start.value();
        double[] gradient = start.gradient();
        int steps = 0;
        for (; steps < NEWTON_POLISH_STEPS && maxAbs(gradient) > GRADIENT_TOLERANCE * 1e-3; steps++) {
            double[][] hessian = new double[n][n];
            for (int j = 0; j < n; j++) {
                double[] plus = point.clone();
                double[] minus = point.clone();
                plus[j] += NEWTON_POLISH_STEP;
                minus[j] -= NEWTON_POLISH_STEP;
                double[] gradientPlus = new double[n];
                double[] gradientMinus = new double[n];
                objective.valueAndGradient(plus, gradientPlus);
                objective.valueAndGradient(minus, gradientMinus);
                for (int i = 0; i < n; i++) {
                    hessian[i][j] = (gradientPlus[i] - gradientMinus[i]) / (2.0 * NEWTON_POLISH_STEP);
                }
            }
            symmetrize(hessian);
            double[][] inverse = PositiveDefiniteMatrices.inverse(hessian);
            if (inverse == null) {
                break;
            }
            double[] candidate = point.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    candidate[i] -= inverse[i][j] * gradient[j];
                }
            }
            double[] candidateGradient = new double[n];
            double candidateValue = objective.valueAndGradient(candidate, candidateGradient);
            boolean better = Double.isFinite(candidateValue)
                    && candidateValue <= value + 1e-13 * Math.abs(value)
                    && maxAbs(candidateGradient) < maxAbs(gradient);
            if (!better) {
                break;
            }
            point = candidate;
            value = candidateValue;
            gradient = candidateGradient;
        }
        return new BfgsMinimizer.Result(point, value, gradient, start.iterations() + steps,
                maxAbs(gradient) <= GRADIENT_TOLERANCE);
    }

    private static double maxAbs(double[] v) {
        double max = 0.0;
        for (double value : v) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    private static void symmetrize(double[][] matrix) {
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < i; j++) {
                double symmetric = 0.5 * (matrix[i][j] + matrix[j][i]);
                matrix[i][j] = symmetric;
                matrix[j][i] = symmetric;
            }
        }
    }

    /**
     * sqrt(diag(H⁻¹)) where H is the Hessian of −logL, obtained by central differences of the
     * analytic gradient (one derivative fewer to approximate than differencing the value twice).
     */
    static double[] standardErrors(LogLikelihood logLikelihood, double[] parameters) {
        int n = parameters.length;
        double[][] hessian = new double[n][n];
        for (int j = 0; j < n; j++) {
            double step = HESSIAN_RELATIVE_STEP * parameters[j];
            double[] plus = parameters.clone();
            double[] minus = parameters.clone();
            plus[j] += step;
            minus[j] -= step;
            double[] gradientPlus = new double[n];
            double[] gradientMinus = new double[n];
            logLikelihood.valueAndGradient(plus, gradientPlus);
            logLikelihood.valueAndGradient(minus, gradientMinus);
            for (int i = 0; i < n; i++) {
                hessian[i][j] = -(gradientPlus[i] - gradientMinus[i]) / (2.0 * step);
            }
        }
        symmetrize(hessian);
        double[][] covariance = PositiveDefiniteMatrices.inverse(hessian);
        double[] errors = new double[n];
        if (covariance == null) {
            Arrays.fill(errors, Double.NaN);
            return errors;
        }
        for (int i = 0; i < n; i++) {
            errors[i] = Math.sqrt(covariance[i][i]);
        }
        return errors;
    }
}
