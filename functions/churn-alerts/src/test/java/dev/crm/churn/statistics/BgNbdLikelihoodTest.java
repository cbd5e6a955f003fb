package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BgNbdLikelihoodTest {

    @Test
    void analyticGradientMatchesFiniteDifferences() {
        List<FrequencyRecencyGroup> groups = SummaryGrouping.byFrequencyRecency(CdnowDataset.load());
        BgNbdLikelihood likelihood = new BgNbdLikelihood(groups);
        double[][] points = {{0.243, 4.414, 0.793, 2.426}, {1.3, 0.7, 2.2, 0.4}};
        for (double[] point : points) {
            double[] gradient = new double[4];
            likelihood.valueAndGradient(point[0], point[1], point[2], point[3], gradient);
            for (int i = 0; i < 4; i++) {
                double h = 1e-6 * point[i];
                double[] plus = point.clone();
                double[] minus = point.clone();
                plus[i] += h;
                minus[i] -= h;
                double numerical = (likelihood.valueAndGradient(plus[0], plus[1], plus[2], plus[3], new double[4])
                        - likelihood.valueAndGradient(minus[0], minus[1], minus[2], minus[3], new double[4])) / (2 * h);
                assertEquals(numerical, gradient[i], 1e-5 * Math.max(1.0, Math.abs(numerical)), "component " + i);
            }
        }
    }

    @Test
    void gammaGammaGradientMatchesFiniteDifferences() {
        GammaGammaLikelihood likelihood = new GammaGammaLikelihood(SummaryGrouping.bySpend(CdnowDataset.load()));
        double[][] points = {{6.25, 3.74, 15.44}, {0.8, 1.5, 40.0}};
        for (double[] point : points) {
            double[] gradient = new double[3];
            likelihood.valueAndGradient(point[0], point[1], point[2], gradient);
            for (int i = 0; i < 3; i++) {
                double h = 1e-6 * point[i];
                double[] plus = point.clone();
                double[] minus = point.clone();
                plus[i] += h;
                minus[i] -= h;
                double numerical = (likelihood.valueAndGradient(plus[0], plus[1], plus[2], new double[3])
                        - likelihood.valueAndGradient(minus[0], minus[1], minus[2], new double[3])) / (2 * h);
                assertEquals(numerical, gradient[i], 1e-5 * Math.max(1.0, Math.abs(numerical)), "component " + i);
            }
        }
    }
}
