package dev.crm.churn.statistics;

/**
 * How a forecast of repeat purchases in (cut, cut + horizon] compares with what happened.
 *
 * @param totalErrorPct  (Σ predicted − Σ actual) / Σ actual, in %
 * @param curveErrorPct  mean absolute % error of the cumulative weekly curve (weeks with no actual
 *                       purchases yet are skipped)
 * @param rmse           per-customer root mean squared error
 * @param mae            per-customer mean absolute error (reported, not a target: 0 for all scores well)
 * @param correlation    Pearson correlation of predicted and actual per customer
 */
public record ForecastAccuracy(double totalErrorPct, double curveErrorPct, double rmse, double mae,
                               double correlation) {

    /**
     * @param predicted predicted[i][k]: customer i's expected purchases by step k (cumulative; the last
     *                  step is the whole horizon)
     * @param actual    actual[i][k], the same for what happened
     */
    public static ForecastAccuracy of(double[][] predicted, double[][] actual) {
        int customers = predicted.length;
        int steps = predicted[0].length;
        double[] predictedCurve = new double[steps];
        double[] actualCurve = new double[steps];
        double squared = 0.0;
        double absolute = 0.0;
        double sumP = 0.0;
        double sumA = 0.0;
        double sumPP = 0.0;
        double sumAA = 0.0;
        double sumPA = 0.0;
        for (int i = 0; i < customers; i++) {
            for (int k = 0; k < steps; k++) {
                predictedCurve[k] += predicted[i][k];
                actualCurve[k] += actual[i][k];
            }
            double p = predicted[i][steps - 1];
            double a = actual[i][steps - 1];
            squared += (p - a) * (p - a);
            absolute += Math.abs(p - a);
            sumP += p;
            sumA += a;
            sumPP += p * p;
            sumAA += a * a;
            sumPA += p * a;
        }
        double curve = 0.0;
        int counted = 0;
        for (int k = 0; k < steps; k++) {
            if (actualCurve[k] > 0.0) {
                curve += Math.abs(predictedCurve[k] - actualCurve[k]) / actualCurve[k];
                counted++;
            }
        }
        double covariance = sumPA - sumP * sumA / customers;
        double varianceP = sumPP - sumP * sumP / customers;
        double varianceA = sumAA - sumA * sumA / customers;
        double correlation = varianceP > 0.0 && varianceA > 0.0 ? covariance / Math.sqrt(varianceP * varianceA) : 0.0;
        return new ForecastAccuracy(
                sumA > 0.0 ? 100.0 * (sumP - sumA) / sumA : 0.0,
                counted > 0 ? 100.0 * curve / counted : 0.0,
                Math.sqrt(squared / customers),
                absolute / customers,
                correlation);
    }
}
