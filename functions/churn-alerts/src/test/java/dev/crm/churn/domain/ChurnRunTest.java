package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.BgNbdSimulator;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.churn.store.memory.InMemoryChurnRepository;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retention run's steps on the in-memory repository: what it scores and raises, and how it resumes. */
class ChurnRunTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final LocalDate AS_OF = LocalDate.parse("2026-11-24");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Tenant tenant = new Tenant(TenantId.generate(), "Test", "test", Tenant.Status.ACTIVE,
            TenantSettings.defaults(), TenantSecrets.generate(), NOW, NOW, 1);
    private final TenantId t = tenant.id();

    /** Customers from the BG/NBD process, and every tenth one a valuable customer who stopped buying. */
    static List<TestHistories.Customer> customers(int n, long seed) {
        var sim = new BgNbdSimulator(new BgNbdParameters(0.5, 6, 0.7, 2.5), new GammaGammaParameters(6, 4, 15));
        SplittableRandom random = new SplittableRandom(seed);
        List<TestHistories.Customer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                out.add(TestHistories.fromWeeks(AS_OF, "EUR", 10, 20, 70, 80, BigDecimal.valueOf(50), i % 20 == 0 ? 1 : 0,
                        i % 30 == 0 ? 2 : null));
                continue;
            }
            CustomerSummary s = sim.simulateCustomer(random, 20 + random.nextInt(60));
            out.add(TestHistories.fromWeeks(AS_OF, "EUR", s.x(), s.tx(), s.T(), s.meanRepeatSpend(),
                    BigDecimal.valueOf(10 + random.nextInt(90)), i % 50 == 0 ? 1 : 0, i % 40 == 0 ? 3 : null));
        }
        return out;
    }

    static InMemoryChurnRepository repositoryWith(TenantId t, List<TestHistories.Customer> customers) {
        InMemoryChurnRepository repo = new InMemoryChurnRepository();
        for (TestHistories.Customer c : customers) {
            repo.putCustomer(t, history(c), Map.of("firstName", "Customer", "lastName", c.contactId().substring(2, 8)));
        }
        return repo;
    }

    static CustomerHistory history(TestHistories.Customer c) {
        return new CustomerHistory(c.contactId(), c.summary(), c.complaints(), c.latestNps());
    }

    Job job(String id, Map<String, Object> input, Map<String, Object> checkpoint) {
        return new Job(JobRef.of(t, id), id, ChurnRun.KIND, t.value(), Job.Status.RUNNING, 0, 0, input, null, null, checkpoint,
                "worker", 0, 0, NOW, NOW);
    }

    /** The checkpoint as the job store gives it back (JSON: numbers as Long or BigDecimal). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stored(Map<String, Object> checkpoint) {
        return (Map<String, Object>) Json.parse(Json.write(checkpoint));
    }

    /** A run's steps to the end, each by a fresh {@link ChurnRun} from the stored checkpoint (a hand-over). */
    record Outcome(Map<String, Object> result, int steps, int failures) {}

    Outcome runToEnd(Supplier<ChurnRun> runs, String id, Map<String, Object> input, Runnable beforeEachStep) {
        Map<String, Object> checkpoint = Map.of();
        int failures = 0;
        for (int steps = 1; steps < 200; steps++) {
            beforeEachStep.run();
            JobRunner.Step step;
            try {
                step = runs.get().step(tenant, job(id, input, checkpoint));
            } catch (RuntimeException e) {
                failures++; // the worker dies or hands the job back; the next one replays from the last checkpoint
                continue;
            }
            if (step.finished()) {
                return new Outcome(stored(step.result()), steps, failures);
            }
            checkpoint = stored(step.checkpoint());
        }
        throw new AssertionError("the run does not end");
    }

    Outcome runToEnd(InMemoryChurnRepository repo, String id) {
        return runToEnd(() -> new ChurnRun(repo, clock), id, Map.of("trigger", "api"), () -> { });
    }

    Set<String> expectedAlerts(List<TestHistories.Customer> customers, Map<String, Object> model) {
        var models = ChurnScorer.Models.fromJson(model);
        ChurnSettings settings = ChurnSettings.from(tenant.settings());
        Set<String> expected = new HashSet<>();
        for (TestHistories.Customer c : customers) {
            if (ChurnScorer.alerts(ChurnScorer.score(history(c), AS_OF, models, settings, NOW, "x"), settings)) {
                expected.add(ChurnAlert.id(c.contactId(), "202611"));
            }
        }
        return expected;
    }

    static Set<String> alertIds(InMemoryChurnRepository repo, TenantId t) {
        Set<String> ids = new HashSet<>();
        repo.allAlerts(t).forEach(a -> ids.add(a.id()));
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunScoresEveryCustomerAndRaisesExactlyTheAlertsItsScoresImply() {
        List<TestHistories.Customer> customers = customers(60, 7);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        String lapsed = customers.get(0).contactId();
        repo.putPreferences(t, lapsed, Map.of("channels", Map.of("email", Map.of("status", "opted_in"))));

        Outcome o = runToEnd(repo, "run_one");
        Map<String, Object> model = (Map<String, Object>) o.result().get("model");
        assertEquals(true, model.get("fallbackRule"), "60 customers are too few to fit the models");
        assertEquals(60L, o.result().get("scored"));
        assertEquals(60, repo.scoreCount(t));
        for (TestHistories.Customer c : customers) {
            assertEquals("run_one", repo.score(t, c.contactId()).runId());
        }
        Set<String> expected = expectedAlerts(customers, model);
        assertTrue(expected.size() >= 6, "every lapsed valuable customer is alerted: " + expected.size());
        assertEquals(expected, alertIds(repo, t));
        assertEquals((long) expected.size(), o.result().get("alerts"));
        Map<String, Object> tiers = (Map<String, Object>) o.result().get("riskTiers");
        assertEquals(60L, tiers.values().stream().mapToLong(v -> ((Number) v).longValue()).sum());
        assertEquals("run_one", repo.latestRun(t));

        ChurnAlert a = repo.alert(t, lapsed, "202611");
        assertEquals(ChurnAlert.Status.OPEN, a.status());
        assertEquals("Customer", a.contact().get("firstName"));
        assertEquals("email", a.suggestedAction().get("channel"), "the channel the customer's preferences allow");
        assertTrue(a.reasons().contains("p_alive_below_threshold"));
        assertTrue(a.reasons().contains("complaints"), "customer 0 complained");
        assertTrue(a.reasons().contains("survey_detractor"), "customer 0 is a detractor");
        assertEquals(NOW, a.createdAt());
        // the top of the dashboard: high risk only, largest value at risk first
        List<Map<String, Object>> top = (List<Map<String, Object>>) o.result().get("topAtRisk");
        assertFalse(top.isEmpty());
        for (int i = 1; i < top.size(); i++) {
            assertTrue(new BigDecimal((String) top.get(i - 1).get("valueAtRisk"))
                    .compareTo(new BigDecimal((String) top.get(i).get("valueAtRisk"))) >= 0);
        }
    }

    @Test
    void aFitStepThenOneStepPerPageThenAFinishingStep() {
        List<TestHistories.Customer> customers = customers(60, 8);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        ChurnRun run = new ChurnRun(repo, clock);
        JobRunner.Step fit = run.step(tenant, job("run_steps", Map.of(), Map.of()));
        assertFalse(fit.finished());
        assertEquals(0, fit.done());
        assertEquals(60, fit.total());
        assertEquals(0, repo.writes(), "fitting writes nothing");
        Map<String, Object> cp = stored(fit.checkpoint());
        long done = 0;
        int scoreSteps = 0;
        while (true) {
            JobRunner.Step s = run.step(tenant, job("run_steps", Map.of(), cp));
            if (s.finished()) {
                assertEquals(60, s.done());
                break;
            }
            assertTrue(s.done() >= done, "progress never goes back");
            done = s.done();
            cp = stored(s.checkpoint());
            scoreSteps++;
        }
        // 60 customers in pages of 1,000: one page per segment of the repository
        assertEquals(InMemoryChurnRepository.SEGMENTS, scoreSteps);
        assertEquals(60, done);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunWhoseWorkersCrashMidStepEndsAsAnUninterruptedOne() {
        List<TestHistories.Customer> customers = customers(650, 42);
        InMemoryChurnRepository whole = repositoryWith(t, customers);
        Outcome expected = runToEnd(whole, "run_whole");
        assertEquals(false, ((Map<String, Object>) expected.result().get("model")).get("fallbackRule"), "650 customers fit the models");

        InMemoryChurnRepository crashing = repositoryWith(t, customers);
        SplittableRandom random = new SplittableRandom(3);
        int[] attempts = {0};
        // every other attempt dies at its first or second write; the attempt after it gets through
        // pages of 200: several steps per segment, so crashes land mid-segment too
        Outcome o = runToEnd(() -> new ChurnRun(crashing, clock, null, 200), "run_whole", Map.of("trigger", "api"),
                () -> crashing.failWrites(attempts[0]++ % 2 == 0 ? random.nextInt(2) : -1, 1,
                        () -> new IllegalStateException("the process died")));
        assertTrue(o.failures() >= 3, "crashes happened: " + o.failures());
        for (String k : List.of("model", "scored", "alerts", "riskTiers", "topAtRisk")) {
            assertEquals(expected.result().get(k), o.result().get(k), k);
        }
        assertEquals(alertIds(whole, t), alertIds(crashing, t));
        assertEquals(expectedAlerts(customers, (Map<String, Object>) o.result().get("model")), alertIds(crashing, t));
        assertEquals(650, crashing.scoreCount(t));
        assertTrue(o.steps() > 6, "the run had pages within segments: " + o.steps());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunWritingItsStepsOnWorkersThatCrashMidStepEndsAsAnUninterruptedOne() throws Exception {
        List<TestHistories.Customer> customers = customers(650, 42);
        InMemoryChurnRepository whole = repositoryWith(t, customers);
        Outcome expected = runToEnd(whole, "run_whole");

        InMemoryChurnRepository crashing = repositoryWith(t, customers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            SplittableRandom random = new SplittableRandom(5);
            int[] attempts = {0};
            // every other attempt has one of its parallel parts die at one of its first writes; the others
            // of that step may have written: the replay writes them again
            Outcome o = runToEnd(() -> new ChurnRun(crashing, clock, pool, 200), "run_whole", Map.of("trigger", "api"),
                    () -> crashing.failWrites(attempts[0]++ % 2 == 0 ? random.nextInt(4) : -1, 1,
                            () -> new IllegalStateException("the process died")));
            assertTrue(o.failures() >= 3, "crashes happened: " + o.failures());
            for (String k : List.of("model", "scored", "alerts", "riskTiers", "topAtRisk", "predictions")) {
                assertEquals(expected.result().get(k), o.result().get(k), k);
            }
            assertEquals(alertIds(whole, t), alertIds(crashing, t));
            assertEquals(expectedAlerts(customers, (Map<String, Object>) o.result().get("model")), alertIds(crashing, t));
            assertEquals(650, crashing.scoreCount(t));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void contentionInTheStoreFailsTheStepWhichIsRetriedFromItsCheckpoint() {
        List<TestHistories.Customer> customers = customers(60, 9);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        ChurnRun run = new ChurnRun(repo, clock);
        Map<String, Object> cp = stored(run.step(tenant, job("run_c", Map.of(), Map.of())).checkpoint());
        repo.failWrites(0, 2, StoreException.Contention::new);
        Map<String, Object> before = cp;
        assertThrows(StoreException.Contention.class, () -> run.step(tenant, job("run_c", Map.of(), before)));
        assertThrows(StoreException.Contention.class, () -> run.step(tenant, job("run_c", Map.of(), before)));
        JobRunner.Step s = run.step(tenant, job("run_c", Map.of(), before));
        assertFalse(s.finished());
        assertTrue(s.done() > 0);
        Outcome rest = runToEnd(repo, "run_c_again");
        assertEquals(60L, rest.result().get("scored"));
    }

    @Test
    void aBacktestRebuildsTheSummariesFromPurchasesAndWritesNothingButItsPredictions() {
        InMemoryChurnRepository repo = new InMemoryChurnRepository();
        String a = TestHistories.newContactId();
        String b = TestHistories.newContactId();
        repo.putPurchase(t, new InMemoryChurnRepository.Purchase(a, Instant.parse("2026-01-05T10:00:00Z"), BigDecimal.TEN, "EUR"));
        repo.putPurchase(t, new InMemoryChurnRepository.Purchase(a, Instant.parse("2026-03-05T10:00:00Z"), BigDecimal.ONE, "EUR"));
        repo.putPurchase(t, new InMemoryChurnRepository.Purchase(a, Instant.parse("2026-08-05T10:00:00Z"), BigDecimal.ONE, "EUR"));
        repo.putPurchase(t, new InMemoryChurnRepository.Purchase(b, Instant.parse("2026-09-05T10:00:00Z"), BigDecimal.ONE, "EUR"));
        JobRunner.Step s = new ChurnRun(repo, clock).step(tenant, job("run_bt", Map.of("asOf", "2026-06-30"), Map.of()));
        assertTrue(s.finished());
        assertEquals(true, s.result().get("backtest"));
        assertEquals("2026-06-30", s.result().get("asOf"));
        assertEquals(1, ((Number) s.result().get("customers")).intValue(), "only purchases up to the day count");
        assertEquals(1L, ((Number) s.result().get("repeatPurchaseDays")).longValue());
        assertEquals(1, repo.writes(), "one batch of predictions");
        assertEquals(List.of(a), repo.predictions(t, "run_bt", null, 10).items().stream().map(ChurnPrediction::contactId).toList());
        assertEquals(0, repo.scoreCount(t));
        assertNull(repo.latestRun(t));
    }

    @Test
    void aRerunRaisesNoDuplicateKeepsAlertStatesAndCountsTheAlertsAgain() {
        List<TestHistories.Customer> customers = customers(60, 10);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        Outcome first = runToEnd(repo, "run_first");
        ChurnAlert some = repo.allAlerts(t).get(0);
        assertNotNull(repo.transition(t, some, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED, "key:k", NOW, null));
        Outcome second = runToEnd(repo, "run_second");
        assertEquals(first.result().get("alerts"), second.result().get("alerts"));
        assertEquals(((Number) first.result().get("alerts")).intValue(), repo.allAlerts(t).size());
        ChurnAlert after = repo.alert(t, some.contactId(), some.period());
        assertEquals(ChurnAlert.Status.ACKNOWLEDGED, after.status());
        assertEquals("run_first", after.runId());
        assertEquals("run_second", repo.latestRun(t));
        assertEquals("run_second", repo.score(t, some.contactId()).runId());
    }

    @Test
    void customersWithoutPurchasesUpToTheDayAreNotScored() {
        List<TestHistories.Customer> customers = new ArrayList<>(customers(20, 11));
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        String none = TestHistories.newContactId();
        repo.putCustomer(t, new CustomerHistory(none, PurchaseSummary.empty("EUR"), 0, null), Map.of("firstName", "No"));
        String later = TestHistories.newContactId();
        LocalDate tomorrow = AS_OF.plusDays(1);
        repo.putCustomer(t, new CustomerHistory(later, new PurchaseSummary("EUR", tomorrow, BigDecimal.TEN, tomorrow, 0,
                BigDecimal.ZERO, BigDecimal.TEN, 1, 1), 0, null), Map.of("firstName", "Later"));
        Outcome o = runToEnd(repo, "run_few");
        assertEquals(20L, o.result().get("scored"));
        assertNull(repo.score(t, none));
        assertNull(repo.score(t, later));
    }

    @Test
    void anAlertSaysWhenTheContactHasOpenOrRecentlyBreachedCases() {
        List<TestHistories.Customer> customers = customers(60, 7);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        String lapsed = customers.get(0).contactId();
        java.time.Instant created = NOW.minus(java.time.Duration.ofDays(40));
        repo.putCaseLink(t, new dev.crm.shared.contact.CaseLink("cs_1", lapsed, 1, "Late", "open", created, null, null));
        repo.putCaseLink(t, new dev.crm.shared.contact.CaseLink("cs_2", lapsed, 2, "Broken", "pending", created, null, null));
        repo.putCaseLink(t, new dev.crm.shared.contact.CaseLink("cs_3", lapsed, 3, "Refund", "solved", created,
                NOW.minus(java.time.Duration.ofDays(1)), NOW.minus(java.time.Duration.ofDays(3))));
        runToEnd(repo, "run_cases");
        ChurnAlert a = repo.alert(t, lapsed, "202611");
        assertEquals(2, a.openCases());
        assertTrue(a.reasons().contains("open_cases"), a.reasons().toString());
        assertTrue(a.reasons().contains("recent_sla_breach"), a.reasons().toString());
        assertEquals(2L, a.toJson().get("openCases") instanceof Integer i ? (long) i : -1L);

        // another alerted customer whose only case breached long ago and is closed: the alert says nothing of cases
        ChurnAlert other = repo.allAlerts(t).stream().filter(x -> !x.contactId().equals(lapsed)).findFirst().orElseThrow();
        InMemoryChurnRepository again = repositoryWith(t, customers);
        again.putCaseLink(t, new dev.crm.shared.contact.CaseLink("cs_9", other.contactId(), 9, "Old", "closed", created.minusSeconds(86400 * 60),
                created.minusSeconds(86400 * 50), created.minusSeconds(86400 * 55)));
        runToEnd(again, "run_old_case");
        ChurnAlert quiet = again.alert(t, other.contactId(), "202611");
        assertEquals(0, quiet.openCases());
        assertFalse(quiet.reasons().contains("open_cases") || quiet.reasons().contains("recent_sla_breach"), quiet.reasons().toString());
    }

    @Test
    void aCustomerErasedSinceTheirSummaryGetsNeitherAnAlertNorAScore() {
        List<TestHistories.Customer> customers = customers(20, 12);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        String lapsed = customers.get(0).contactId();
        runToEnd(repo, "run_before");
        assertNotNull(repo.alert(t, lapsed, "202611"), "the lapsed customer is alerted while active");
        assertNotNull(repo.score(t, lapsed));
        InMemoryChurnRepository erasedRepo = repositoryWith(t, customers);
        erasedRepo.putCard(t, lapsed, new LinkedHashMap<>(), false);
        runToEnd(erasedRepo, "run_erased");
        assertNull(erasedRepo.alert(t, lapsed, "202611"));
        assertNull(erasedRepo.score(t, lapsed));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunCheckpointedByTheEarlierShardedVersionScoresAgainFromTheStartAndEndsExact() {
        List<TestHistories.Customer> customers = customers(60, 13);
        InMemoryChurnRepository repo = repositoryWith(t, customers);
        Outcome clean = runToEnd(repo, "run_clean");
        ChurnRun run = new ChurnRun(repo, clock);
        Map<String, Object> cp = new LinkedHashMap<>(stored(run.step(tenant, job("run_old", Map.of(), Map.of())).checkpoint()));
        // what the earlier version checkpointed halfway: a shard, a resume key and tallies so far
        cp.put("shard", 5);
        cp.put("from", Map.of("PK", "x", "SK", "A#PURCHASES"));
        cp.put("scored", 41);
        cp.put("alerts", 4);
        Map<String, Object> checkpoint = cp;
        Map<String, Object> result = null;
        for (int i = 0; i < 20 && result == null; i++) {
            JobRunner.Step s = run.step(tenant, job("run_old", Map.of(), checkpoint));
            if (s.finished()) {
                result = stored(s.result());
            } else {
                checkpoint = stored(s.checkpoint());
            }
        }
        assertNotNull(result);
        for (String k : List.of("model", "scored", "alerts", "riskTiers", "topAtRisk")) {
            assertEquals(clean.result().get(k), result.get(k), k);
        }
    }

    @Test
    void aStepFindsItsTenantAndAGoneTenantFailsTheRunForGood() {
        InMemoryChurnRepository repo = repositoryWith(t, customers(10, 14));
        TenantRepository tenants = (TenantRepository) java.lang.reflect.Proxy.newProxyInstance(
                TenantRepository.class.getClassLoader(), new Class<?>[] {TenantRepository.class},
                (proxy, method, args) -> method.getName().equals("find") && t.equals(args[0]) ? tenant : null);
        ChurnRun run = new ChurnRun(repo, tenants, clock);
        assertEquals(10, run.step(job("run_t", Map.of(), Map.of())).total());
        Job foreign = new Job(JobRef.of(TenantId.generate(), "run_x"), "run_x", ChurnRun.KIND, TenantId.generate().value(),
                Job.Status.RUNNING, 0, 0, Map.of(), null, null, Map.of(), "worker", 0, 0, NOW, NOW);
        assertThrows(JobRunner.PermanentFailure.class, () -> run.step(foreign));
    }
}
