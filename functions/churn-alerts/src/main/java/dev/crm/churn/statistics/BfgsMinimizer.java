package dev.crm.churn.statistics;

import java.util.Arrays;

/**
 * Quasi-Newton (BFGS) minimisation with a strong-Wolfe line search (Nocedal &amp; Wright, Numerical
 * Optimization, algorithms 6.1, 3.5 and 3.6). The objective may return a non-finite value to mark a
 * point as outside its domain; the line search then backs off. Fully deterministic.
 */
final class BfgsMinimizer {

    /** The function to minimise; writes its gradient into {@code gradient} and returns its value. */
    interface Objective {
        double valueAndGradient(double[] point, double[] gradient);
    }

    record Result(double[] point, double value, double[] gradient, int iterations, boolean converged) {
    }

    // Usual strong-Wolfe constants for quasi-Newton methods.
    private static final double SUFFICIENT_DECREASE = 1e-4;
    private static final double CURVATURE = 0.9;
    private static final int MAX_LINE_SEARCH_EVALUATIONS = 60;
    /** Iterations in a row without measurable decrease after which the search is over. */
    private static final int MAX_STALLED_ITERATIONS = 5;

    private final double gradientTolerance;
    private final int maxIterations;
    /** Longest move per coordinate in one line search; keeps log-parameters from leaping to extremes. */
    private final double maxStep;

    BfgsMinimizer(double gradientTolerance, int maxIterations, double maxStep) {
        this.gradientTolerance = gradientTolerance;
        this.maxIterations = maxIterations;
        this.maxStep = maxStep;
    }

