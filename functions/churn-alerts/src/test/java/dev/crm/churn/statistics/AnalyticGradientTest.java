package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fits' analytic gradients against central differences of their own log-likelihood, on the CDNOW
 * summaries, at the published optimum and at points far from it (where a wrong term would show).
 */
class AnalyticGradientTest {

    private static List<FrequencyRecencyGroup> groups;

    @BeforeAll
    static void load() {
        groups = SummaryGrouping.byFrequencyRecency(CdnowDataset.load());
    }

    interface Likelihood {
        double valueAndGradient(double[] p, double[] gradient);
    }

    private static void assertGradientMatchesDifferences(Likelihood likelihood, double[] p) {
        double[] analytic = new double[4];
        likelihood.valueAndGradient(p, analytic);
        for (int i = 0; i < 4; i++) {
            double h = 1e-5 * p[i];
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (likelihood.valueAndGradient(plus, new double[4])
                    - likelihood.valueAndGradient(minus, new double[4])) / (plus[i] - minus[i]);
            // differences of a sum of ~10^4 in magnitude: about 1e-6 absolute noise per unit of h
            assertEquals(numeric, analytic[i], 1e-5 * Math.max(1.0, Math.abs(numeric)), "parameter " + i);
        }
    }

    @Test
    void paretoNbdGradientMatchesFiniteDifferences() {
        Likelihood pareto = (p, g) -> ParetoNbdFitter.logLikelihoodAndGradient(groups,
                new ParetoNbdParameters(p[0], p[1], p[2], p[3]), g);
        for (double[] p : new double[][] {{0.553, 10.58, 0.606, 11.67}, {2.0, 3.0, 0.2, 40.0},
                {0.3, 25.0, 5.0, 2.0}, {0.8, 0.05, 40.0, 2000.0}}) {
            assertGradientMatchesDifferences(pareto, p);
        }
    }

    @Test
    void paretoNbdFitLikelihoodEqualsTheClosedForm() {
        ParetoNbdParameters published = new ParetoNbdParameters(0.553, 10.58, 0.606, 11.67);
        double byQuadrature = ParetoNbdFitter.logLikelihoodAndGradient(groups, published, new double[4]);
        assertEquals(ParetoNbdFitter.logLikelihood(groups, published), byQuadrature, 1e-8);
    }

    @Test
    void mbgNbdGradientMatchesFiniteDifferences() {
        Likelihood mbg = (p, g) -> MbgNbdFitter.logLikelihoodAndGradient(groups,
                new MbgNbdParameters(p[0], p[1], p[2], p[3]), g);
        for (double[] p : new double[][] {{0.525, 6.183, 0.891, 1.614}, {2.0, 1.0, 0.1, 9.0}, {0.1, 30.0, 4.0, 0.5}}) {
            assertGradientMatchesDifferences(mbg, p);
        }
    }
}
