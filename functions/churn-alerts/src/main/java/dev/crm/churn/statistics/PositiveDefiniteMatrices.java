package dev.crm.churn.statistics;

/** Inversion of small symmetric positive-definite matrices through the Cholesky factorisation. */
final class PositiveDefiniteMatrices {

    private PositiveDefiniteMatrices() {
    }

    /**
     * Inverse of a symmetric matrix, or null if it is not positive definite (for an observed
     * information matrix that means the estimate is not a proper interior maximum).
     */
    static double[][] inverse(double[][] matrix) {
        int n = matrix.length;
        double[][] lower = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = matrix[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i][k] * lower[j][k];
                }
                if (i == j) {
                    if (!(sum > 0.0) || !Double.isFinite(sum)) {
                        return null;
                    }
                    lower[i][i] = Math.sqrt(sum);
                } else {
                    lower[i][j] = sum / lower[j][j];
                }
            }
        }
        // Columns of A^-1 solve L Lᵀ x = e_k.
        double[][] inverse = new double[n][n];
        for (int column = 0; column < n; column++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double sum = i == column ? 1.0 : 0.0;
                for (int k = 0; k < i; k++) {
                    sum -= lower[i][k] * y[k];
                }
                y[i] = sum / lower[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double sum = y[i];
                for (int k = i + 1; k < n; k++) {
                    sum -= lower[k][i] * inverse[k][column];
                }
                inverse[i][column] = sum / lower[i][i];
            }
        }
        return inverse;
    }
}
