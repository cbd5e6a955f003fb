package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.ChosenForecast;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.churn.statistics.MbgNbdParameters;
import dev.crm.churn.statistics.ParetoNbdParameters;
import dev.crm.churn.statistics.PoissonCorrection;
import dev.crm.churn.statistics.PurchaseForecaster;
import dev.crm.devkit.TestHistories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run scores by (x, tx, T) group; every customer must get exactly the score per-customer scoring gives. */
class ChurnScorerGroupedTest {
    private static final ChurnSettings SETTINGS = ChurnSettings.defaults();
    private static final BgNbdParameters BG = new BgNbdParameters(0.5, 6, 0.7, 2.5);
    private static final GammaGammaParameters GG = new GammaGammaParameters(6, 4, 15);
    private static final ParetoNbdParameters PARETO = new ParetoNbdParameters(0.55, 10.6, 0.61, 11.7);
    private static final MbgNbdParameters MBG = new MbgNbdParameters(0.5, 6.2, 0.9, 3.1);
    private static final PoissonCorrection CORRECTION =
            PoissonCorrection.of(new double[] {0.05, -0.1}, new double[] {0.7}, new double[] {0.5});

    private static List<CustomerHistory> histories() {
        List<CustomerHistory> out = new ArrayList<>();
        for (TestHistories.Customer c : ChurnRunTest.customers(1_000, 17)) {
            out.add(ChurnRunTest.history(c));
        }
        return out;
    }

    private static List<ChurnScorer.Models> models(List<CustomerHistory> histories) {
        List<CustomerSummary> summaries = histories.stream().map(h -> h.summaryAt(ChurnRunTest.AS_OF)).toList();
        List<ChurnScorer.Models> out = new ArrayList<>();
        out.add(ChurnScorer.fit(summaries, SETTINGS)); // BG/NBD and Gamma-Gamma fitted, as a run without the forecast
        out.add(new ChurnScorer.Models(BG, null, summaries.size(), false)); // no spend model
        out.add(new ChurnScorer.Models(null, null, summaries.size(), true)); // the fallback rule
        for (String chosen : PurchaseForecaster.CANDIDATES) {
            ChosenForecast f = new ChosenForecast(chosen, BG, PARETO, MBG, CORRECTION);
            out.add(new ChurnScorer.Models(BG, GG, summaries.size(), false, f, 0, Map.of()));
            out.add(new ChurnScorer.Models(BG, GG, summaries.size(), false, f, 13.5, Map.of())); // a backtest's horizon
        }
        return out;
    }

    @Test
    void groupedScoresEqualPerCustomerScoresExactly() {
        List<CustomerHistory> histories = histories();
        for (ChurnScorer.Models m : models(histories)) {
            ChurnScorer.Scoring scoring = ChurnScorer.scoring(m, SETTINGS);
            for (CustomerHistory h : histories) {
                ChurnScore perCustomer = ChurnScorer.score(h, ChurnRunTest.AS_OF, m, SETTINGS, ChurnRunTest.NOW, "run_x");
                ChurnScore grouped = scoring.score(h, h.summaryAt(ChurnRunTest.AS_OF), ChurnRunTest.NOW, "run_x");
                // record equality: doubles compared bit for bit, amounts with their scale
                assertEquals(perCustomer, grouped, () -> h.contactId() + " with " + m.toJson());
            }
            if (!m.fallback()) {
                // every tenth customer is the same lapsed one: fewer evaluations than customers
                assertTrue(scoring.groups() < histories.size() * 0.95, "groups " + scoring.groups());
            }
        }
    }
}
