package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The correction as the forecast applies it at a later cut: level shrunk by its noise, tilt that only redistributes. */
class PoissonCorrectionTest {

    /** Customers with a base forecast and a frequency feature; actual = Poisson(base · level · tilt). */
    private static double[][] sample(int n, double level, double tilt, long seed, double[] base, double[] actual) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] features = new double[n][];
        for (int i = 0; i < n; i++) {
            double x = random.nextInt(6);
            features[i] = new double[] {Math.log1p(x)};
            base[i] = 0.2 + 0.3 * x;
            double mean = base[i] * level * Math.exp(tilt * (Math.log1p(x) - 1.0));
            actual[i] = poisson(random, mean);
        }
        return features;
    }

    /** Knuth's method; the means here are small. */
    private static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    private static double total(PoissonCorrection correction, double[][] features, double[] base) {
        double sum = 0.0;
        for (int i = 0; i < base.length; i++) {
            sum += base[i] * correction.factor(features[i]);
        }
        return sum;
    }

    @Test
    void aClearLevelIsAppliedAndTheTiltLeavesTheTotalAlone() {
        int n = 4000;
        double[] base = new double[n];
        double[] actual = new double[n];
        double[][] features = sample(n, 1.3, 0.4, 1, base, actual);
        PoissonCorrection fitted = PoissonCorrection.fit(features, base, actual);
        assertTrue(fitted.levelWeight() > 0.9, "weight " + fitted.levelWeight());
        // at a later cut every customer has bought more: the feature has drifted upwards
        double[][] later = new double[n][];
        double[] laterBase = new double[n];
        for (int i = 0; i < n; i++) {
            later[i] = new double[] {features[i][0] + 0.7};
            laterBase[i] = 2.0 * base[i];
        }
        PoissonCorrection applied = fitted.transferredTo(later, laterBase);
        double baseTotal = 0.0;
        for (double b : laterBase) {
            baseTotal += b;
        }
        double expected = Math.pow(fitted.level(), fitted.levelWeight());
        assertEquals(expected, total(applied, later, laterBase) / baseTotal, 1e-12);
        // the drift moves nothing: each customer's factor is what it is without the drift
        PoissonCorrection undrifted = fitted.transferredTo(features, laterBase);
        for (int i = 0; i < n; i += 97) {
            assertEquals(undrifted.factor(features[i]), applied.factor(later[i]), 1e-12);
        }
    }

    @Test
    void aLevelWithinItsNoiseIsNotApplied() {
        int n = 4000;
        double[] base = new double[n];
        double[] actual = new double[n];
        double[][] features = sample(n, 1.0, 0.0, 2, base, actual);
        PoissonCorrection fitted = PoissonCorrection.fit(features, base, actual);
        double se = 0.0;
        double sumActual = 0.0;
        for (int i = 0; i < n; i++) {
            double residual = actual[i] - fitted.level() * base[i];
            se += residual * residual;
            sumActual += actual[i];
        }
        se = Math.sqrt(se) / sumActual;
        assertTrue(Math.abs(Math.log(fitted.level())) < se, "this draw's level is within one standard error");
        assertEquals(0.0, fitted.levelWeight());
        PoissonCorrection applied = fitted.transferredTo(features, base);
        double baseTotal = 0.0;
        for (double b : base) {
            baseTotal += b;
        }
        assertEquals(baseTotal, total(applied, features, base), 1e-9 * baseTotal);
    }
}
