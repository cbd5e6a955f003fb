package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pareto/NBD and MBG/NBD on the CDNOW sample (figures in src/test/resources/cdnow/README.md). */
class CdnowParetoMbgTest {

    private static List<FrequencyRecencyGroup> groups;
    private static ModelFit<ParetoNbdParameters> pareto;
    private static ModelFit<MbgNbdParameters> mbg;

    @BeforeAll
    static void fitOnce() {
        groups = SummaryGrouping.byFrequencyRecency(CdnowDataset.load());
        pareto = ParetoNbdFitter.fit(groups);
        mbg = MbgNbdFitter.fit(groups);
    }

    @Test
    void paretoNbdReproducesThePublishedFit() {
        ParetoNbdParameters p = pareto.parameters();
        assertEquals(0.553, p.r(), 0.0005);
        assertEquals(10.58, p.alpha(), 0.005);
        assertEquals(0.606, p.s(), 0.0005);
        assertEquals(11.67, p.beta(), 0.005);
        assertEquals(-9594.98, pareto.logLikelihood(), 0.01);
    }

    @Test
    void paretoNbdQuadratureAgreesWithTheClosedForm() {
        ParetoNbdModel model = new ParetoNbdModel(pareto.parameters());
        int[][] xs = {{0}, {1}, {2}, {10}, {29}};
        for (int[] x : xs) {
            double viaSeries = model.logIntegral(x[0], 2.0, 38.0);
            double viaQuadrature = model.logIntegralByQuadrature(x[0], 2.0, 38.0);
            assertEquals(viaSeries, viaQuadrature, 1e-9 * Math.abs(viaSeries), "x=" + x[0]);
        }
    }

    @Test
    void paretoNbdPAliveAndExpectationsAreConsistent() {
        ParetoNbdModel model = new ParetoNbdModel(pareto.parameters());
        // a customer who just bought is almost surely alive; one silent for long is less so
        assertTrue(model.pAlive(5, 38.0, 38.5) > model.pAlive(5, 10.0, 38.5));
        // E[X(t)] at T = 0 for a new customer equals the conditional expectation of (0, 0, 0)
        assertEquals(model.expectedPurchasesUnconditional(39.0), model.expectedPurchases(39.0, 0, 0.0, 0.0), 1e-12);
    }

    @Test
    void mbgNbdMatchesTheReferenceFit() {
        // lifetimes' ModifiedBetaGeoFitter on the same summary: r 0.525, α 6.183, a 0.891, b 1.614.
        MbgNbdParameters p = mbg.parameters();
        assertEquals(0.525, p.r(), 0.0005);
        assertEquals(6.183, p.alpha(), 0.0005);
        assertEquals(0.891, p.a(), 0.0005);
        assertEquals(1.614, p.b(), 0.0005);
        assertTrue(mbg.converged());
        // Every one-time buyer may already be gone, unlike BG/NBD where P(alive | x = 0) = 1.
        assertTrue(new MbgNbdModel(p).pAlive(0, 0.0, 30.0) < 1.0);
    }
}
