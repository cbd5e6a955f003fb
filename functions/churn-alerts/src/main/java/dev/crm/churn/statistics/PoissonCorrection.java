package dev.crm.churn.statistics;

/**
 * A Poisson GLM that corrects a parametric forecast: actual ~ Poisson(base · exp(β·features)), with
 * log(base) as the offset, fitted by Newton's method with a small ridge penalty on everything but
 * the intercept. The intercept alone makes the corrected total match the training total; the other
 * terms tilt it by the customer's features (see {@link PurchaseForecaster#features}).
 */
public final class PoissonCorrection {

    private static final double RIDGE = 1.0;
    private static final int MAX_ITERATIONS = 100;

    private final double[] coefficients;
    private final double[] means;
    private final double[] scales;

    private PoissonCorrection(double[] coefficients, double[] means, double[] scales) {
        this.coefficients = coefficients;
        this.means = means;
        this.scales = scales;
    }

    /** Multiplier for the base forecast of a customer with these features. */
    public double factor(double[] features) {
        double eta = coefficients[0];
        for (int j = 0; j < features.length; j++) {
            eta += coefficients[j + 1] * (features[j] - means[j]) / scales[j];
        }
        return Math.exp(Math.max(-20.0, Math.min(20.0, eta)));
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    /** The features' means and scales the coefficients apply to (standardised features). */
    public double[] means() {
        return means.clone();
    }

    public double[] scales() {
        return scales.clone();
    }

    /** The correction as fitted earlier (a run keeps it in its checkpoint between steps). */
    public static PoissonCorrection of(double[] coefficients, double[] means, double[] scales) {
        if (coefficients.length != means.length + 1 || means.length != scales.length) {
            throw new IllegalArgumentException("one coefficient per feature plus the intercept");
        }
        return new PoissonCorrection(coefficients.clone(), means.clone(), scales.clone());
    }

    public static PoissonCorrection fit(double[][] features, double[] base, double[] actual) {
        int n = features.length;
        int k = features[0].length;
        double[] means = new double[k];
        double[] scales = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = 0.0;
            double sumSquares = 0.0;
            for (double[] row : features) {
                sum += row[j];
                sumSquares += row[j] * row[j];
            }
            means[j] = sum / n;
            double variance = sumSquares / n - means[j] * means[j];
            scales[j] = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
        }
        int p = k + 1;
        double[][] design = new double[n][p];
        for (int i = 0; i < n; i++) {
            design[i][0] = 1.0;
            for (int j = 0; j < k; j++) {
                design[i][j + 1] = (features[i][j] - means[j]) / scales[j];
            }
        }
        double[] beta = new double[p];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[p];
            double[][] hessian = new double[p][p];
            for (int i = 0; i < n; i++) {
                double eta = 0.0;
                for (int j = 0; j < p; j++) {
                    eta += beta[j] * design[i][j];
                }
                double mu = Math.max(base[i], 1e-12) * Math.exp(Math.max(-20.0, Math.min(20.0, eta)));
                for (int j = 0; j < p; j++) {
                    gradient[j] += (actual[i] - mu) * design[i][j];
                    for (int l = 0; l < p; l++) {
                        hessian[j][l] += mu * design[i][j] * design[i][l];
                    }
                }
            }
            for (int j = 1; j < p; j++) {
                gradient[j] -= RIDGE * beta[j];
                hessian[j][j] += RIDGE;
            }
            double[] step = solve(hessian, gradient);
            double largest = 0.0;
            for (int j = 0; j < p; j++) {
                beta[j] += step[j];
                largest = Math.max(largest, Math.abs(step[j]));
            }
            if (largest < 1e-10) {
                break;
            }
        }
        return new PoissonCorrection(beta, means, scales);
    }

    /** Gaussian elimination with partial pivoting; the system is small and positive definite. */
    private static double[] solve(double[][] matrix, double[] rhs) {
        int p = rhs.length;
        double[][] a = new double[p][];
        double[] b = rhs.clone();
        for (int i = 0; i < p; i++) {
            a[i] = matrix[i].clone();
        }
        for (int c = 0; c < p; c++) {
            int pivot = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] row = a[c];
            a[c] = a[pivot];
            a[pivot] = row;
            double t = b[c];
            b[c] = b[pivot];
            b[pivot] = t;
            for (int r = c + 1; r < p; r++) {
                double f = a[r][c] / a[c][c];
                for (int j = c; j < p; j++) {
                    a[r][j] -= f * a[c][j];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < p; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
