package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BgNbdModelTest {

    private static final BgNbdParameters CDNOW_PUBLISHED = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
    private static final BgNbdModel MODEL = new BgNbdModel(CDNOW_PUBLISHED);

    @Test
    void customerWithoutRepeatPurchasesIsCertainlyAlive() {
        // The model lets customers drop out only right after a repeat purchase.
        for (double T : new double[] {0.0, 0.0001, 1.0, 38.86, 10_000.0}) {
            assertEquals(1.0, MODEL.pAlive(0, 0.0, T));
        }
    }

    @Test
    void pAliveIsAProbabilityThatFallsWithAgeAndRisesWithRecency() {
        for (int x : new int[] {1, 2, 5, 20, 300}) {
            double tx = 10.0;
            double previous = MODEL.pAlive(x, tx, tx);
            assertTrue(previous > 0.0 && previous <= 1.0);
            for (double T = tx + 0.5; T < 400.0; T += 0.5) {
                double current = MODEL.pAlive(x, tx, T);
                assertTrue(current >= 0.0 && current <= 1.0, "x=" + x + ", T=" + T);
                assertTrue(current <= previous, "pAlive must not grow with T: x=" + x + ", T=" + T);
                previous = current;
            }
            assertTrue(MODEL.pAlive(x, 5.0, 40.0) < MODEL.pAlive(x, 30.0, 40.0));
        }
        // Strictly decreasing where it is not yet rounded to 0.
        assertTrue(MODEL.pAlive(2, 30.43, 38.86) > MODEL.pAlive(2, 30.43, 40.0));
    }

    @Test
    void pAliveMatchesTheClosedForm() {
        double expected = 1.0 / (1.0 + 0.793 / (2.426 + 2 - 1) * Math.pow((4.414 + 38.86) / (4.414 + 30.43), 0.243 + 2));
        assertEquals(expected, MODEL.pAlive(2, 30.43, 38.86), 1e-15);
    }

    @Test
    void logLikelihoodMatchesTheDirectFormulaForSmallCounts() {
        double r = 0.243;
        double alpha = 4.414;
        double a = 0.793;
        double b = 2.426;
        int x = 3;
        double tx = 20.0;
        double T = 38.0;
        double a1 = Math.exp(SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r)) * Math.pow(alpha, r);
        double betaAB = Math.exp(SpecialFunctions.logBeta(a, b));
        double a2 = Math.exp(SpecialFunctions.logBeta(a, b + x)) / betaAB / Math.pow(alpha + T, r + x);
        double a3 = Math.exp(SpecialFunctions.logBeta(a + 1, b + x - 1)) / betaAB / Math.pow(alpha + tx, r + x);
        assertEquals(Math.log(a1 * (a2 + a3)), MODEL.logLikelihood(x, tx, T), 1e-12);
        double a2Zero = 1.0 / Math.pow(alpha + T, r);
        assertEquals(Math.log(Math.pow(alpha, r) * a2Zero), MODEL.logLikelihood(0, 0.0, T), 1e-12);
    }

    /**
     * An independent route to the conditional expectation: Pfaff's transformation turns it into
     * (r+x) (t/(α+T)) Σ_m (r+x+1)_m (a)_m / ((a+b+x)_m (2)_m) (−t/(α+T))^m / (1 + ...), an
     * alternating series without the 1/(a − 1) factor, convergent for t &lt; α + T.
     */
    private static double expectedPurchasesByAlternatingSeries(BgNbdParameters p, double t, int x, double tx, double T) {
        double w = -t / (p.alpha() + T);
        double sum = 0.0;
        double term = 1.0;
        for (int m = 0; m < 100_000 && Math.abs(term) > 1e-18 * Math.abs(sum); m++) {
            sum += term;
            term *= (p.r() + x + 1 + m) * (p.a() + m) / ((p.a() + p.b() + x + m) * (2.0 + m)) * w;
        }
        double ifActive = (p.r() + x) * (-w) * sum;
        if (x == 0) {
            return ifActive;
        }
        double logOdds = Math.log(p.a() / (p.b() + x - 1)) + (p.r() + x) * Math.log((p.alpha() + T) / (p.alpha() + tx));
        return ifActive / (1.0 + Math.exp(logOdds));
    }

    @Test
    void expectedPurchasesAgreesWithAnIndependentSeries() {
        BgNbdParameters[] parameterSets = {
            CDNOW_PUBLISHED,
            new BgNbdParameters(0.25, 4.0, 0.8, 2.5),
            new BgNbdParameters(2.0, 10.0, 3.5, 7.0),
            new BgNbdParameters(0.243, 4.414, 1.0, 2.426),        // a = 1: the formula's 0/0 point
            new BgNbdParameters(0.243, 4.414, 1.0 + 3e-7, 2.426), // just next to it
            new BgNbdParameters(0.243, 4.414, 0.3, 0.4),          // a + b < 1: a + b + x − 1 < 0 for x = 0
            new BgNbdParameters(0.243, 4.414, 0.3, 0.7),          // a + b = 1: 2F1 has a pole for x = 0
        };
        double[][] histories = {
            // x, tx, T, t
            {0, 0, 38.86, 39},
            {0, 0, 0.0, 3},
            {1, 1.71, 38.86, 39},
            {2, 30.43, 38.86, 39},
            {7, 29.0, 31.0, 20},
            {40, 70.0, 78.0, 78},
            {5000, 9990, 9999, 39},
        };
        for (BgNbdParameters parameters : parameterSets) {
            BgNbdModel model = new BgNbdModel(parameters);
            for (double[] h : histories) {
                int x = (int) h[0];
                double expected = expectedPurchasesByAlternatingSeries(parameters, h[3], x, h[1], h[2]);
                double actual = model.expectedPurchases(h[3], x, h[1], h[2]);
                assertEquals(expected, actual, 1e-10 * Math.max(1e-3, expected), parameters + " " + java.util.Arrays.toString(h));
            }
        }
    }

    @Test
    void bothInternalRoutesAgree() {
        // Where the alternating series applies (t < α + T) it must agree with the 2F1 form; the 2F1
        // form loses some digits to cancellation for large x or a near 1, hence the tolerance.
        BgNbdParameters[] parameterSets = {
            CDNOW_PUBLISHED,
            new BgNbdParameters(0.243, 4.414, 1.0, 2.426),
            new BgNbdParameters(0.243, 4.414, 1.0 - 2e-4, 2.426),
            new BgNbdParameters(3.0, 1.0, 5.0, 0.5),
            new BgNbdParameters(0.243, 4.414, 0.3, 0.4),
        };
        for (BgNbdParameters parameters : parameterSets) {
            BgNbdModel model = new BgNbdModel(parameters);
            for (int x : new int[] {0, 1, 4, 60, 5000}) {
                for (double ratio : new double[] {1e-6, 0.01, 0.3, 0.74}) {
                    double alphaPlusAge = parameters.alpha() + 38.0;
                    double t = ratio * alphaPlusAge;
                    double series = model.purchasesIfActiveByAlternatingSeries(t, x, alphaPlusAge);
                    double hypergeometric = model.purchasesIfActiveByHypergeometric(t, x, alphaPlusAge);
                    assertEquals(series, hypergeometric, 1e-8 * series, parameters + " x=" + x + " ratio=" + ratio);
                }
            }
        }
    }

    @Test
    void expectedPurchasesMatchesMpmathReferenceValues() {
        // 60-digit mpmath evaluations of equation (10) / (9) of the paper.
        assertEquals(19.190151339042728, MODEL.expectedPurchases(39.0, 5000, 9990.0, 9999.0), 1e-9);
        assertEquals(44.597982968433514, MODEL.expectedPurchases(5000.0, 3, 2.5, 4.0), 1e-9);
        assertEquals(1.1967049384763498, MODEL.expectedPurchases(39.0, 0, 0.0, 0.0001), 1e-12);
        // Long horizons for a new customer push the 2F1 argument t/(α+t) towards 1.
        assertEquals(15.067913315055177, MODEL.expectedPurchasesUnconditional(1e4), 1e-9);
        assertEquals(53.540478253014569, MODEL.expectedPurchasesUnconditional(1e6), 1e-8);
        BgNbdModel shortLived = new BgNbdModel(new BgNbdParameters(0.5, 2.0, 2.5, 3.0));
        // Tends to E[1/p] = (a+b−1)/(a−1) = 3 repeat purchases over a lifetime.
        assertEquals(2.9990719228122603, shortLived.expectedPurchasesUnconditional(1e8), 1e-9);
    }

    @Test
    void expectedPurchasesIsFiniteForExtremeHistories() {
        double[][] histories = {
            // x, tx, T
            {5000, 9000, 9999},
            {5000, 9999, 9999},
            {10_000, 10, 10_000},
            {0, 0, 0.0001},
            {1, 0.00005, 0.0001},
            {3, 0.0001, 0.0001},
        };
        for (double[] h : histories) {
            int x = (int) h[0];
            double pAlive = MODEL.pAlive(x, h[1], h[2]);
            assertTrue(pAlive >= 0.0 && pAlive <= 1.0, java.util.Arrays.toString(h));
            for (double t : new double[] {0.001, 39.0, 520.0}) {
                double expected = MODEL.expectedPurchases(t, x, h[1], h[2]);
                assertTrue(Double.isFinite(expected) && expected >= 0.0, java.util.Arrays.toString(h) + " t=" + t);
            }
        }
        assertTrue(Double.isFinite(MODEL.logLikelihood(10_000, 10_000.0, 10_000.0)));
        assertTrue(Double.isFinite(MODEL.logLikelihood(10_000, 1.0, 10_000.0)));
        assertTrue(Double.isFinite(MODEL.logLikelihood(0, 0.0, 10_000.0)));
    }

    @Test
    void expectedPurchasesGrowsWithTheHorizonAndStartsAtZero() {
        assertEquals(0.0, MODEL.expectedPurchases(0.0, 2, 30.43, 38.86));
        double previous = 0.0;
        for (double t = 1.0; t <= 520.0; t += 1.0) {
            double current = MODEL.expectedPurchases(t, 2, 30.43, 38.86);
            assertTrue(current > previous, "t=" + t);
            previous = current;
        }
    }

    @Test
    void unconditionalExpectationIsTheConditionalOneForABrandNewCustomer() {
        for (double t : new double[] {0.5, 10.0, 78.0}) {
            assertEquals(MODEL.expectedPurchasesUnconditional(t), MODEL.expectedPurchases(t, 0, 0.0, 0.0), 1e-14);
        }
    }

    @Test
    void rejectsInvalidHistories() {
        assertThrows(IllegalArgumentException.class, () -> MODEL.pAlive(1, 5.0, 4.0));
        assertThrows(IllegalArgumentException.class, () -> MODEL.pAlive(0, 1.0, 4.0));
        assertThrows(IllegalArgumentException.class, () -> MODEL.expectedPurchases(-1.0, 1, 1.0, 4.0));
        assertThrows(IllegalArgumentException.class, () -> new BgNbdParameters(0.0, 1.0, 1.0, 1.0));
    }
}
