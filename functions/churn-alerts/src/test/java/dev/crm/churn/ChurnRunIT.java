package dev.crm.churn;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.churn.domain.ChurnScorer;
import dev.crm.churn.domain.ChurnSettings;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.churn.entrypoints.ChurnAlertsHandler;
import dev.crm.churn.entrypoints.ChurnRunWorker;
import dev.crm.churn.entrypoints.ChurnSchedule;
import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.BgNbdSimulator;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestHistories;
import dev.crm.devkit.TestInfrastructure;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retention job and the alerts API against DynamoDB Local. */
class ChurnRunIT {
    static final LocalDate AS_OF = LocalDate.parse("2026-11-24");
    private final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"));
    private final ChurnAlertsHandler api = new ChurnAlertsHandler(infra);
    private final ChurnRunWorker worker = new ChurnRunWorker(infra);
    private TenantId t;
    private List<TestHistories.Customer> customers;

    @BeforeEach
    void simulatedCustomers() {
        t = TestInfrastructure.tenant(infra).id();
        customers = simulate(700, 42);
        TestHistories.write(infra.table(), t, customers, clock.instant());
    }

    /** Customers from the BG/NBD process with known parameters, as purchase summaries on calendar days. */
    static List<TestHistories.Customer> simulate(int n, long seed) {
        var sim = new BgNbdSimulator(new BgNbdParameters(0.5, 6, 0.7, 2.5), new GammaGammaParameters(6, 4, 15));
        SplittableRandom random = new SplittableRandom(seed);
        List<TestHistories.Customer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CustomerSummary s = sim.simulateCustomer(random, 20 + random.nextInt(60));
            BigDecimal firstSpend = BigDecimal.valueOf(10 + random.nextInt(90));
            out.add(TestHistories.fromWeeks(AS_OF, "EUR", s.x(), s.tx(), s.T(), s.meanRepeatSpend(), firstSpend,
                    i % 50 == 0 ? 1 : 0, i % 40 == 0 ? 3 : null));
        }
        return out;
    }

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return api.handleRequest(e.build(), new LambdaContext());
    }

    String startRun(String body) {
        var r = call(ApiEvents.request("POST", "/v1/churn-runs").as(t, Scope.WRITE).json(body));
        status(r, 202);
        return header(r, "Location");
    }

    DynamodbEvent queued(String location) {
        return dev.crm.devkit.SampleEvents.jobQueued(Keys.job(t, location.substring(location.lastIndexOf('/') + 1)));
    }

    void runJob(String location, java.util.function.LongSupplier remaining) {
        worker.handleRequest(queued(location), new LambdaContext(remaining));
    }

    Map<String, Object> run(String location) {
        var r = call(ApiEvents.request("GET", "/v1/churn-runs/{id}").path("id", location.substring(location.lastIndexOf('/') + 1))
                .as(t, Scope.READ));
        status(r, 200);
        return body(r);
    }

    Set<String> alertIds(String status) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            var e = ApiEvents.request("GET", "/v1/churn-alerts").query("status", status).query("limit", "200").as(t, Scope.READ);
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            var page = body(call(e));
            for (Object o : (List<?>) page.get("items")) {
                ids.add((String) ((Map<?, ?>) o).get("id"));
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunFitsScoresEveryCustomerAndRaisesExactlyTheExpectedAlerts() {
        String location = startRun("{}");
        runJob(location, () -> 900_000);
        Map<String, Object> job = run(location);
        assertEquals("succeeded", job.get("status"));
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        assertEquals(700L, result.get("scored"));
        assertEquals(false, model.get("fallbackRule"));
        for (String p : List.of("r", "alpha", "a", "b", "p", "q", "v")) {
            assertTrue(((Number) model.get(p)).doubleValue() > 0, p);
        }
        // the expected alerts, computed independently from the published parameters and the histories
        var models = ChurnScorer.Models.fromJson(model);
        ChurnSettings settings = ChurnSettings.defaults();
        Set<String> expected = new HashSet<>();
        for (TestHistories.Customer c : customers) {
            var score = ChurnScorer.score(new CustomerHistory(c.contactId(), c.summary(), c.complaints(), c.latestNps()),
                    AS_OF, models, settings, clock.instant(), "x");
            if (ChurnScorer.alerts(score, settings)) {
                expected.add("al_" + c.contactId().substring(2) + "_202611");
            }
        }
        assertFalse(expected.isEmpty(), "the simulation has valuable customers at risk");
        assertEquals(expected, alertIds("open"));
        assertEquals((long) expected.size(), result.get("alerts"));
        // each score is its own item, never the contact record
        var score = infra.table().get(Keys.contact(t, customers.get(0).contactId()), Keys.CHURN_SCORE);
        assertNotNull(score.get("view").m().get("pAlive"));
        assertEquals("1", infra.table().get(Keys.contact(t, customers.get(0).contactId()), Keys.CONTACT_PROFILE).get("version").n());
        // the dashboard summary
        var summary = body(call(ApiEvents.request("GET", "/v1/churn-scores/summary").as(t, Scope.READ)));
        Map<String, Object> tiers = (Map<String, Object>) summary.get("riskTiers");
        assertEquals(700L, tiers.values().stream().mapToLong(v -> ((Number) v).longValue()).sum());
        List<Map<String, Object>> top = (List<Map<String, Object>>) summary.get("topAtRisk");
        assertFalse(top.isEmpty());
        assertTrue(new BigDecimal((String) ((Map<?, ?>) top.get(0).get("valueAtRisk")).get("amount"))
                .compareTo(new BigDecimal((String) ((Map<?, ?>) top.get(top.size() - 1).get("valueAtRisk")).get("amount"))) >= 0);
        assertEquals("Customer", ((Map<?, ?>) top.get(0).get("contact")).get("firstName"));
    }

    /** The alerts a run with these settings must raise, computed from the published model and the histories. */
    Set<String> expectedAlerts(Map<String, Object> model, ChurnSettings settings) {
        var models = ChurnScorer.Models.fromJson(model);
        Set<String> expected = new HashSet<>();
        for (TestHistories.Customer c : customers) {
            var score = ChurnScorer.score(new CustomerHistory(c.contactId(), c.summary(), c.complaints(), c.latestNps()),
                    AS_OF, models, settings, clock.instant(), "x");
            if (ChurnScorer.alerts(score, settings)) {
                expected.add("al_" + c.contactId().substring(2) + "_202611");
            }
        }
        return expected;
    }

    /** The run succeeded, scored every customer once and raised exactly the alerts its model implies. */
    @SuppressWarnings("unchecked")
    void assertCompleteAndExact(String location) {
        Map<String, Object> job = run(location);
        assertEquals("succeeded", job.get("status"));
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        assertEquals(700L, result.get("scored"));
        Set<String> expected = expectedAlerts((Map<String, Object>) result.get("model"), ChurnSettings.defaults());
        assertEquals(expected, alertIds("open"));
        assertEquals((long) expected.size(), result.get("alerts"));
        // each alert carries its own contact's card (read in one batch per score step)
        var alerts = (List<Map<String, Object>>) body(call(ApiEvents.request("GET", "/v1/churn-alerts")
                .query("status", "open").query("limit", "200").as(t, Scope.READ))).get("items");
        assertFalse(alerts.isEmpty());
        for (Map<String, Object> a : alerts) {
            Map<?, ?> card = (Map<?, ?>) a.get("contact");
            String contactId = (String) a.get("contactId");
            assertEquals("Customer", card.get("firstName"), a.toString());
            assertEquals(contactId.substring(2, 8), card.get("lastName"), a.toString());
        }
        for (TestHistories.Customer c : customers) {
            assertNotNull(infra.table().get(Keys.contact(t, c.contactId()), Keys.CHURN_SCORE), "every customer has a score");
        }
    }

    @Test
    void aRunWhoseProcessCrashesMidwayResumesAndEndsExact() {
        String location = startRun("{}");
        FaultInjector faults = new FaultInjector();
        ChurnRunWorker crashing = new ChurnRunWorker(TestInfrastructure.create(clock, Map.of("CRM_LOCAL", "true"), faults));
        faults.crashAfter(20, FaultInjector.WRITES);
        assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(location), new LambdaContext()));
        faults.off();
        assertTrue(faults.injected() > 0);
        assertEquals("running", run(location).get("status"), "a dead process leaves its lease behind");
        runJob(location, () -> 900_000); // the stream's retry waits the lease out and takes over
        assertCompleteAndExact(location);
    }

    @Test
    void twoDeliveriesOfOneRunAtOnceEndExact() throws Exception {
        String location = startRun("{}");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> runJob(location, () -> 900_000));
            var b = pool.submit(() -> runJob(location, () -> 900_000));
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        assertCompleteAndExact(location);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTenantsRetentionSettingsDecideWhoIsAlerted() {
        Tenant tenant = infra.tenants().find(t);
        var patch = dev.crm.shared.json.JsonObject.of(dev.crm.shared.json.Json.parse(
                "{\"retention\": {\"valueThreshold\": {\"amount\": \"400\"}, \"pAliveThreshold\": 0.3}}"),
                new dev.crm.shared.json.Violations());
        TenantSettings strict = tenant.settings().merge(patch);
        infra.tenants().updateSettings(t, tenant.version(), strict, clock.instant());

        String location = startRun("{}");
        runJob(location, () -> 900_000);
        Map<String, Object> result = (Map<String, Object>) run(location).get("result");
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        Set<String> expected = expectedAlerts(model, ChurnSettings.from(strict));
        Set<String> byDefault = expectedAlerts(model, ChurnSettings.defaults());
        assertFalse(expected.isEmpty());
        assertTrue(byDefault.containsAll(expected) && byDefault.size() > expected.size(),
                "stricter thresholds alert fewer customers: " + expected.size() + " of " + byDefault.size());
        assertEquals(expected, alertIds("open"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRerunDuplicatesNothingAndKeepsAlertStates() {
        runJob(startRun("{}"), () -> 900_000);
        Set<String> first = alertIds("open");
        String some = first.iterator().next();
        var ack = call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/acknowledge").path("id", some).as(t, Scope.WRITE));
        status(ack, 200);
        assertEquals("acknowledged", body(ack).get("status"));
        clock.advance(java.time.Duration.ofHours(2));
        runJob(startRun("{}"), () -> 900_000);
        Set<String> open = alertIds("open");
        Set<String> acknowledged = alertIds("acknowledged");
        assertEquals(Set.of(some), acknowledged);
        Set<String> all = new HashSet<>(open);
        all.addAll(acknowledged);
        assertEquals(first, all, "the rerun raised no duplicate and did not reopen the acknowledged alert");
        var resolved = call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/resolve").path("id", some).as(t, Scope.WRITE)
                .json("{\"resolution\": \"retained\"}"));
        assertEquals("resolved", body(resolved).get("status"));
        problem(call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/acknowledge").path("id", some).as(t, Scope.WRITE)), 409, "conflict");
        var bad = call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/resolve").path("id", some).as(t, Scope.WRITE)
                .json("{\"resolution\": \"maybe\", \"note\": 1}"));
        assertEquals(Set.of("/resolution", "/note"), new HashSet<>(pointers(bad)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInterruptedRunResumedGivesTheSameResultAsAnUninterruptedOne() {
        String whole = startRun("{}");
        runJob(whole, () -> 900_000);
        Map<String, Object> expected = (Map<String, Object>) run(whole).get("result");

        String interrupted = startRun("{}");
        // each invocation has time for one step only, then hands over
        int invocations = 0;
        while (!"succeeded".equals(run(interrupted).get("status")) && invocations < 100) {
            long[] budget = {20_000};
            runJob(interrupted, () -> budget[0] -= 9_000);
            invocations++;
        }
        assertTrue(invocations > 5, "the run was really cut into pieces: " + invocations);
        Map<String, Object> resumed = (Map<String, Object>) run(interrupted).get("result");
        assertEquals(expected.get("model"), resumed.get("model"));
        assertEquals(expected.get("scored"), resumed.get("scored"));
        assertEquals(expected.get("riskTiers"), resumed.get("riskTiers"));
        assertEquals(expected.get("topAtRisk"), resumed.get("topAtRisk"));
    }

    @Test
    void theScheduleQueuesOneRunPerTenantPerDay() {
        var schedule = new ChurnSchedule(infra);
        schedule.handleRequest(Map.of("detail-type", "Scheduled Event"), new LambdaContext());
        Map<String, Object> again = schedule.handleRequest(Map.of(), new LambdaContext());
        assertEquals(0, ((Number) again.get("queued")).intValue());
        assertTrue(((Number) again.get("alreadyQueued")).intValue() >= 1);
    }

    @Test
    void badRequestsAndOtherTenantsGetProblems() {
        var bad = call(ApiEvents.request("POST", "/v1/churn-runs").as(t, Scope.WRITE).json("{\"asOf\": \"2099-01-01\", \"x\": 1}"));
        assertEquals(Set.of("/asOf", "/x"), new HashSet<>(pointers(bad)));
        problem(call(ApiEvents.request("POST", "/v1/churn-runs").as(t, Scope.READ).json("{}")), 403, "forbidden");
        problem(call(ApiEvents.request("GET", "/v1/churn-alerts").query("status", "closed").as(t, Scope.READ)), 400, "validation-error");
        runJob(startRun("{}"), () -> 900_000);
        String alert = alertIds("open").iterator().next();
        TenantId b = TestInfrastructure.tenant(infra).id();
        problem(call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/acknowledge").path("id", alert).as(b, Scope.WRITE)),
                404, "not-found");
        assertEquals(List.of(), body(call(ApiEvents.request("GET", "/v1/churn-alerts").as(b, Scope.READ))).get("items"));
        problem(call(ApiEvents.request("POST", "/v1/churn-alerts/{id}/acknowledge").path("id", "al_nope").as(t, Scope.WRITE)),
                404, "not-found");
    }
}
