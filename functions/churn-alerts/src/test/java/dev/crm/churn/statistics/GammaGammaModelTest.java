package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GammaGammaModelTest {

    private static final GammaGammaModel MODEL = new GammaGammaModel(new GammaGammaParameters(6.25, 3.74, 15.44));

    @Test
    void expectedSpendIsThePublishedWeightedAverage() {
        double p = 6.25;
        double q = 3.74;
        double v = 15.44;
        int x = 2;
        double zbar = 22.35;
        double weight = (q - 1) / (p * x + q - 1);
        double published = weight * (v * p / (q - 1)) + (1 - weight) * zbar;
        assertEquals(published, MODEL.expectedAverageSpend(x, zbar), 1e-12);
        assertEquals(v * p / (q - 1), MODEL.expectedAverageSpend(0, 0.0), 1e-12);
        assertEquals(v * p / (q - 1), MODEL.populationMeanSpend(), 1e-12);
    }

    @Test
    void manyPurchasesTrustTheCustomersOwnMean() {
        assertEquals(80.0, MODEL.expectedAverageSpend(100_000, 80.0), 0.01);
    }

    @Test
    void logLikelihoodIsADensityInTheMeanSpend() {
        // ∫ f(z̄) dz̄ = 1, by the trapezoidal rule on a log grid.
        for (int x : new int[] {1, 3}) {
            double integral = 0.0;
            double previousZ = 1e-6;
            double previousDensity = Math.exp(MODEL.logLikelihood(x, previousZ));
            for (double z = previousZ * 1.001; z < 1e6; z *= 1.001) {
                double density = Math.exp(MODEL.logLikelihood(x, z));
                integral += 0.5 * (density + previousDensity) * (z - previousZ);
                previousZ = z;
                previousDensity = density;
            }
            assertEquals(1.0, integral, 1e-5, "x=" + x);
        }
    }

    @Test
    void populationMeanNeedsQAboveOne() {
        GammaGammaModel heavyTailed = new GammaGammaModel(new GammaGammaParameters(2.0, 0.8, 10.0));
        assertThrows(IllegalArgumentException.class, () -> heavyTailed.expectedAverageSpend(0, 0.0));
        assertEquals(2.0 * (10.0 + 3 * 20.0) / (2.0 * 3 + 0.8 - 1.0), heavyTailed.expectedAverageSpend(3, 20.0), 1e-12);
    }
}
