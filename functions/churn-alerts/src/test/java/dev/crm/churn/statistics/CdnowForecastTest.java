package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forecast on the CDNOW holdout (weeks 40–78), with every choice (parameters, correction,
 * candidate) made from purchases up to week 39 only.
 */
class CdnowForecastTest {

    private static List<PurchaseHistory> histories;
    private static PurchaseForecaster.Forecast forecast;
    private static Map<String, ForecastAccuracy> holdout;

    @BeforeAll
    static void forecastOnce() {
        histories = CdnowTransactions.load();
        forecast = PurchaseForecaster.forecast(histories, CdnowTransactions.CALIBRATION_END, CdnowTransactions.HOLDOUT_WEEKS);
        holdout = PurchaseForecaster.evaluate(forecast, histories);
    }

    @Test
    void bgNbdReproducesThePublishedHoldoutFigures() {
        ForecastAccuracy bg = holdout.get(PurchaseForecaster.BG_NBD);
        assertEquals(-12.1, bg.totalErrorPct(), 0.05);
        assertEquals(11.9, bg.curveErrorPct(), 0.05);
        assertEquals(1.608, bg.rmse(), 0.0005);
        assertEquals(0.626, bg.correlation(), 0.0005);
        // predicting 0 for everyone would score 0.798: MAE is reported, never a target
        assertTrue(bg.mae() < 0.8);
    }

    @Test
    void theCandidatesAreTheFitsOnTheCalibrationPeriod() {
        assertEquals(0.243, forecast.bgNbd().r(), 0.0005);
        assertEquals(4.414, forecast.bgNbd().alpha(), 0.0005);
        assertEquals(0.553, forecast.paretoNbd().r(), 0.0005);
        assertEquals(10.58, forecast.paretoNbd().alpha(), 0.005);
        assertEquals(-9594.97, forecast.paretoNbdLogLikelihood(), 0.01);
        assertEquals(-9582.4, forecast.bgNbdLogLikelihood(), 0.1);
    }

    @Test
    void theChosenForecastMeetsTheTargets() {
        assertEquals(PurchaseForecaster.CORRECTED, forecast.chosen());
        ForecastAccuracy chosen = holdout.get(forecast.chosen());
        assertTrue(Math.abs(chosen.totalErrorPct()) <= 8.0, "total error " + chosen.totalErrorPct());
        assertTrue(chosen.curveErrorPct() <= 7.0, "curve error " + chosen.curveErrorPct());
        assertTrue(chosen.rmse() <= 1.61, "rmse " + chosen.rmse());
        assertTrue(chosen.correlation() >= 0.62, "correlation " + chosen.correlation());
        // the expected purchases the forecast hands out add up to the evaluated total
        double predicted = Arrays.stream(forecast.expectedPurchases()).sum();
        int actual = histories.stream().mapToInt(h -> h.purchasesBetween(CdnowTransactions.CALIBRATION_END,
                CdnowTransactions.CALIBRATION_END + CdnowTransactions.HOLDOUT_WEEKS + 1e-9)).sum();
        assertEquals(1882, actual);
        assertEquals(chosen.totalErrorPct(), 100.0 * (predicted - actual) / actual, 1e-9);
    }

    @Test
    void purchasesAfterAsOfChangeNothing() {
        // delete every later purchase of every other customer, move the rest's later purchases by a week
        List<PurchaseHistory> altered = new ArrayList<>();
        double asOf = CdnowTransactions.CALIBRATION_END;
        for (int i = 0; i < histories.size(); i++) {
            PurchaseHistory h = histories.get(i);
            if (i % 2 == 0) {
                altered.add(h.until(asOf));
                continue;
            }
            double[] times = h.times().clone();
            for (int k = 0; k < times.length; k++) {
                if (times[k] > asOf) {
                    times[k] += 1.0;
                }
            }
            altered.add(new PurchaseHistory(times, h.spend()));
        }
        PurchaseForecaster.Forecast again = PurchaseForecaster.forecast(altered, asOf, CdnowTransactions.HOLDOUT_WEEKS);
        assertEquals(forecast.chosen(), again.chosen());
        assertEquals(forecast.bgNbd(), again.bgNbd());
        assertEquals(forecast.paretoNbd(), again.paretoNbd());
        assertEquals(forecast.mbgNbd(), again.mbgNbd());
        assertArrayEquals(forecast.correctionCoefficients(), again.correctionCoefficients());
        assertEquals(forecast.internalAccuracy(), again.internalAccuracy());
        assertArrayEquals(forecast.expectedPurchases(), again.expectedPurchases());
        assertArrayEquals(forecast.pAlive(), again.pAlive());
    }
}
