package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CaseJobsWorker;
import dev.crm.cases.entrypoints.CaseSlaSchedule;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.cases.store.dynamodb.CaseChangeDecoder;
import dev.crm.cases.store.dynamodb.CaseKeys;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * An imported history under the tenant's SLA terms, through the real handler, job worker and SLA
 * schedule against DynamoDB Local: the figures and index keys a live case gets, what came due before the
 * import recorded by the import, what comes due after it by the schedule, and no events for the past.
 */
class CaseImportSlaIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();
    private final CaseChangeDecoder decoder = new CaseChangeDecoder();
    private CasesHandler handler;

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private String contact(TenantId t) {
        String id = Ids.random("ct_", 20);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
        return id;
    }

    private void settings(TenantId t, String json) {
        var current = infra.tenants().find(t);
        infra.tenants().updateSettings(t, current.version(), current.settings().merge(dev.crm.shared.json.JsonObject.of(
                Json.parse(json), new dev.crm.shared.json.Violations())), clock.instant());
    }

    private Map<String, Object> importFile(TenantId t, String ndjson) {
        var r = call(ApiEvents.request("POST", "/v1/cases/imports").as(t, Scope.WRITE).body("application/x-ndjson", ndjson));
        status(r, 202);
        String location = header(r, "Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        new CaseJobsWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(t, id)), new LambdaContext(() -> 900_000));
        return body(call(ApiEvents.request("GET", "/v1/cases/imports/{id}").path("id", id).as(t, Scope.READ)));
    }

    private static String line(String contactId, String subject, String createdAt, String rest) {
        return "{\"contactId\": \"" + contactId + "\", \"channel\": \"email\", \"category\": \"billing\", \"priority\": \"high\","
                + " \"subject\": \"" + subject + "\", \"createdAt\": \"" + createdAt + "\"" + rest + "}\n";
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> idsBySubject(TenantId t) {
        Map<String, String> out = new HashMap<>();
        for (Object o : (List<Object>) body(call(ApiEvents.request("GET", "/v1/cases").as(t, Scope.READ))).get("items")) {
            Map<String, Object> c = (Map<String, Object>) o;
            out.put((String) c.get("subject"), (String) c.get("id"));
        }
        return out;
    }

    private Map<String, Object> get(TenantId t, String id) {
        var r = call(ApiEvents.request("GET", "/v1/cases/{id}").path("id", id).as(t, Scope.READ));
        status(r, 200);
        return body(r);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> history(TenantId t, String id) {
        return (List<Map<String, Object>>) body(call(ApiEvents.request("GET", "/v1/cases/{id}/history").path("id", id)
                .as(t, Scope.READ))).get("items");
    }

    private static List<String> breaches(List<Map<String, Object>> history) {
        return history.stream().filter(e -> "sla_breached".equals(e.get("kind"))).map(e -> e.get("metric") + "@" + e.get("at"))
                .toList();
    }

    private List<Map<String, AttributeValue>> partition(TenantId t, String caseId) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk").consistentRead(true)
                .expressionAttributeValues(Map.of(":pk", Attr.s(CaseKeys.caseItem(t, caseId)))).build()).items();
    }

    /** What the events function would announce if the stream delivered each item as inserted. */
    private List<Event> announcedAsInserted(List<Map<String, AttributeValue>> items) {
        List<Event> out = new ArrayList<>();
        for (var item : items) {
            out.addAll(decoder.events(TableChange.of(StreamRecords.change("ins-" + Attr.str(item, "SK"), clock.instant(),
                    null, item)).get(0)));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void importedCasesCarryTheTenantsSlaAndTheScheduleRecordsOnlyWhatComesDueAfterTheImport() {
        settings(tenant, "{\"caseCategories\": [{\"key\": \"billing\", \"name\": \"Billing\"}], \"casesAutoCloseAfter\": \"P3D\","
                + " \"slaPolicies\": {\"high\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT8H\", \"clock\": \"calendar\"}}}");
        settings(other, "{\"caseCategories\": [{\"key\": \"billing\", \"name\": \"Billing\"}]}");
        handler = new CasesHandler(infra);
        String ada = contact(tenant);
        var job = importFile(tenant, line(ada, "Recent", "2026-12-07T08:30:00Z", "")
                + line(ada, "Overdue", "2026-12-06T09:00:00Z", "")
                + line(ada, "Answered late", "2026-12-01T09:00:00Z", ", \"messages\": [{\"author\": \"agent\", \"visibility\":"
                        + " \"public\", \"body\": \"On it\", \"at\": \"2026-12-01T11:00:00Z\"}], \"statusChanges\": [{\"status\":"
                        + " \"solved\", \"at\": \"2026-12-01T12:00:00Z\"}]"));
        assertEquals(3, ((Number) ((Map<String, Object>) job.get("result")).get("imported")).intValue(), job.toString());
        // the other tenant imports the same recent case under its default terms (high: 4 h business)
        String bob = contact(other);
        importFile(other, line(bob, "Recent", "2026-12-07T08:30:00Z", ""));
        Map<String, String> ids = idsBySubject(tenant);

        // the tenant's terms, as a live case of the tenant gets them
        Map<String, Object> recent = (Map<String, Object>) get(tenant, ids.get("Recent")).get("sla");
        assertEquals(Map.of("firstResponse", "PT1H", "resolution", "PT8H", "clock", "calendar", "pauseWhilePending", true),
                recent.get("targets"));
        assertEquals("2026-12-07T09:30:00Z", ((Map<String, Object>) recent.get("firstResponse")).get("dueAt"));
        assertEquals(false, ((Map<String, Object>) recent.get("firstResponse")).get("breached"));
        Map<String, Object> othersRecent = (Map<String, Object>) get(other, idsBySubject(other).get("Recent")).get("sla");
        assertFalse(recent.get("targets").equals(othersRecent.get("targets")), "each tenant's own terms");

        // the SLA index keys a live write stores: the due index and the schedule's next check
        var item = infra.table().get(CaseKeys.caseItem(tenant, ids.get("Recent")), CaseKeys.CASE);
        assertEquals(CaseKeys.dueCases(tenant), Attr.str(item, CaseKeys.DUE_PK));
        assertEquals(Instant.parse("2026-12-07T09:30:00Z").toEpochMilli(), Attr.num(item, CaseKeys.DUE_SK, 0));
        assertEquals(Instant.parse("2026-12-07T09:30:00Z").toEpochMilli(), Attr.num(item, Table.OPEN_JOBS_SK, 0));
        assertTrue(Attr.str(item, Table.OPEN_JOBS_PK).startsWith("OPS#CASESLA#"));

        // what came due before the import is recorded by it, at the instants the targets passed
        assertEquals(List.of("firstResponse@2026-12-06T10:00:00Z", "resolution@2026-12-06T17:00:00Z"),
                breaches(history(tenant, ids.get("Overdue"))));
        var overdue = infra.table().get(CaseKeys.caseItem(tenant, ids.get("Overdue")), CaseKeys.CASE);
        assertNull(Attr.str(overdue, Table.OPEN_JOBS_PK), "nothing left for the schedule: both breaches recorded");
        assertEquals(CaseKeys.dueCases(tenant), Attr.str(overdue, CaseKeys.DUE_PK), "its clocks still run: listed by due");
        List<Map<String, Object>> late = history(tenant, ids.get("Answered late"));
        assertEquals(List.of("firstResponse@2026-12-01T10:00:00Z"), breaches(late));
        assertEquals("closed", get(tenant, ids.get("Answered late")).get("status"), "solved six days before, P3D: closed");
        Map<String, Object> closing = late.get(late.size() - 1);
        assertEquals(List.of("status_changed", "solved", "closed", "auto_close"),
                java.util.Arrays.asList(closing.get("kind"), closing.get("from"), closing.get("to"), closing.get("reason")));

        // the import is the past: none of its items is announced (no webhooks for a migrated history)
        List<Map<String, AttributeValue>> imported = new ArrayList<>();
        ids.values().forEach(id -> imported.addAll(partition(tenant, id)));
        assertTrue(imported.size() > 8, "the cases and their histories");
        assertEquals(List.of(), announcedAsInserted(imported));

        // what comes due after the import: the schedule records it, and that breach is news
        clock.advance(Duration.ofMinutes(31));
        Map<String, Object> run = new CaseSlaSchedule(infra).handleRequest(Map.of(), new LambdaContext());
        assertEquals(1, ((Number) run.get("breaches")).intValue(), run.toString());
        assertEquals(0, ((Number) run.get("closed")).intValue(), run.toString());
        assertEquals(List.of("firstResponse@2026-12-07T09:30:00Z"), breaches(history(tenant, ids.get("Recent"))));
        List<Map<String, AttributeValue>> fresh = partition(tenant, ids.get("Recent")).stream()
                .filter(i -> Attr.str(i, Table.SK).startsWith(CaseKeys.HISTORY_PREFIX) && "sla_breached".equals(Attr.str(i, "kind")))
                .toList();
        assertEquals(List.of("case.sla_breached"), announcedAsInserted(fresh).stream().map(Event::type).toList());
        assertEquals(List.of(), breaches(history(other, idsBySubject(other).get("Recent"))),
                "the other tenant's case is due by its own (business) terms");
    }
}
