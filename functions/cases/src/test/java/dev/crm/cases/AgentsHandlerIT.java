package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.CapturedLogs;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent routes, and the case routes' assignee check, through the real handler against DynamoDB Local. */
class AgentsHandlerIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final CasesHandler handler = new CasesHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private static ApiEvents as(TenantId t, Scope scope, String method, String resource) {
        return ApiEvents.request(method, resource).as(t, scope);
    }

    private APIGatewayProxyResponseEvent create(TenantId t, String json) {
        return call(as(t, Scope.WRITE, "POST", "/v1/agents").json(json));
    }

    private String agent(TenantId t, String name, boolean active) {
        var r = create(t, "{\"name\": \"" + name + "\", \"email\": \"" + name.toLowerCase(java.util.Locale.ROOT)
                + "@example.com\", \"teams\": [\"billing\"], \"active\": " + active + "}");
        status(r, 201);
        return (String) body(r).get("id");
    }

    private APIGatewayProxyResponseEvent get(TenantId t, String id) {
        return call(as(t, Scope.READ, "GET", "/v1/agents/{id}").path("id", id));
    }

    private APIGatewayProxyResponseEvent patch(TenantId t, String id, long version, String json) {
        return call(as(t, Scope.WRITE, "PATCH", "/v1/agents/{id}").path("id", id).header("If-Match", "\"" + version + "\"")
                .body("application/merge-patch+json", json));
    }

    @Test
    void createsReadsAndChangesAnAgentWithoutLoggingItsEmail() {
        List<String> lines;
        String id;
        try (var logs = CapturedLogs.start()) {
            var r = create(tenant, "{\"name\": \"Ana Lima\", \"email\": \"ana.lima@example.com\", \"teams\": [\"billing\", \"returns\"]}");
            status(r, 201);
            Map<String, Object> b = body(r);
            id = (String) b.get("id");
            assertTrue(id.matches("ag_[0-9a-z]{20}"), id);
            assertEquals("/v1/agents/" + id, header(r, "Location"));
            assertEquals("\"1\"", header(r, "ETag"));
            assertEquals("Ana Lima", b.get("name"));
            assertEquals("ana.lima@example.com", b.get("email"));
            assertEquals(List.of("billing", "returns"), b.get("teams"));
            assertEquals(true, b.get("active"));
            assertEquals("2026-12-07T09:00:00Z", b.get("createdAt"));
            assertEquals(b, body(get(tenant, id)));
            clock.advance(java.time.Duration.ofMinutes(1));
            var p = patch(tenant, id, 1, "{\"email\": \"ana@example.org\", \"teams\": null, \"active\": false, \"id\": \"" + id + "\"}");
            status(p, 200);
            Map<String, Object> changed = body(p);
            assertEquals("ana@example.org", changed.get("email"));
            assertEquals(List.of(), changed.get("teams"));
            assertEquals(false, changed.get("active"));
            assertEquals("Ana Lima", changed.get("name"));
            assertEquals("2026-12-07T09:01:00Z", changed.get("updatedAt"));
            assertEquals(2L, ((Number) changed.get("version")).longValue());
            problem(patch(tenant, id, 1, "{\"name\": \"Stale\"}"), 412, "precondition-failed");
            problem(call(as(tenant, Scope.WRITE, "PATCH", "/v1/agents/{id}").path("id", id)
                    .body("application/merge-patch+json", "{\"name\": \"No If-Match\"}")), 428, "precondition-required");
            // a bad address is refused without being repeated
            var bad = create(tenant, "{\"name\": \"Bad\", \"email\": \"not-an-address\"}");
            problem(bad, 400, "validation-error");
            assertEquals(List.of("/email"), pointers(bad));
            assertFalse(bad.getBody().contains("not-an-address"), bad.getBody());
            lines = logs.lines();
        }
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertFalse(line.contains("example.com") || line.contains("example.org") || line.contains("not-an-address"), line);
        }
    }

    @Test
    void refusesWhatIsNotAnAgentAndWritesNothing() {
        String id = agent(tenant, "Bo", true);
        for (String json : List.of("{}", "{\"name\": \"X\"}", "{\"email\": \"x@example.com\"}",
                "{\"name\": \"\", \"email\": \"x@example.com\"}", "{\"name\": \"two\\nlines\", \"email\": \"x@example.com\"}",
                "{\"name\": \"X\", \"email\": \"x@example.com\", \"teams\": \"billing\"}",
                "{\"name\": \"X\", \"email\": \"x@example.com\", \"teams\": [\"\"]}",
                "{\"name\": \"X\", \"email\": \"x@example.com\", \"active\": \"yes\"}",
                "{\"name\": \"X\", \"email\": \"x@example.com\", \"tenantId\": \"t_aaaaaaaaaaaaaaaaaaaa\"}")) {
            problem(create(tenant, json), 400, "validation-error");
        }
        for (String json : List.of("{\"name\": null}", "{\"email\": null}", "{\"active\": null}", "{\"active\": 1}",
                "{\"teams\": [1]}", "{\"version\": 9}", "{\"createdAt\": \"2001-01-01T00:00:00Z\"}", "{\"zz\": 1}")) {
            problem(patch(tenant, id, 1, json), 400, "validation-error");
        }
        assertEquals(1L, ((Number) body(get(tenant, id)).get("version")).longValue());
        assertEquals(List.of(id), listIds(tenant, Map.of()));
    }

    @Test
    void anotherTenantsAgentIsNotFoundLikeAMissingOne() {
        String id = agent(tenant, "Cy", true);
        var foreign = get(other, id);
        var missing = get(other, Ids.random("ag_", 20));
        problem(foreign, 404, "not-found");
        assertEquals(body(missing).get("detail"), body(foreign).get("detail"));
        problem(patch(other, id, 1, "{\"name\": \"Mine\"}"), 404, "not-found");
        assertEquals("Cy", body(get(tenant, id)).get("name"));
        assertEquals(List.of(), listIds(other, Map.of()));
        problem(call(as(tenant, Scope.READ, "POST", "/v1/agents").json("{\"name\": \"R\", \"email\": \"r@example.com\"}")),
                403, "forbidden");
    }

    @SuppressWarnings("unchecked")
    private List<String> listIds(TenantId t, Map<String, String> query) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            ApiEvents e = as(t, Scope.READ, "GET", "/v1/agents").query("limit", "2");
            query.forEach(e::query);
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            var r = call(e);
            status(r, 200);
            ((List<Map<String, Object>>) body(r).get("items")).forEach(i -> all.add((String) i.get("id")));
            cursor = (String) body(r).get("nextCursor");
        } while (cursor != null);
        return all;
    }

    @Test
    void listsByNameInPagesFilteredByActiveAndTeam() {
        String zed = agent(tenant, "Zed", true);
        String amy = agent(tenant, "amy", false);
        String max = agent(tenant, "Max", true);
        status(patch(tenant, max, 1, "{\"teams\": [\"returns\"]}"), 200);
        assertEquals(List.of(amy, max, zed), listIds(tenant, Map.of()));
        assertEquals(List.of(max, zed), listIds(tenant, Map.of("active", "true")));
        assertEquals(List.of(amy, zed), listIds(tenant, Map.of("team", "billing")));
        problem(call(as(tenant, Scope.READ, "GET", "/v1/agents").query("active", "yes")), 400, "validation-error");
        problem(call(as(tenant, Scope.READ, "GET", "/v1/agents").query("sort", "name")), 400, "validation-error");
    }

    // ---------------------------------------------------------------- a case's assignee

    private String contact(TenantId t) {
        return CaseFixtures.contact(infra, t, "active");
    }

    private APIGatewayProxyResponseEvent createCase(TenantId t, String contactId, String assignee) {
        return call(as(t, Scope.WRITE, "POST", "/v1/cases").json("{\"contactId\": \"" + contactId + "\", \"channel\": \"phone\", "
                + "\"category\": \"billing\", \"priority\": \"normal\", \"subject\": \"Refund\""
                + (assignee == null ? "" : ", \"assignee\": \"" + assignee + "\"") + "}"));
    }

    private APIGatewayProxyResponseEvent patchCase(TenantId t, String id, long version, String json) {
        return call(as(t, Scope.WRITE, "PATCH", "/v1/cases/{id}").path("id", id).header("If-Match", "\"" + version + "\"")
                .body("application/merge-patch+json", json));
    }

    @Test
    void aCasesAssigneeMustBeAnActiveAgentOfTheTenant() {
        String c = contact(tenant);
        String active = agent(tenant, "Dee", true);
        String inactive = agent(tenant, "Eve", false);
        String foreign = agent(other, "Fay", true);
        String unknown = Ids.random("ag_", 20);
        Map<String, Object> refusedUnknown = null;
        for (String who : List.of(inactive, foreign, unknown, "ana", "ag_")) {
            var r = createCase(tenant, c, who);
            problem(r, 400, "validation-error");
            assertEquals(List.of("/assignee"), pointers(r), who);
            Map<String, Object> shown = body(r);
            if (refusedUnknown == null) {
                refusedUnknown = shown;
            }
            // another tenant's agent is refused exactly like one that exists nowhere
            assertEquals(refusedUnknown, shown, who);
        }
        var ok = createCase(tenant, c, active);
        status(ok, 201);
        assertEquals("CS-000001", body(ok).get("number"), "refused creates use no number");
        assertEquals(active, body(ok).get("assignee"));
        String caseId = (String) body(ok).get("id");
        String later = agent(tenant, "Gus", true);
        problem(patchCase(tenant, caseId, 1, "{\"assignee\": \"" + foreign + "\"}"), 400, "validation-error");
        problem(patchCase(tenant, caseId, 1, "{\"assignee\": \"" + inactive + "\"}"), 400, "validation-error");
        var reassigned = patchCase(tenant, caseId, 1, "{\"assignee\": \"" + later + "\"}");
        status(reassigned, 200);
        assertEquals(later, body(reassigned).get("assignee"));
        // the assignee leaving does not block the case's other changes, and null unassigns
        status(patch(tenant, later, 1, "{\"active\": false}"), 200);
        status(patchCase(tenant, caseId, 2, "{\"priority\": \"high\", \"assignee\": \"" + later + "\"}"), 200);
        var unassigned = patchCase(tenant, caseId, 3, "{\"assignee\": null}");
        status(unassigned, 200);
        assertFalse(body(unassigned).containsKey("assignee"));
        createCase(tenant, c, null);
    }
}
