package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.statistics.PurchaseForecaster;
import dev.crm.churn.store.memory.InMemoryChurnRepository;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run's forecast from raw purchases (issue 18): a backtest reports each candidate's figures on
 * what happened after asOf, its predictions add up to what it reports, and nothing after asOf changes
 * the fit, the choice or the predictions; a run as of today gives each score its RFM quintiles.
 */
class ChurnRunForecastTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final LocalDate FIRST = LocalDate.parse("2025-01-01");
    static final LocalDate AS_OF = LocalDate.parse("2025-12-31");
    static final LocalDate UNTIL = LocalDate.parse("2026-06-30");
    static final int CUSTOMERS = 240;
    private static final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TenantSettings settings = new TenantSettings(List.of(), "UTC", "EUR", Map.of(), "v1",
            new TenantSettings.Retention(new BigDecimal("100"), 0.5, 12, 0.01, 100));
    private static final Tenant tenant = new Tenant(TenantId.generate(), "Test", "test", Tenant.Status.ACTIVE, settings,
            TenantSecrets.generate(), NOW, NOW, 1);
    private static final TenantId t = tenant.id();

    /** Purchases from a Pareto/NBD-like process: first purchases in Q1 2025, data until the end of UNTIL. */
    static List<InMemoryChurnRepository.Purchase> purchases(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<InMemoryChurnRepository.Purchase> out = new ArrayList<>();
        long lastDay = ChronoUnit.DAYS.between(FIRST, UNTIL);
        for (int i = 0; i < CUSTOMERS; i++) {
            String contactId = "c_" + String.format("%04d", i) + "aaaaaaaaaaaaaaaa";
            double rate = gamma(random, 0.8) * 0.25; // purchases per week
            double lifetime = -Math.log(1 - random.nextDouble()) / (gamma(random, 1.0) * 0.03); // weeks
            long first = random.nextInt(84);
            double at = first;
            out.add(purchase(contactId, first, random));
            while (true) {
                at += 7 * -Math.log(1 - random.nextDouble()) / rate;
                if (at > first + 7 * lifetime || at > lastDay) {
                    break;
                }
                out.add(purchase(contactId, (long) at, random));
            }
        }
        return out;
    }

    private static InMemoryChurnRepository.Purchase purchase(String contactId, long day, SplittableRandom random) {
        return new InMemoryChurnRepository.Purchase(contactId, FIRST.plusDays(day).atTime(10, 0).toInstant(ZoneOffset.UTC),
                BigDecimal.valueOf(10 + random.nextInt(90)), "EUR");
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted). */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    static InMemoryChurnRepository repository(List<InMemoryChurnRepository.Purchase> purchases) {
        InMemoryChurnRepository repo = new InMemoryChurnRepository();
        new TreeSet<>(purchases.stream().map(InMemoryChurnRepository.Purchase::contactId).toList())
                .forEach(id -> repo.putCard(t, id, Map.of("firstName", "C"), true));
        purchases.forEach(p -> repo.putPurchase(t, p));
        return repo;
    }

    static Job job(String id, Map<String, Object> input) {
        return new Job(JobRef.of(t, id), id, ChurnRun.KIND, t.value(), Job.Status.RUNNING, 0, 0, input, null, null, Map.of(),
                "worker", 0, 0, NOW, NOW);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> backtest(InMemoryChurnRepository repo, String runId) {
        JobRunner.Step s = new ChurnRun(repo, clock).step(tenant,
                job(runId, Map.of("asOf", AS_OF.toString(), "evaluateUntil", UNTIL.toString())));
        assertTrue(s.finished(), "a backtest is one step");
        return (Map<String, Object>) Json.parse(Json.write(s.result()));
    }

    static List<ChurnPrediction> allPredictions(InMemoryChurnRepository repo, String runId) {
        List<ChurnPrediction> out = new ArrayList<>();
        dev.crm.shared.store.Cursor from = null;
        do {
            var page = repo.predictions(t, runId, from, 50);
            out.addAll(page.items());
            from = page.next();
        } while (from != null);
        return out;
    }

    static List<InMemoryChurnRepository.Purchase> original;
    static InMemoryChurnRepository repo;
    static Map<String, Object> result;

    @BeforeAll
    static void runTheBacktest() {
        original = purchases(18);
        repo = repository(original);
        result = backtest(repo, "run_backtest");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBacktestReportsEveryCandidatesFiguresOnWhatHappenedAfterAsOfAndMarksTheChosenOne() {
        assertEquals(true, result.get("backtest"));
        assertEquals(UNTIL.toString(), result.get("evaluateUntil"));
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        assertEquals(false, model.get("fallbackRule"));
        assertNotNull(model.get("paretoNbd"));
        assertNotNull(model.get("mbgNbd"));
        Map<String, Object> accuracy = (Map<String, Object>) result.get("accuracy");
        assertEquals("holdout", accuracy.get("evaluatedOn"));
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) accuracy.get("candidates");
        assertEquals(PurchaseForecaster.CANDIDATES, candidates.stream().map(c -> c.get("candidate")).toList());
        List<Object> chosen = candidates.stream().filter(c -> Boolean.TRUE.equals(c.get("chosen"))).map(c -> c.get("candidate")).toList();
        assertEquals(List.of(model.get("chosen")), chosen, "exactly the candidate the run scores with");
        for (Map<String, Object> c : candidates) {
            for (String k : List.of("totalErrorPct", "curveErrorPct", "rmse", "mae", "correlation")) {
                assertTrue(c.get(k) instanceof Number, k + " of " + c);
            }
        }
        // the selection's own figures come from before asOf
        Map<String, Object> selection = (Map<String, Object>) accuracy.get("selection");
        assertTrue(LocalDate.parse((String) selection.get("splitAt")).isBefore(AS_OF));

        // nothing but the predictions is written
        assertEquals(0, repo.scoreCount(t));
        assertTrue(repo.allAlerts(t).isEmpty());
        assertNull(repo.latestRun(t));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePredictionsAddUpToWhatTheRunReportsAndToTheChosenFiguresAgainstTheRawPurchases() {
        List<ChurnPrediction> predictions = allPredictions(repo, "run_backtest");
        Map<String, Object> totals = (Map<String, Object>) result.get("predictions");
        // customers who had bought by asOf, recomputed from the raw purchases
        Map<String, TreeSet<LocalDate>> days = new TreeMap<>();
        for (InMemoryChurnRepository.Purchase p : original) {
            days.computeIfAbsent(p.contactId(), k -> new TreeSet<>()).add(LocalDate.ofInstant(p.at(), ZoneOffset.UTC));
        }
        Map<String, Integer> actual = new HashMap<>();
        days.forEach((id, d) -> {
            if (!d.first().isAfter(AS_OF)) {
                actual.put(id, (int) d.stream().filter(day -> day.isAfter(AS_OF) && !day.isAfter(UNTIL)).count());
            }
        });
        assertEquals(actual.size(), predictions.size());
        assertEquals(((Number) totals.get("customers")).longValue(), predictions.size());
        assertEquals(actual.keySet(), new TreeSet<>(predictions.stream().map(ChurnPrediction::contactId).toList()));
        double predicted = predictions.stream().mapToDouble(ChurnPrediction::expectedPurchases).sum();
        assertEquals(((Number) totals.get("expectedPurchases")).doubleValue(), predicted, 1e-9 * predicted);
        long actualTotal = actual.values().stream().mapToLong(Integer::longValue).sum();
        Map<String, Object> accuracy = (Map<String, Object>) result.get("accuracy");
        assertEquals(actualTotal, ((Number) accuracy.get("actualPurchases")).longValue());
        Map<String, Object> chosen = ((List<Map<String, Object>>) accuracy.get("candidates")).stream()
                .filter(c -> Boolean.TRUE.equals(c.get("chosen"))).findFirst().orElseThrow();
        assertEquals(((Number) chosen.get("totalErrorPct")).doubleValue(), 100.0 * (predicted - actualTotal) / actualTotal, 1e-6);
        double squared = 0;
        for (ChurnPrediction p : predictions) {
            double e = p.expectedPurchases() - actual.get(p.contactId());
            squared += e * e;
        }
        assertEquals(((Number) chosen.get("rmse")).doubleValue(), Math.sqrt(squared / predictions.size()), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void purchasesAfterAsOfChangeNothingInTheFitTheChoiceOrThePredictions() {
        // every purchase after asOf: deleted for every other customer, moved a week later for the rest
        List<InMemoryChurnRepository.Purchase> altered = new ArrayList<>();
        Instant cut = AS_OF.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int i = 0;
        for (InMemoryChurnRepository.Purchase p : original) {
            if (p.at().isBefore(cut)) {
                altered.add(p);
            } else if (i++ % 2 == 1) {
                altered.add(new InMemoryChurnRepository.Purchase(p.contactId(), p.at().plus(7, ChronoUnit.DAYS), p.amount(), p.currency()));
            }
        }
        InMemoryChurnRepository other = repository(altered);
        Map<String, Object> again = backtest(other, "run_backtest");
        assertEquals(result.get("model"), again.get("model"), "the fit and the choice");
        Map<String, Object> selection = (Map<String, Object>) ((Map<String, Object>) result.get("accuracy")).get("selection");
        assertEquals(selection, ((Map<String, Object>) again.get("accuracy")).get("selection"), "the selection's figures");
        assertEquals(allPredictions(repo, "run_backtest"), allPredictions(other, "run_backtest"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunAsOfTodayScoresWithTheForecastReportsItsInternalFiguresAndGivesEachScoreItsRfmQuintiles() {
        InMemoryChurnRepository today = repository(original);
        Map<String, List<dev.crm.shared.contact.PurchaseSummary.Purchase>> byContact = new TreeMap<>();
        for (InMemoryChurnRepository.Purchase p : original) {
            byContact.computeIfAbsent(p.contactId(), k -> new ArrayList<>())
                    .add(new dev.crm.shared.contact.PurchaseSummary.Purchase(LocalDate.ofInstant(p.at(), ZoneOffset.UTC), p.amount()));
        }
        byContact.forEach((id, list) -> today.putCustomer(t, new CustomerHistory(id,
                dev.crm.shared.contact.PurchaseSummary.recompute("EUR", list), 0, null), Map.of("firstName", "C")));
        Map<String, Object> checkpoint = Map.of();
        Map<String, Object> done = null;
        for (int steps = 0; steps < 100 && done == null; steps++) {
            JobRunner.Step s = new ChurnRun(today, clock).step(tenant, new Job(JobRef.of(t, "run_today"), "run_today", ChurnRun.KIND,
                    t.value(), Job.Status.RUNNING, 0, 0, Map.of("trigger", "api"), null, null, checkpoint, "worker", 0, 0, NOW, NOW));
            if (s.finished()) {
                done = (Map<String, Object>) Json.parse(Json.write(s.result()));
            } else {
                checkpoint = (Map<String, Object>) Json.parse(Json.write(s.checkpoint()));
            }
        }
        assertNotNull(done);
        Map<String, Object> model = (Map<String, Object>) done.get("model");
        assertTrue(PurchaseForecaster.CANDIDATES.contains(model.get("chosen")), model.toString());
        assertEquals("internalSplit", ((Map<String, Object>) done.get("accuracy")).get("evaluatedOn"));
        assertEquals((long) CUSTOMERS, ((Number) done.get("scored")).longValue());
        List<ChurnPrediction> predictions = allPredictions(today, "run_today");
        assertEquals(CUSTOMERS, predictions.size());
        double predicted = predictions.stream().mapToDouble(ChurnPrediction::expectedPurchases).sum();
        assertEquals(((Number) ((Map<String, Object>) done.get("predictions")).get("expectedPurchases")).doubleValue(), predicted,
                1e-9 * predicted);
        for (ChurnPrediction p : predictions) {
            assertEquals(p.expectedPurchases(), today.score(t, p.contactId()).expectedPurchases(), "the score is the prediction");
        }

        // quintiles recomputed here: 1 + ⌊5 · (customers strictly below) / n⌋, recency as days since the last purchase
        LocalDate asOf = NOW.atZone(ZoneOffset.UTC).toLocalDate();
        Map<String, double[]> values = new HashMap<>();
        byContact.forEach((id, list) -> {
            var s = dev.crm.shared.contact.PurchaseSummary.recompute("EUR", list);
            values.put(id, new double[] {-ChronoUnit.DAYS.between(s.lastPurchaseDay(), asOf), s.repeatPurchaseDays() + 1,
                    s.totalSpend().doubleValue()});
        });
        for (String id : byContact.keySet()) {
            Rfm rfm = today.score(t, id).rfm();
            assertNotNull(rfm, id);
            int[] expected = new int[3];
            for (int k = 0; k < 3; k++) {
                int kk = k;
                long below = values.values().stream().filter(v -> v[kk] < values.get(id)[kk]).count();
                expected[k] = 1 + (int) (5 * below / values.size());
            }
            assertEquals(new Rfm(expected[0], expected[1], expected[2]), rfm, id);
            assertEquals(rfm.score(), ((Number) ((Map<String, Object>) today.score(t, id).toJson().get("rfm")).get("score")).intValue());
        }
    }
}
