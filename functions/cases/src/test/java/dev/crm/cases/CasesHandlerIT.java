package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The case routes through the real handler against DynamoDB Local. */
class CasesHandlerIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final CasesHandler handler = new CasesHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();
    /** An active agent of the tenant: an assignee must be one. */
    private final String ana = (String) body(call(as(tenant, Scope.WRITE, "POST", "/v1/agents")
            .json("{\"name\": \"Ana\", \"email\": \"ana@example.com\"}"))).get("id");

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private static ApiEvents as(TenantId t, Scope scope, String method, String resource) {
        return ApiEvents.request(method, resource).as(t, scope);
    }

    /** A contact's profile item, as the contacts function writes it (only what cases read). */
    private String contact(TenantId t, String status) {
        return CaseFixtures.contact(infra, t, status);
    }

    private static String createJson(String contactId) {
        return "{\"contactId\": \"" + contactId + "\", \"channel\": \"email\", \"category\": \"billing\", "
                + "\"priority\": \"high\", \"subject\": \"Charged twice\", \"description\": \"Order 1042\"}";
    }

    private APIGatewayProxyResponseEvent create(TenantId t, String contactId) {
        return call(as(t, Scope.WRITE, "POST", "/v1/cases").json(createJson(contactId)));
    }

    private APIGatewayProxyResponseEvent get(TenantId t, String id) {
        return call(as(t, Scope.READ, "GET", "/v1/cases/{id}").path("id", id));
    }

    @Test
    void createsANumberedNewCaseAndReadsItBack() {
        String c = contact(tenant, "active");
        var r = create(tenant, c);
        status(r, 201);
        Map<String, Object> b = body(r);
        String id = (String) b.get("id");
        assertTrue(id.matches("cs_[0-9a-z]{20}"), id);
        assertEquals("/v1/cases/" + id, header(r, "Location"));
        assertEquals("CS-000001", b.get("number"));
        assertEquals("new", b.get("status"));
        assertEquals(c, b.get("contactId"));
        assertEquals("email", b.get("channel"));
        assertEquals("high", b.get("priority"));
        assertEquals("2026-12-07T09:00:00Z", b.get("createdAt"));
        assertEquals(1L, ((Number) b.get("version")).longValue());
        var g = get(tenant, id);
        status(g, 200);
        assertEquals(b, body(g));
        assertEquals("CS-000002", body(create(tenant, c)).get("number"));
    }

    @Test
    void aKeyedCreateRepeatedAnswersTheFirstCaseAndUsesNoSecondNumber() {
        String c = contact(tenant, "active");
        var first = call(as(tenant, Scope.WRITE, "POST", "/v1/cases").header("Idempotency-Key", "k-1").json(createJson(c)));
        var again = call(as(tenant, Scope.WRITE, "POST", "/v1/cases").header("Idempotency-Key", "k-1").json(createJson(c)));
        status(first, 201);
        assertEquals(body(first).get("id"), body(again).get("id"));
        assertEquals("CS-000002", body(create(tenant, c)).get("number"));
    }

    @Test
    void anotherTenantsContactIsRefusedExactlyLikeAnUnknownOneAndUsesNoNumber() {
        var unknown = create(tenant, "ct_" + "a".repeat(20));
        var foreign = create(tenant, contact(other, "active"));
        var erasing = create(tenant, contact(tenant, "erasing"));
        problem(unknown, 400, "validation-error");
        assertEquals(List.of("/contactId"), pointers(unknown));
        for (var r : List.of(foreign, erasing)) {
            assertEquals(unknown.getStatusCode(), r.getStatusCode());
            assertEquals(stripInstance(body(unknown)), stripInstance(body(r)));
        }
        assertEquals("CS-000001", body(create(tenant, contact(tenant, "active"))).get("number"));
    }

    private static Map<String, Object> stripInstance(Map<String, Object> problem) {
        Map<String, Object> m = new HashMap<>(problem);
        m.remove("instance");
        return m;
    }

    @Test
    void anotherTenantsCaseIsNotFoundExactlyLikeAMissingOne() {
        String id = (String) body(create(tenant, contact(tenant, "active"))).get("id");
        var foreign = get(other, id);
        var missing = get(other, "cs_" + "a".repeat(20));
        problem(foreign, 404, "not-found");
        assertEquals(stripInstance(body(missing)), stripInstance(body(foreign)));
    }

    @Test
    void theTenantsConfiguredCategoriesAreTheOnlyOnesAndAnotherTenantKeepsAnyKey() {
        var t = infra.tenants().find(tenant);
        var settings = t.settings().merge(dev.crm.shared.json.JsonObject.of(dev.crm.shared.json.Json.parse(
                "{\"caseCategories\": [{\"key\": \"returns\", \"name\": \"Returns\"}]}"),
                new dev.crm.shared.json.Violations()));
        infra.tenants().updateSettings(tenant, t.version(), settings, clock.instant());
        String c = contact(tenant, "active");
        var refused = create(tenant, c);
        problem(refused, 400, "validation-error");
        assertEquals(List.of("/category"), pointers(refused));
        assertEquals(0, ((List<?>) body(call(as(tenant, Scope.READ, "GET", "/v1/cases"))).get("items")).size(),
                "a refused case is not stored");
        status(call(as(tenant, Scope.WRITE, "POST", "/v1/cases").json(createJson(c).replace("billing", "returns"))), 201);
        status(create(other, contact(other, "active")), 201);
    }

    @Test
    void aCategoryOutsideTheKeyPatternIsRefused() {
        String json = createJson(contact(tenant, "active")).replace("billing", "Billing Issues");
        var r = call(as(tenant, Scope.WRITE, "POST", "/v1/cases").json(json));
        problem(r, 400, "validation-error");
        assertEquals(List.of("/category"), pointers(r));
    }

    private APIGatewayProxyResponseEvent patch(TenantId t, String id, long version, String json) {
        return call(as(t, Scope.WRITE, "PATCH", "/v1/cases/{id}").path("id", id).header("If-Match", "\"" + version + "\"")
                .body("application/merge-patch+json", json));
    }

    private Map<String, Object> caseIn(String status) {
        Map<String, Object> c = body(create(tenant, contact(tenant, "active")));
        String id = (String) c.get("id");
        List<String> path = switch (status) {
            case "new" -> List.of();
            case "closed" -> List.of("solved", "closed");
            default -> List.of(status);
        };
        for (String s : path) {
            var r = patch(tenant, id, ((Number) c.get("version")).longValue(), "{\"status\": \"" + s + "\"}");
            status(r, 200);
            c = body(r);
        }
        return c;
    }

    @Test
    void patchChangesFieldsClearsNullsAndRecordsSolvedAt() {
        Map<String, Object> c = caseIn("new");
        String id = (String) c.get("id");
        clock.advance(java.time.Duration.ofMinutes(5));
        var r = patch(tenant, id, 1, "{\"status\": \"solved\", \"priority\": \"urgent\", \"assignee\": \"" + ana + "\", "
                + "\"description\": null, \"number\": \"CS-000001\"}");
        status(r, 200);
        Map<String, Object> b = body(r);
        assertEquals("solved", b.get("status"));
        assertEquals("urgent", b.get("priority"));
        assertEquals(ana, b.get("assignee"));
        assertEquals(null, b.get("description"));
        assertEquals("2026-12-07T09:05:00Z", b.get("solvedAt"));
        assertEquals(2L, ((Number) b.get("version")).longValue());
        assertEquals(b, body(get(tenant, id)));
        problem(call(as(tenant, Scope.WRITE, "PATCH", "/v1/cases/{id}").path("id", id)
                .body("application/merge-patch+json", "{\"priority\": \"low\"}")), 428, "precondition-required");
        problem(patch(tenant, id, 1, "{\"priority\": \"low\"}"), 412, "precondition-failed");
        var readOnly = patch(tenant, id, 2, "{\"number\": \"CS-000009\"}");
        problem(readOnly, 400, "validation-error");
        assertEquals(List.of("/number"), pointers(readOnly));
    }

    @Test
    void everyForbiddenTransitionIsRefusedAndWritesNothing() {
        Map<String, List<String>> allowed = Map.of("new", List.of("open", "pending", "on_hold", "solved"),
                "open", List.of("pending", "on_hold", "solved"), "pending", List.of("open", "solved"),
                "on_hold", List.of("open", "solved"), "solved", List.of("open", "closed"), "closed", List.of());
        List<String> all = List.of("new", "open", "pending", "on_hold", "solved", "closed");
        int refused = 0;
        for (String from : all) {
            Map<String, Object> c = caseIn(from);
            String id = (String) c.get("id");
            long version = ((Number) c.get("version")).longValue();
            for (String to : all) {
                if (to.equals(from) || allowed.get(from).contains(to)) {
                    continue;
                }
                var r = patch(tenant, id, version, "{\"status\": \"" + to + "\", \"priority\": \"low\"}");
                Map<String, Object> p = problem(r, 409, "invalid-transition");
                assertEquals(from, p.get("from"));
                assertEquals(to, p.get("to"));
                assertEquals(allowed.get(from), p.get("allowed"));
                assertTrue(((String) p.get("detail")).contains(from + " to " + to), (String) p.get("detail"));
                assertEquals(c, body(get(tenant, id)), "nothing written");
                refused++;
            }
            for (String to : allowed.get(from)) {
                status(patch(tenant, id, version, "{\"status\": \"" + to + "\"}"), 200);
                c = body(get(tenant, id));
                status(patch(tenant, id, version + 1, "{\"status\": \"" + to + "\"}"), 200); // same status: no transition
                break;
            }
        }
        assertEquals(17, refused); // 36 pairs - 6 same-status - 13 allowed
    }

    @Test
    void anotherTenantCannotPatchACase() {
        String id = (String) caseIn("new").get("id");
        var foreign = patch(other, id, 1, "{\"status\": \"open\"}");
        var missing = patch(other, "cs_" + "a".repeat(20), 1, "{\"status\": \"open\"}");
        problem(foreign, 404, "not-found");
        assertEquals(stripInstance(body(missing)), stripInstance(body(foreign)));
        assertEquals("new", body(get(tenant, id)).get("status"));
    }

    private APIGatewayProxyResponseEvent message(TenantId t, String id, String author, String visibility, String text) {
        return call(as(t, Scope.WRITE, "POST", "/v1/cases/{id}/messages").path("id", id).json("{\"author\": \"" + author
                + "\", \"visibility\": \"" + visibility + "\", \"body\": \"" + text + "\"}"));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> history(TenantId t, String id) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            var e = as(t, Scope.READ, "GET", "/v1/cases/{id}/history").path("id", id).query("limit", "2");
            if (cursor != null) {
                e = e.query("cursor", cursor);
            }
            var r = call(e);
            status(r, 200);
            all.addAll((List<Map<String, Object>>) body(r).get("items"));
            cursor = (String) body(r).get("nextCursor");
        } while (cursor != null);
        return all;
    }

    @Test
    void messagesReopenSetTheFirstResponseAndTheHistoryTellsItAllOldestFirst() {
        Map<String, Object> c = caseIn("new");
        String id = (String) c.get("id");
        clock.advance(java.time.Duration.ofMinutes(1));
        var internal = message(tenant, id, "agent", "internal", "Checking the ledger");
        status(internal, 201);
        assertEquals(null, body(internal).get("case") instanceof Map<?, ?> m ? m.get("firstResponseAt") : "no case");
        clock.advance(java.time.Duration.ofMinutes(1));
        var reply = message(tenant, id, "agent", "public", "We refunded you");
        status(reply, 201);
        assertTrue(((String) body(reply).get("id")).startsWith("msg_"));
        clock.advance(java.time.Duration.ofMinutes(1));
        status(patch(tenant, id, 3, "{\"status\": \"solved\", \"assignee\": \"" + ana + "\"}"), 200);
        clock.advance(java.time.Duration.ofMinutes(1));
        status(message(tenant, id, "customer", "public", "Still charged twice"), 201);
        Map<String, Object> now = body(get(tenant, id));
        assertEquals("open", now.get("status"));
        assertEquals("2026-12-07T09:02:00Z", now.get("firstResponseAt"));
        clock.advance(java.time.Duration.ofMinutes(1));
        status(message(tenant, id, "agent", "public", "Looking again"), 201);
        assertEquals("2026-12-07T09:02:00Z", body(get(tenant, id)).get("firstResponseAt"), "only the first reply counts");

        List<Map<String, Object>> h = history(tenant, id);
        assertEquals(List.of("created", "message", "message", "status_changed", "assigned", "message", "status_changed",
                "message"), h.stream().map(e -> e.get("kind")).toList());
        assertEquals("2026-12-07T09:00:00Z", h.get(0).get("at"));
        assertEquals("internal", h.get(1).get("visibility"));
        assertEquals("We refunded you", h.get(2).get("body"));
        assertEquals("solved", h.get(3).get("to"));
        assertEquals(ana, h.get(4).get("to"));
        assertEquals("customer", h.get(5).get("author"));
        assertEquals(Map.of("at", "2026-12-07T09:04:00Z", "kind", "status_changed", "from", "solved", "to", "open"), h.get(6));
    }

    @Test
    void anotherTenantCannotAddMessagesOrReadHistory() {
        String id = (String) caseIn("new").get("id");
        var foreign = message(other, id, "customer", "public", "hello");
        var missing = message(other, "cs_" + "a".repeat(20), "customer", "public", "hello");
        problem(foreign, 404, "not-found");
        assertEquals(stripInstance(body(missing)), stripInstance(body(foreign)));
        problem(call(as(other, Scope.READ, "GET", "/v1/cases/{id}/history").path("id", id)), 404, "not-found");
        assertEquals(1, history(tenant, id).size());
        assertEquals(1L, ((Number) body(get(tenant, id)).get("version")).longValue());
    }

    @SuppressWarnings("unchecked")
    private List<String> listNumbers(TenantId t, Map<String, String> query) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            var e = as(t, Scope.READ, "GET", "/v1/cases").query("limit", "2");
            for (var q : query.entrySet()) {
                e = e.query(q.getKey(), q.getValue());
            }
            if (cursor != null) {
                e = e.query("cursor", cursor);
            }
            var r = call(e);
            status(r, 200);
            ((List<Map<String, Object>>) body(r).get("items")).forEach(i -> all.add((String) i.get("number")));
            cursor = (String) body(r).get("nextCursor");
        } while (cursor != null);
        return all;
    }

    @Test
    void listsNewestFirstFilteredByStatusAndFieldsAndOnlyTheTenantsOwn() {
        Map<String, Object> c1 = caseIn("new");
        caseIn("solved");
        Map<String, Object> c3 = caseIn("new");
        status(patch(tenant, (String) c3.get("id"), 1, "{\"assignee\": \"" + ana + "\"}"), 200);
        caseIn("open");
        String otherContact = contact(other, "active");
        create(other, otherContact);
        assertEquals(List.of("CS-000004", "CS-000003", "CS-000002", "CS-000001"), listNumbers(tenant, Map.of()));
        assertEquals(List.of("CS-000003", "CS-000001"), listNumbers(tenant, Map.of("status", "new")));
        assertEquals(List.of("CS-000003"), listNumbers(tenant, Map.of("status", "new", "assignee", ana)));
        assertEquals(List.of("CS-000003"), listNumbers(tenant, Map.of("assignee", ana)));
        assertEquals(List.of("CS-000001"), listNumbers(tenant, Map.of("contactId", (String) c1.get("contactId"))));
        assertEquals(List.of(), listNumbers(tenant, Map.of("priority", "low")));
        assertEquals(List.of("CS-000001"), listNumbers(other, Map.of()));
        assertEquals(List.of(), listNumbers(tenant, Map.of("contactId", otherContact)));
        problem(call(as(tenant, Scope.READ, "GET", "/v1/cases").query("status", "done")), 400, "validation-error");
        problem(call(as(tenant, Scope.READ, "GET", "/v1/cases").query("owner", "x")), 400, "validation-error");
    }

    @Test
    void fiftyParallelCreatesGetFiftyConsecutiveNumbers() throws Exception {
        String c = contact(tenant, "active");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<APIGatewayProxyResponseEvent>> creates = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                creates.add(() -> create(tenant, c));
            }
            TreeSet<String> numbers = new TreeSet<>();
            TreeSet<String> ids = new TreeSet<>();
            for (Future<APIGatewayProxyResponseEvent> f : pool.invokeAll(creates)) {
                var r = f.get();
                status(r, 201);
                numbers.add((String) body(r).get("number"));
                ids.add((String) body(r).get("id"));
            }
            TreeSet<String> expected = new TreeSet<>();
            for (int i = 1; i <= 50; i++) {
                expected.add(String.format("CS-%06d", i));
            }
            assertEquals(50, ids.size());
            assertEquals(expected, numbers);
        } finally {
            pool.shutdownNow();
        }
        // the other tenant counts on its own
        assertEquals("CS-000001", body(create(other, contact(other, "active"))).get("number"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCaseShowsItsPrioritysTargetsAndItsFiguresAtTheRequestsInstantAndListsByDeadlineOrBreach() {
        var t = infra.tenants().find(tenant);
        var settings = t.settings().merge(dev.crm.shared.json.JsonObject.of(dev.crm.shared.json.Json.parse(
                "{\"businessCalendar\": {\"timeZone\": \"Europe/Berlin\", \"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", "
                        + "\"end\": \"17:00\"}], \"tuesday\": [{\"start\": \"09:00\", \"end\": \"17:00\"}]}}, \"slaPolicies\": "
                        + "{\"high\": {\"firstResponse\": \"PT2H\", \"resolution\": \"PT16H\"}}}"),
                new dev.crm.shared.json.Violations()));
        infra.tenants().updateSettings(tenant, t.version(), settings, clock.instant());
        // Monday 10:00 in Berlin
        var r = create(tenant, contact(tenant, "active"));
        status(r, 201);
        Map<String, Object> sla = (Map<String, Object>) body(r).get("sla");
        assertEquals(Map.of("firstResponse", "PT2H", "resolution", "PT16H", "clock", "business", "pauseWhilePending", true),
                sla.get("targets"));
        assertEquals(Map.of("dueAt", "2026-12-07T11:00:00Z", "elapsedBusiness", "PT0S", "elapsedCalendar", "PT0S",
                "breached", false, "pausedFor", "PT0S"), sla.get("firstResponse"));
        // 16 h of business time: Monday and Tuesday 09:00-17:00 Berlin; Monday's first hour was before it
        assertEquals("2026-12-14T09:00:00Z", ((Map<String, Object>) sla.get("resolution")).get("dueAt"));
        String id = (String) body(r).get("id");
        clock.advance(java.time.Duration.ofHours(3));
        var later = create(tenant, contact(tenant, "active")); // due later: created three hours on
        Map<String, Object> first = (Map<String, Object>) ((Map<String, Object>) body(get(tenant, id)).get("sla")).get("firstResponse");
        assertEquals(true, first.get("breached"));
        assertEquals("PT3H", first.get("elapsedBusiness"));
        assertEquals(List.of(), listNumbers(tenant, Map.of("breached", "true")), "not recorded until a write or the schedule");
        status(patch(tenant, id, 1, "{\"status\": \"open\"}"), 200);
        assertEquals(List.of("CS-000001"), listNumbers(tenant, Map.of("breached", "true")));
        var link = infra.table().get(Keys.contact(tenant, (String) body(r).get("contactId")), Keys.OPEN_CASE_PREFIX + id);
        assertEquals(dev.crm.shared.contact.CaseLinkItems.link(link).lastBreachedAt(), java.time.Instant.parse(
                "2026-12-07T11:00:00Z"), "the contact's link says when the case last breached (churn alerts read it)");
        assertEquals(List.of("CS-000001", "CS-000002"), listNumbers(tenant, Map.of("sort", "dueAt")));
        assertEquals(List.of("CS-000001"), listNumbers(tenant, Map.of("sort", "dueAt", "breached", "true")));
        assertEquals(List.of(), listNumbers(other, Map.of("sort", "dueAt")));
        var history = (List<Map<String, Object>>) body(call(as(tenant, Scope.READ, "GET", "/v1/cases/{id}/history")
                .path("id", id))).get("items");
        assertEquals(Map.of("at", "2026-12-07T11:00:00Z", "kind", "sla_breached", "metric", "firstResponse", "dueAt",
                "2026-12-07T11:00:00Z"), history.get(1));
        problem(call(as(tenant, Scope.READ, "GET", "/v1/cases").query("breached", "yes")), 400, "validation-error");
        problem(call(as(tenant, Scope.READ, "GET", "/v1/cases").query("sort", "number")), 400, "validation-error");
        status(later, 201);
    }

    @Test
    void theScheduleClosesASolvedCaseAfterTheTenantsAutoClosePeriodOnly() {
        var t = infra.tenants().find(tenant);
        infra.tenants().updateSettings(tenant, t.version(), t.settings().merge(dev.crm.shared.json.JsonObject.of(
                dev.crm.shared.json.Json.parse("{\"casesAutoCloseAfter\": \"P3D\"}"), new dev.crm.shared.json.Violations())),
                clock.instant());
        var schedule = new dev.crm.cases.entrypoints.CaseSlaSchedule(infra);
        String id = (String) body(create(tenant, contact(tenant, "active"))).get("id");
        String otherId = (String) body(create(other, contact(other, "active"))).get("id");
        status(patch(tenant, id, 1, "{\"status\": \"solved\"}"), 200);
        status(patch(other, otherId, 1, "{\"status\": \"solved\"}"), 200);
        clock.advance(java.time.Duration.ofDays(3).minusMinutes(1));
        schedule.handleRequest(Map.of(), new LambdaContext());
        assertEquals("solved", body(get(tenant, id)).get("status"));
        clock.advance(java.time.Duration.ofMinutes(1));
        schedule.handleRequest(Map.of(), new LambdaContext());
        assertEquals("closed", body(get(tenant, id)).get("status"));
        assertEquals("solved", body(get(other, otherId)).get("status"), "the other tenant closes after its own P7D");
        clock.advance(java.time.Duration.ofDays(4));
        schedule.handleRequest(Map.of(), new LambdaContext());
        assertEquals("closed", body(get(other, otherId)).get("status"));
    }
}
