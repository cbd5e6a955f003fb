package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BgNbdSimulatorTest {

    private static final BgNbdParameters PARAMETERS = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);

    @Test
    void gammaVariatesHaveTheRightMoments() {
        SplittableRandom random = new SplittableRandom(1);
        for (double shape : new double[] {0.25, 1.0, 6.5}) {
            double rate = 2.0;
            int n = 200_000;
            double sum = 0.0;
            double sumOfSquares = 0.0;
            for (int i = 0; i < n; i++) {
                double value = RandomVariates.gamma(random, shape, rate);
                sum += value;
                sumOfSquares += value * value;
            }
            double mean = sum / n;
            double variance = sumOfSquares / n - mean * mean;
            double trueMean = shape / rate;
            double trueVariance = shape / (rate * rate);
            assertEquals(trueMean, mean, 5.0 * Math.sqrt(trueVariance / n), "mean, shape " + shape);
            assertEquals(trueVariance, variance, 0.05 * trueVariance, "variance, shape " + shape);
        }
    }

    @Test
    void betaVariatesHaveTheRightMean() {
        SplittableRandom random = new SplittableRandom(2);
        double a = 0.793;
        double b = 2.426;
        int n = 200_000;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double p = RandomVariates.beta(random, a, b);
            assertTrue(p >= 0.0 && p <= 1.0);
            sum += p;
        }
        double trueVariance = a * b / ((a + b) * (a + b) * (a + b + 1));
        assertEquals(a / (a + b), sum / n, 5.0 * Math.sqrt(trueVariance / n));
    }

    @Test
    void simulatedPurchaseCountsAverageToTheModelExpectation() {
        // E[X(T)] from equation (9) against the mean of 200,000 simulated customers.
        SplittableRandom random = new SplittableRandom(3);
        BgNbdSimulator simulator = new BgNbdSimulator(PARAMETERS);
        BgNbdModel model = new BgNbdModel(PARAMETERS);
        for (double T : new double[] {10.0, 78.0}) {
            int n = 200_000;
            double sum = 0.0;
            double sumOfSquares = 0.0;
            for (int i = 0; i < n; i++) {
                CustomerSummary c = simulator.simulateCustomer(random, T);
                assertTrue(c.tx() <= T && (c.x() > 0 || c.tx() == 0.0));
                sum += c.x();
                sumOfSquares += (double) c.x() * c.x();
            }
            double mean = sum / n;
            double standardError = Math.sqrt((sumOfSquares / n - mean * mean) / n);
            assertEquals(model.expectedPurchasesUnconditional(T), mean, 4.0 * standardError, "T=" + T);
        }
    }

    @Test
    void simulatedSpendAveragesToThePopulationMean() {
        GammaGammaParameters spend = new GammaGammaParameters(6.0, 4.0, 15.0);
        BgNbdSimulator simulator = new BgNbdSimulator(PARAMETERS, spend);
        SplittableRandom random = new SplittableRandom(4);
        double sum = 0.0;
        int returning = 0;
        for (int i = 0; i < 100_000; i++) {
            CustomerSummary c = simulator.simulateCustomer(random, 52.0);
            if (c.x() > 0) {
                assertTrue(c.meanRepeatSpend() > 0.0);
                // E[z̄ | x] = E[p/ν] = p v /(q − 1) whatever x is.
                sum += c.meanRepeatSpend();
                returning++;
            } else {
                assertEquals(0.0, c.meanRepeatSpend());
            }
        }
        assertEquals(new GammaGammaModel(spend).populationMeanSpend(), sum / returning, 0.5);
    }

    @Test
    void sameSeedSameCustomers() {
        BgNbdSimulator simulator = new BgNbdSimulator(PARAMETERS, new GammaGammaParameters(6.0, 4.0, 15.0));
        double[] lengths = {1.0, 10.0, 39.0, 100.0};
        List<CustomerSummary> first = simulator.simulate(new SplittableRandom(9), lengths);
        List<CustomerSummary> second = simulator.simulate(new SplittableRandom(9), lengths);
        assertEquals(first, second);
    }
}
