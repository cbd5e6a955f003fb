package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The same code, unchanged, on held-out data of the same kind but larger: customers drawn from a
 * Pareto/NBD process with the CDNOW fit's parameters, joining over twelve weeks, purchase days merged,
 * 39 weeks of calibration and 39 of holdout.
 */
class SimulatedForecastTest {

    private static final int CUSTOMERS = 6000;

    static List<PurchaseHistory> simulate(ParetoNbdParameters p, int customers, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PurchaseHistory> histories = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            double lambda = RandomVariates.gamma(random, p.r(), p.alpha());
            double mu = RandomVariates.gamma(random, p.s(), p.beta());
            long firstDay = random.nextLong(84);
            double death = firstDay / 7.0 + random.nextExponential() / mu;
            TreeSet<Long> days = new TreeSet<>();
            days.add(firstDay);
            double time = firstDay / 7.0;
            while (lambda > 0.0) {
                time += random.nextExponential() / lambda;
                if (time > death || time > 545 / 7.0) {
                    break;
                }
                days.add((long) Math.floor(time * 7.0));
            }
            double[] times = new double[days.size()];
            double[] spend = new double[days.size()];
            int k = 0;
            for (long day : days) {
                times[k] = day / 7.0;
                spend[k++] = 20.0;
            }
            histories.add(new PurchaseHistory(times, spend));
        }
        return histories;
    }

    /*
     * Fails today (measured, seed 18, 6,000 customers): the correction is chosen (its internal total
     * error is ~0 by construction) but over-forecasts the holdout by +14.7 % (RMSE 1.532 vs BG/NBD
     * 1.498; correlation 0.6999 vs 0.6995), while the plain models are within ±3 %. The correction
     * learns the bias of models fitted on the short internal split, which does not carry over here.
     * It also takes about three minutes: a bench, not a unit test, once it passes.
     */
    @Disabled("the issue-18 generalisation target is not met yet; see the comment")
    @Test
    void generalisesToLargerDataOfTheSameKind() {
        List<PurchaseHistory> histories = simulate(new ParetoNbdParameters(0.553, 10.58, 0.606, 11.67), CUSTOMERS, 18);
        PurchaseForecaster.Forecast forecast = PurchaseForecaster.forecast(histories, 272 / 7.0, 39.0);
        Map<String, ForecastAccuracy> holdout = PurchaseForecaster.evaluate(forecast, histories);
        ForecastAccuracy chosen = holdout.get(forecast.chosen());
        ForecastAccuracy bg = holdout.get(PurchaseForecaster.BG_NBD);
        assertTrue(Math.abs(chosen.totalErrorPct()) <= 7.0, "total error " + chosen.totalErrorPct());
        assertTrue(chosen.rmse() < bg.rmse(), chosen.rmse() + " vs BG/NBD " + bg.rmse());
        assertTrue(chosen.correlation() > bg.correlation(), chosen.correlation() + " vs BG/NBD " + bg.correlation());
    }
}
