package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits BG/NBD, Pareto/NBD and MBG/NBD, their ensemble (the mean) and a Poisson correction of the
 * ensemble, and chooses one — all from purchases on or before {@code asOf}; nothing later is looked at.
 *
 * <p>Selection: the calibration period is split at c = asOf − h (h = the horizon, at most half the
 * time since the first customer's first purchase). The models are fitted on purchases up to c and
 * forecast (c, asOf]; the correction is trained on that split with five-fold cross-fitting by customer,
 * so every candidate's figures for (c, asOf] are out of sample. The candidate with the lowest score
 * there ({@link #choose}: total, curve, RMSE and correlation, the figures the targets name) is chosen.
 * The final forecast refits the models on everything up to asOf and applies the correction trained on
 * the whole split, carried over to asOf's customers ({@link PoissonCorrection#transferredTo}).
 */
public final class PurchaseForecaster {

    public static final String BG_NBD = "bg-nbd";
    public static final String PARETO_NBD = "pareto-nbd";
    public static final String MBG_NBD = "mbg-nbd";
    public static final String ENSEMBLE = "ensemble";
    public static final String CORRECTED = "corrected";
    public static final List<String> CANDIDATES = List.of(BG_NBD, PARETO_NBD, MBG_NBD, ENSEMBLE, CORRECTED);

    private static final int FOLDS = 5;

    /**
     * @param internalAccuracy per candidate, its figures on the internal split (c, asOf]
     * @param chosen           the candidate the forecast uses
     * @param cumulative       per candidate, [customer][week] expected purchases by week k of the
     *                         horizon (the last column is the whole horizon); rows of customers who
     *                         had not bought by asOf are null
     * @param pAlive           per customer, the chosen parametric P(alive) (the ensemble's for
     *                         ensemble and corrected); null for customers not yet buying
     */
    public record Forecast(double asOf, double horizon, double splitAt, Map<String, ForecastAccuracy> internalAccuracy,
                           String chosen, BgNbdParameters bgNbd, ParetoNbdParameters paretoNbd, MbgNbdParameters mbgNbd,
                           double bgNbdLogLikelihood, double paretoNbdLogLikelihood, double mbgNbdLogLikelihood,
                           double[] correctionCoefficients, Map<String, double[][]> cumulative, double[] pAlive,
                           CustomerSummary[] summaries, PoissonCorrection correction) {

        /** The chosen combination as a model of one customer: what scores the customers of a run. */
        public ChosenForecast chosenModel() {
            return new ChosenForecast(chosen, bgNbd, paretoNbd, mbgNbd, correction);
        }

        /** Expected purchases over the whole horizon by the chosen candidate (0 for customers not yet buying). */
        public double[] expectedPurchases() {
            double[][] chosenCurve = cumulative.get(chosen);
            double[] result = new double[chosenCurve.length];
            for (int i = 0; i < result.length; i++) {
                result[i] = chosenCurve[i] == null ? 0.0 : chosenCurve[i][chosenCurve[i].length - 1];
            }
            return result;
        }
    }

    private PurchaseForecaster() {
    }

    /** The fitted candidates at one cut: their weekly cumulative forecasts and the correction features. */
    private record Stage(int[] included, CustomerSummary[] summaries, Map<String, double[][]> curves,
                         double[][] features, double[] pAlive, BgNbdFit bg, ModelFit<ParetoNbdParameters> pareto,
                         ModelFit<MbgNbdParameters> mbg) {
    }

    public static Forecast forecast(List<PurchaseHistory> histories, double asOf, double horizon) {
        if (!(horizon > 0.0)) {
            throw new IllegalArgumentException("horizon must be > 0");
        }
        List<PurchaseHistory> seen = new ArrayList<>(histories.size());
        double earliest = Double.POSITIVE_INFINITY;
        for (PurchaseHistory history : histories) {
            PurchaseHistory cut = history.until(asOf);
            seen.add(cut); // nothing after asOf goes any further
            if (cut != null) {
                earliest = Math.min(earliest, cut.first());
            }
        }
        double innerHorizon = Math.min(horizon, (asOf - earliest) / 2.0);
        double splitAt = asOf - innerHorizon;

        Stage inner = stage(seen, splitAt, innerHorizon);
        int n = inner.included.length;
        double[][] actual = new double[n][];
        double[] actualTotal = new double[n];
        double[] base = new double[n];
        for (int j = 0; j < n; j++) {
            actual[j] = actualCumulative(seen.get(inner.included[j]), splitAt, innerHorizon);
            actualTotal[j] = actual[j][actual[j].length - 1];
            double[] ensembleCurve = inner.curves.get(ENSEMBLE)[j];
            base[j] = ensembleCurve[ensembleCurve.length - 1];
        }
        PoissonCorrection correction = PoissonCorrection.fit(inner.features, base, actualTotal);
        double[][] crossFitted = new double[n][];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Integer> training = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j % FOLDS != fold) {
                    training.add(j);
                }
            }
            double[][] trainingFeatures = new double[training.size()][];
            double[] trainingBase = new double[training.size()];
            double[] trainingActual = new double[training.size()];
            for (int t = 0; t < training.size(); t++) {
                int j = training.get(t);
                trainingFeatures[t] = inner.features[j];
                trainingBase[t] = base[j];
                trainingActual[t] = actualTotal[j];
            }
            PoissonCorrection foldCorrection = PoissonCorrection.fit(trainingFeatures, trainingBase, trainingActual);
            List<Integer> heldOut = new ArrayList<>();
            for (int j = fold; j < n; j += FOLDS) {
                heldOut.add(j);
            }
            double[][] heldOutFeatures = new double[heldOut.size()][];
            double[] heldOutBase = new double[heldOut.size()];
            for (int t = 0; t < heldOut.size(); t++) {
                heldOutFeatures[t] = inner.features[heldOut.get(t)];
                heldOutBase[t] = base[heldOut.get(t)];
            }
            // applied to the left-out customers the way the final correction is applied at asOf
            PoissonCorrection applied = foldCorrection.transferredTo(heldOutFeatures, heldOutBase);
            for (int j : heldOut) {
                crossFitted[j] = scaled(inner.curves.get(ENSEMBLE)[j], applied.factor(inner.features[j]));
            }
        }
        Map<String, double[][]> innerCurves = new LinkedHashMap<>(inner.curves);
        innerCurves.put(CORRECTED, crossFitted);
        Map<String, ForecastAccuracy> internal = new LinkedHashMap<>();
        for (String candidate : CANDIDATES) {
            internal.put(candidate, ForecastAccuracy.of(innerCurves.get(candidate), actual));
        }
        String chosen = choose(internal);

        Stage outer = stage(seen, asOf, horizon);
        double[] outerBase = new double[outer.included.length];
        for (int j = 0; j < outerBase.length; j++) {
            double[] ensembleCurve = outer.curves.get(ENSEMBLE)[j];
            outerBase[j] = ensembleCurve[ensembleCurve.length - 1];
        }
        PoissonCorrection trained = correction;
        correction = trained.transferredTo(outer.features, outerBase);
        double[][] corrected = new double[outer.included.length][];
        for (int j = 0; j < corrected.length; j++) {
            corrected[j] = scaled(outer.curves.get(ENSEMBLE)[j], correction.factor(outer.features[j]));
        }
        Map<String, double[][]> byCustomer = new LinkedHashMap<>();
        Map<String, double[][]> outerCurves = new LinkedHashMap<>(outer.curves);
        outerCurves.put(CORRECTED, corrected);
        for (String candidate : CANDIDATES) {
            double[][] rows = new double[histories.size()][];
            double[][] stageRows = outerCurves.get(candidate);
            for (int j = 0; j < outer.included.length; j++) {
                rows[outer.included[j]] = stageRows[j];
            }
            byCustomer.put(candidate, rows);
        }
        double[] pAlive = new double[histories.size()];
        CustomerSummary[] summaries = new CustomerSummary[histories.size()];
        for (int j = 0; j < outer.included.length; j++) {
            pAlive[outer.included[j]] = pAliveOf(chosen, outer, j);
            summaries[outer.included[j]] = outer.summaries[j];
        }
        return new Forecast(asOf, horizon, splitAt, internal, chosen, outer.bg.parameters(), outer.pareto.parameters(),
                outer.mbg.parameters(), outer.bg.logLikelihood(), outer.pareto.logLikelihood(),
                outer.mbg.logLikelihood(), correction.coefficients(), byCustomer, pAlive, summaries, correction);
    }

    /** Each candidate's accuracy for (asOf, until] against the full histories (a backtest). */
    public static Map<String, ForecastAccuracy> evaluate(Forecast forecast, List<PurchaseHistory> histories) {
        Map<String, ForecastAccuracy> result = new LinkedHashMap<>();
        List<double[]> actual = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        double[][] any = forecast.cumulative().get(BG_NBD);
        for (int i = 0; i < histories.size(); i++) {
            if (any[i] != null) {
                rows.add(i);
                actual.add(actualCumulative(histories.get(i), forecast.asOf(), forecast.horizon()));
            }
        }
        double[][] actualRows = actual.toArray(new double[0][]);
        for (String candidate : CANDIDATES) {
            double[][] all = forecast.cumulative().get(candidate);
            double[][] predicted = new double[rows.size()][];
            for (int j = 0; j < rows.size(); j++) {
                predicted[j] = all[rows.get(j)];
            }
            result.put(candidate, ForecastAccuracy.of(predicted, actualRows));
        }
        return result;
    }

    /**
     * The candidate with the lowest selection score on the internal split: the four figures the
     * targets name, each in percentage points — |total error| + curve error + RMSE's excess over the
     * best candidate's (in % of it) + correlation's shortfall from the best candidate's (× 100). The
     * first candidate in {@link #CANDIDATES} order wins a tie.
     */
    static String choose(Map<String, ForecastAccuracy> internal) {
        double bestRmse = Double.POSITIVE_INFINITY;
        double bestCorrelation = Double.NEGATIVE_INFINITY;
        for (ForecastAccuracy accuracy : internal.values()) {
            bestRmse = Math.min(bestRmse, accuracy.rmse());
            bestCorrelation = Math.max(bestCorrelation, accuracy.correlation());
        }
        String chosen = null;
        double chosenScore = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, ForecastAccuracy> entry : internal.entrySet()) {
            double score = selectionScore(entry.getValue(), bestRmse, bestCorrelation);
            if (chosen == null || score < chosenScore) {
                chosen = entry.getKey();
                chosenScore = score;
            }
        }
        return chosen;
    }

    static double selectionScore(ForecastAccuracy accuracy, double bestRmse, double bestCorrelation) {
        double rmseExcess = bestRmse > 0.0 ? 100.0 * (accuracy.rmse() / bestRmse - 1.0) : 0.0;
        return Math.abs(accuracy.totalErrorPct()) + accuracy.curveErrorPct() + rmseExcess
                + 100.0 * (bestCorrelation - accuracy.correlation());
    }

    private static double pAliveOf(String chosen, Stage stage, int j) {
        return switch (chosen) {
            case BG_NBD, PARETO_NBD, MBG_NBD -> stage.pAlive[CANDIDATES.indexOf(chosen) * stage.included.length + j];
            default -> (stage.pAlive[j] + stage.pAlive[stage.included.length + j]
                    + stage.pAlive[2 * stage.included.length + j]) / 3.0;
        };
    }

    private static Stage stage(List<PurchaseHistory> histories, double cut, double horizon) {
        List<Integer> included = new ArrayList<>();
        List<CustomerSummary> summaries = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            PurchaseHistory history = histories.get(i);
            if (history != null && history.first() <= cut) {
                included.add(i);
                summaries.add(history.summaryAt(cut));
            }
        }
        if (summaries.isEmpty()) {
            throw new IllegalArgumentException("no customer had bought by " + cut);
        }
        List<FrequencyRecencyGroup> groups = SummaryGrouping.byFrequencyRecency(summaries);
        BgNbdFit bg = BgNbdFitter.fit(groups);
        ModelFit<ParetoNbdParameters> pareto = ParetoNbdFitter.fit(groups);
        ModelFit<MbgNbdParameters> mbg = MbgNbdFitter.fit(groups);
        PurchaseCountModel[] models = {bg.model(), new ParetoNbdModel(pareto.parameters()), new MbgNbdModel(mbg.parameters())};
        int n = summaries.size();
        double[] steps = steps(horizon);
        Map<String, double[][]> curves = new LinkedHashMap<>();
        double[][] ensemble = new double[n][steps.length];
        double[] pAlive = new double[3 * n];
        for (int m = 0; m < 3; m++) {
            double[][] rows = new double[n][steps.length];
            for (int j = 0; j < n; j++) {
                CustomerSummary summary = summaries.get(j);
                for (int k = 0; k < steps.length; k++) {
                    rows[j][k] = models[m].expectedPurchases(steps[k], summary);
                    ensemble[j][k] += rows[j][k] / 3.0;
                }
                pAlive[m * n + j] = models[m].pAlive(summary);
            }
            curves.put(CANDIDATES.get(m), rows);
        }
        curves.put(ENSEMBLE, ensemble);
        double[][] features = new double[n][];
        for (int j = 0; j < n; j++) {
            features[j] = features(summaries.get(j));
        }
        return new Stage(included.stream().mapToInt(Integer::intValue).toArray(), summaries.toArray(new CustomerSummary[0]),
                curves, features, pAlive, bg, pareto, mbg);
    }

    /**
     * The correction's one feature: log(1 + x). Tried on the CDNOW sample and dropped because their
     * coefficients, learnt on the short internal split, did not carry over to the full period (the
     * holdout total moved by −7 to +42 %): recency tx/T, purchase rate x/T, log spend, the models'
     * log ratios and P(alive). See docs/analytics.md.
     */
    static double[] features(CustomerSummary s) {
        return new double[] {Math.log1p(s.x())};
    }

    private static double[] scaled(double[] curve, double factor) {
        double[] result = new double[curve.length];
        for (int k = 0; k < curve.length; k++) {
            result[k] = curve[k] * factor;
        }
        return result;
    }

    /** Week ends 1, 2, … up to the horizon; the last step is the horizon itself. */
    static double[] steps(double horizon) {
        int count = (int) Math.ceil(horizon - 1e-9);
        double[] steps = new double[count];
        for (int k = 0; k < count; k++) {
            steps[k] = Math.min(k + 1.0, horizon);
        }
        return steps;
    }

    static double[] actualCumulative(PurchaseHistory history, double cut, double horizon) {
        double[] steps = steps(horizon);
        double[] result = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            result[k] = history.purchasesBetween(cut, cut + steps[k] + 1e-9);
        }
        return result;
    }
}