    Result minimize(Objective objective, double[] start) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double f = objective.valueAndGradient(x, g);
        if (!Double.isFinite(f) || !allFinite(g)) {
            throw new IllegalArgumentException("objective is not finite at the starting point " + Arrays.toString(start));
        }
        double[][] inverseHessian = identity(n);
        boolean inverseHessianIsIdentity = true;
        boolean scaled = false;
        int stalled = 0;
        int iteration = 0;
        while (iteration < maxIterations) {
            if (maxAbs(g) <= gradientTolerance) {
                return new Result(x, f, g, iteration, true);
            }
            double[] direction = times(inverseHessian, g);
            negate(direction);
            if (dot(direction, g) >= 0.0) {
                // Curvature information has gone bad: fall back to steepest descent.
                inverseHessian = identity(n);
                inverseHessianIsIdentity = true;
                scaled = false;
                direction = g.clone();
                negate(direction);
            }
            double initialStep = 1.0;
            double largestMove = maxAbs(direction);
            if (largestMove * initialStep > maxStep) {
                initialStep = maxStep / largestMove;
            }
            LineSearchPoint accepted = lineSearch(objective, x, f, g, direction, initialStep);
            if (accepted == null) {
                if (inverseHessianIsIdentity) {
                    break; // even steepest descent cannot make progress: as good as it gets
                }
                inverseHessian = identity(n);
                inverseHessianIsIdentity = true;
                scaled = false;
                iteration++;
                continue;
            }
            iteration++;
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = accepted.point[i] - x[i];
                y[i] = accepted.gradient[i] - g[i];
            }
            double decrease = f - accepted.value;
            stalled = decrease <= 1e-15 * Math.max(1.0, Math.abs(f)) ? stalled + 1 : 0;
            x = accepted.point;
            f = accepted.value;
            g = accepted.gradient;
            double sy = dot(s, y);
            if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                if (!scaled) {
                    // Nocedal & Wright (6.20): give the first approximation the right overall scale.
                    double scale = sy / dot(y, y);
                    for (int i = 0; i < n; i++) {
                        inverseHessian[i][i] = scale;
                    }
                    scaled = true;
                }
                updateInverseHessian(inverseHessian, s, y, sy);
                inverseHessianIsIdentity = false;
            }
            if (stalled >= MAX_STALLED_ITERATIONS) {
                break;
            }
        }
        return new Result(x, f, g, iteration, maxAbs(g) <= gradientTolerance);
    }

    private record LineSearchPoint(double step, double[] point, double value, double[] gradient, double slope) {
    }

    private LineSearchPoint evaluate(Objective objective, double[] x, double[] direction, double step) {
        int n = x.length;
        double[] point = new double[n];
        for (int i = 0; i < n; i++) {
            point[i] = x[i] + step * direction[i];
        }
        double[] gradient = new double[n];
        double value = objective.valueAndGradient(point, gradient);
        if (!Double.isFinite(value) || !allFinite(gradient)) {
            return new LineSearchPoint(step, point, Double.POSITIVE_INFINITY, gradient, Double.NaN);
        }
        return new LineSearchPoint(step, point, value, gradient, dot(gradient, direction));
    }

    /** Algorithm 3.5: returns a point satisfying the strong Wolfe conditions, or null. */
    private LineSearchPoint lineSearch(Objective objective, double[] x, double f0, double[] g0, double[] direction,
                                       double initialStep) {
        double slope0 = dot(g0, direction);
        LineSearchPoint origin = new LineSearchPoint(0.0, x, f0, g0, slope0);
        LineSearchPoint previous = origin;
        double step = initialStep;
        double maxStepLength = maxStep / Math.max(maxAbs(direction), Double.MIN_NORMAL);
        for (int evaluations = 0; evaluations < MAX_LINE_SEARCH_EVALUATIONS; evaluations++) {
            LineSearchPoint current = evaluate(objective, x, direction, step);
            if (!Double.isFinite(current.value)
                    || current.value > f0 + SUFFICIENT_DECREASE * step * slope0
                    || (previous != origin && current.value >= previous.value)) {
                return zoom(objective, x, f0, slope0, direction, previous, current);
            }
            if (Math.abs(current.slope) <= -CURVATURE * slope0) {
                return current;
            }
            if (current.slope >= 0.0) {
                return zoom(objective, x, f0, slope0, direction, current, previous);
            }
            if (step >= maxStepLength) {
                return current; // sufficient decrease holds; do not wander further
            }
            previous = current;
            step = Math.min(2.0 * step, maxStepLength);
        }
        return null;
    }

    /** Algorithm 3.6: shrinks a bracket known to contain acceptable steps. */
    private LineSearchPoint zoom(Objective objective, double[] x, double f0, double slope0, double[] direction,
                                 LineSearchPoint low, LineSearchPoint high) {
        for (int evaluations = 0; evaluations < MAX_LINE_SEARCH_EVALUATIONS; evaluations++) {
            double step = trialStep(low, high);
            if (step == low.step || step == high.step) {
                break; // bracket has collapsed to floating-point resolution
            }
            LineSearchPoint trial = evaluate(objective, x, direction, step);
            if (!Double.isFinite(trial.value)
                    || trial.value > f0 + SUFFICIENT_DECREASE * step * slope0
                    || trial.value >= low.value) {
                high = trial;
            } else {
                if (Math.abs(trial.slope) <= -CURVATURE * slope0) {
                    return trial;
                }
                if (trial.slope * (high.step - low.step) >= 0.0) {
                    high = low;
                }
                low = trial;
            }
        }
        // The Wolfe curvature condition was not met, but a point with sufficient decrease still helps.
        return low.step > 0.0 ? low : null;
    }

    /** Minimiser of the quadratic through low's value and slope and high's value, kept inside the bracket. */
    private static double trialStep(LineSearchPoint low, LineSearchPoint high) {
        double width = high.step - low.step;
        double candidate = Double.NaN;
        if (Double.isFinite(high.value)) {
            double curvature = (high.value - low.value - low.slope * width) / (width * width);
            if (curvature > 0.0) {
                candidate = low.step - low.slope / (2.0 * curvature);
            }
        }
        double lowerLimit = low.step + 0.1 * width;
        double upperLimit = high.step - 0.1 * width;
        double lo = Math.min(lowerLimit, upperLimit);
        double hi = Math.max(lowerLimit, upperLimit);
        if (!Double.isFinite(candidate) || candidate < lo || candidate > hi) {
            // Bisection when interpolation is unusable; a non-finite high end also lands here.
            candidate = Double.isFinite(high.value) ? low.step + 0.5 * width : low.step + 0.25 * width;
        }
        return candidate;
    }

    /** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / sᵀy. */
    private static void updateInverseHessian(double[][] h, double[] s, double[] y, double sy) {
        int n = s.length;
        double rho = 1.0 / sy;
        double[] hy = times(h, y);
        double yhy = dot(y, hy);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1.0;
        }
        return m;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }

    private static double dot(double[] u, double[] v) {
        double sum = 0.0;
        for (int i = 0; i < u.length; i++) {
            sum += u[i] * v[i];
        }
        return sum;
    }

    private static void negate(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = -v[i];
        }
    }

    private static double maxAbs(double[] v) {
        double max = 0.0;
        for (double value : v) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    private static boolean allFinite(double[] v) {
        for (double value : v) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }
}
