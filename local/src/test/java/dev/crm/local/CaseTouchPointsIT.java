package dev.crm.local;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A contact's cases as the contacts function shows and erases them: the timeline, the 360° view and
 * the erasure job, through the real contacts and cases handlers against DynamoDB Local.
 */
class CaseTouchPointsIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler contacts = new ContactsHandler(infra);
    private final CasesHandler cases = new CasesHandler(infra);
    private final ContactJobsWorker jobs = new ContactJobsWorker(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private static APIGatewayProxyResponseEvent call(com.amazonaws.services.lambda.runtime.RequestHandler<
            com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> h,
            ApiEvents e) {
        return h.handleRequest(e.build(), new LambdaContext());
    }

    private String contact(TenantId t, String name) {
        var r = call(contacts, ApiEvents.request("POST", "/v1/contacts").as(t, Scope.WRITE)
                .json("{\"firstName\": \"" + name + "\"}"));
        status(r, 201);
        return (String) body(r).get("id");
    }

    private Map<String, Object> openCase(TenantId t, String contactId, String subject) {
        var r = call(cases, ApiEvents.request("POST", "/v1/cases").as(t, Scope.WRITE).json("{\"contactId\": \"" + contactId
                + "\", \"channel\": \"email\", \"category\": \"billing\", \"priority\": \"normal\", \"subject\": \""
                + subject + "\"}"));
        status(r, 201);
        return body(r);
    }

    private Map<String, Object> patch(TenantId t, Map<String, Object> c, String json) {
        var r = call(cases, ApiEvents.request("PATCH", "/v1/cases/{id}").as(t, Scope.WRITE).path("id", (String) c.get("id"))
                .header("If-Match", "\"" + c.get("version") + "\"").body("application/merge-patch+json", json));
        status(r, 200);
        return body(r);
    }

    private void message(TenantId t, Map<String, Object> c, String text) {
        var r = call(cases, ApiEvents.request("POST", "/v1/cases/{id}/messages").as(t, Scope.WRITE)
                .path("id", (String) c.get("id"))
                .json("{\"author\": \"agent\", \"visibility\": \"public\", \"body\": \"" + text + "\"}"));
        assertTrue(r.getStatusCode() < 300, r.getBody());
    }

    private Map<String, Object> view360(TenantId t, String contactId) {
        var r = call(contacts, ApiEvents.request("GET", "/v1/contacts/{id}").as(t, Scope.READ).path("id", contactId)
                .query("view", "360"));
        status(r, 200);
        return body(r);
    }

    @SuppressWarnings("unchecked")
    private List<String> openCaseSubjects(TenantId t, String contactId) {
        return ((List<Map<String, Object>>) view360(t, contactId).get("openCases")).stream()
                .map(m -> m.get("number") + " " + m.get("subject") + " " + m.get("status")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<String> timeline(TenantId t, String contactId) {
        var r = call(contacts, ApiEvents.request("GET", "/v1/contacts/{id}/timeline").as(t, Scope.READ).path("id", contactId));
        status(r, 200);
        return ((List<Map<String, Object>>) body(r).get("items")).stream()
                .map(m -> m.get("kind") + " " + m.get("id") + " " + m.get("number") + " " + m.get("occurredAt")).toList();
    }

    @Test
    void theTimelineShowsCreationAndResolutionAndThe360ListsOnlyOpenCases() {
        String ada = contact(tenant, "Ada");
        var first = openCase(tenant, ada, "Charged twice");
        clock.advance(java.time.Duration.ofMinutes(5));
        var second = openCase(tenant, ada, "Parcel late");
        var pending = patch(tenant, second, "{\"status\": \"pending\"}");
        assertEquals(List.of("CS-000001 Charged twice new", "CS-000002 Parcel late pending"), openCaseSubjects(tenant, ada));

        clock.advance(java.time.Duration.ofHours(1));
        var solved = patch(tenant, first, "{\"status\": \"solved\"}");
        assertEquals(List.of("CS-000002 Parcel late pending"), openCaseSubjects(tenant, ada),
                "a solved case is no longer open");
        assertEquals(List.of(
                "case_solved " + first.get("id") + " CS-000001 2026-12-07T10:05:00Z",
                "case_created " + second.get("id") + " CS-000002 2026-12-07T09:05:00Z",
                "case_created " + first.get("id") + " CS-000001 2026-12-07T09:00:00Z"), timeline(tenant, ada));

        clock.advance(java.time.Duration.ofHours(1));
        patch(tenant, solved, "{\"status\": \"open\"}");
        patch(tenant, pending, "{\"status\": \"solved\"}");
        assertEquals(List.of("CS-000001 Charged twice open"), openCaseSubjects(tenant, ada), "reopened, and the other solved");
        assertEquals(4, timeline(tenant, ada).size(), "two creations and two resolutions; reopening adds none");

        // another tenant's contact and case: neither view shows the other's
        String bob = contact(other, "Bob");
        openCase(other, bob, "Other tenant");
        assertEquals(List.of("CS-000001 Other tenant new"), openCaseSubjects(other, bob));
        assertEquals(List.of("CS-000001 Charged twice open"), openCaseSubjects(tenant, ada));
        assertEquals(1, timeline(other, bob).size());
    }

    private void interaction(TenantId t, String contactId, String json) {
        var r = call(contacts, ApiEvents.request("POST", "/v1/contacts/{id}/interactions").as(t, Scope.WRITE)
                .path("id", contactId).json(json));
        status(r, 201);
    }

    /** What the table stream delivers for each of the contact's timeline items, as it was inserted. */
    private List<com.amazonaws.services.lambda.runtime.events.DynamodbEvent> insertedTimeline(TenantId t, String contactId) {
        var items = infra.table().client().query(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .tableName(infra.table().name()).keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.contact(t, contactId)),
                        ":t", AttributeValue.fromS(Keys.TIMELINE_PREFIX))).build()).items();
        return items.stream().map(item -> dev.crm.devkit.StreamRecords.change("ev-" + Attr.str(item, "SK"), clock.instant(),
                null, item)).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> listCases(TenantId t) {
        return (List<Map<String, Object>>) body(call(cases, ApiEvents.request("GET", "/v1/cases").as(t, Scope.READ))).get("items");
    }

    @Test
    void aComplaintOpensOneCaseWhenTheTenantSaysSoAndAReplayOpensNoMore() {
        var tenants = new dev.crm.tenants.entrypoints.TenantsHandler(infra);
        status(tenants.handleRequest(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant, Scope.ADMIN)
                .header("If-Match", "\"1\"").body("application/merge-patch+json", "{\"complaintsOpenCases\": true,"
                        + " \"caseCategories\": [{\"key\": \"billing\", \"name\": \"Billing\"}]}").build(),
                new LambdaContext()), 200);
        String ada = contact(tenant, "Ada");
        String bob = contact(other, "Bob"); // the other tenant left complaintsOpenCases off
        String complaint = "{\"id\": \"cmp-1\", \"type\": \"complaint\", \"channel\": \"sms\","
                + " \"summary\": \"Rude driver\\nHe threw the parcel over the fence\"}";
        interaction(tenant, ada, complaint);
        interaction(tenant, ada, "{\"id\": \"call-1\", \"type\": \"call\", \"summary\": \"Asked about delivery\"}");
        interaction(other, bob, complaint);

        var opener = new dev.crm.cases.entrypoints.ComplaintCaseOpener(infra);
        for (int delivery = 0; delivery < 2; delivery++) { // the stream delivers at least once
            insertedTimeline(tenant, ada).forEach(e -> opener.handleRequest(e, new LambdaContext()));
            insertedTimeline(other, bob).forEach(e -> opener.handleRequest(e, new LambdaContext()));
        }

        var opened = listCases(tenant);
        assertEquals(1, opened.size(), opened.toString());
        var c = opened.get(0);
        assertEquals(dev.crm.cases.domain.ComplaintCases.caseId(ada, "cmp-1"), c.get("id"));
        assertEquals("CS-000001", c.get("number"), "a replay used no second number");
        assertEquals(ada, c.get("contactId"));
        assertEquals("chat", c.get("channel"));
        assertEquals("billing", c.get("category"), "the tenant's first category: it has no 'complaint'");
        assertEquals("normal", c.get("priority"));
        assertEquals("Rude driver", c.get("subject"));
        assertEquals("Rude driver\nHe threw the parcel over the fence", c.get("description"));
        assertEquals(List.of("CS-000001 Rude driver new"), openCaseSubjects(tenant, ada));
        assertEquals(List.of(), listCases(other), "complaintsOpenCases is off for the other tenant");
    }

    @Test
    void erasingAContactDeletesEveryItemOfItsCasesAndNothingOfOthers() {
        String ada = contact(tenant, "Ada");
        String bob = contact(tenant, "Bob");
        String carol = contact(other, "Carol");
        var open = openCase(tenant, ada, "Charged twice");
        var solved = openCase(tenant, ada, "Parcel late");
        for (int i = 0; i < 120; i++) { // more history than one erasure page
            message(tenant, solved, "reply " + i);
        }
        var current = body(call(cases, ApiEvents.request("GET", "/v1/cases/{id}").as(tenant, Scope.READ)
                .path("id", (String) solved.get("id"))));
        patch(tenant, current, "{\"status\": \"solved\"}");
        var bobs = openCase(tenant, bob, "Bob's case");
        var carols = openCase(other, carol, "Carol's case");
        var export = call(contacts, ApiEvents.request("GET", "/v1/contacts/{id}/export").as(tenant, Scope.READ).path("id", ada));
        status(export, 200);
        @SuppressWarnings("unchecked")
        var exported = (List<Map<String, Object>>) body(export).get("cases");
        assertEquals(List.of("Charged twice new", "Parcel late solved"), exported.stream()
                .map(m -> m.get("subject") + " " + m.get("status")).sorted().toList(), "the export names both, open or not");

        var r = call(contacts, ApiEvents.request("DELETE", "/v1/contacts/{id}").as(tenant, Scope.WRITE).path("id", ada));
        status(r, 202);
        String location = header(r, "Location");
        jobs.handleRequest(SampleEvents.jobQueued(Keys.job(tenant, location.substring(location.lastIndexOf('/') + 1))),
                new LambdaContext(() -> 900_000));
        var job = body(call(contacts, ApiEvents.request("GET", "/v1/contacts/erasures/{id}").as(tenant, Scope.READ)
                .path("id", location.substring(location.lastIndexOf('/') + 1))));
        assertEquals("succeeded", job.get("status"), job.toString());

        // the raw table, not through a repository: nothing of Ada's cases or of Ada is left
        List<Map<String, AttributeValue>> all = infra.table().client()
                .scan(ScanRequest.builder().tableName(infra.table().name()).consistentRead(true).build()).items();
        for (var item : all) {
            String pk = Attr.str(item, "PK");
            assertFalse(pk.equals(Keys.casePartition(tenant, (String) open.get("id")))
                    || pk.equals(Keys.casePartition(tenant, (String) solved.get("id"))), "left of Ada's cases: " + item);
            assertFalse(ada.equals(Attr.str(item, "contactId")), "left referencing Ada: " + item);
            assertFalse(pk.equals(Keys.contact(tenant, ada)), "left in Ada's partition: " + item);
        }
        for (var id : List.of(open.get("id"), solved.get("id"))) {
            status(call(cases, ApiEvents.request("GET", "/v1/cases/{id}").as(tenant, Scope.READ).path("id", (String) id)), 404);
        }
        // Bob's case (same tenant) and Carol's (another tenant) are untouched, links included
        status(call(cases, ApiEvents.request("GET", "/v1/cases/{id}").as(tenant, Scope.READ).path("id", (String) bobs.get("id"))), 200);
        status(call(cases, ApiEvents.request("GET", "/v1/cases/{id}").as(other, Scope.READ).path("id", (String) carols.get("id"))), 200);
        assertEquals(List.of("CS-000003 Bob's case new"), openCaseSubjects(tenant, bob));
        assertEquals(List.of("CS-000001 Carol's case new"), openCaseSubjects(other, carol));
        @SuppressWarnings("unchecked")
        var listed = (List<Map<String, Object>>) body(call(cases, ApiEvents.request("GET", "/v1/cases").as(tenant, Scope.READ))).get("items");
        assertEquals(List.of(bobs.get("id")), listed.stream().map(m -> m.get("id")).toList(), "the list indexes forget them too");
    }

    /** Imports an NDJSON history and runs the job the table stream would start; returns the job. */
    private Map<String, Object> importHistory(TenantId t, String ndjson) {
        var r = call(cases, ApiEvents.request("POST", "/v1/cases/imports").as(t, Scope.WRITE).body("application/x-ndjson", ndjson));
        status(r, 202);
        String location = header(r, "Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        new dev.crm.cases.entrypoints.CaseJobsWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(t, id)),
                new LambdaContext(() -> 900_000));
        return body(call(cases, ApiEvents.request("GET", "/v1/cases/imports/{id}").path("id", id).as(t, Scope.READ)));
    }

    private static String historyLine(String contactId, String subject, String createdAt, String statusChanges) {
        return "{\"contactId\": \"" + contactId + "\", \"channel\": \"email\", \"category\": \"billing\", \"priority\":"
                + " \"normal\", \"subject\": \"" + subject + "\", \"createdAt\": \"" + createdAt + "\","
                + " \"statusChanges\": [" + statusChanges + "]}\n";
    }

    @Test
    @SuppressWarnings("unchecked")
    void anImportedCaseIsOnItsContactsTimelineAndErasedWithIt() {
        String ada = contact(tenant, "Ada");
        String bob = contact(tenant, "Bob");
        String solvedThen = "{\"status\": \"solved\", \"at\": \"2026-11-02T10:00:00Z\"}";
        var job = importHistory(tenant, historyLine(ada, "Old refund", "2026-11-02T09:00:00Z", solvedThen)
                + historyLine(ada, "Still open", "2026-11-03T09:00:00Z", "")
                + historyLine(bob, "Bob's old case", "2026-11-02T09:00:00Z", solvedThen));
        assertEquals("succeeded", job.get("status"), job.toString());
        assertEquals(3, ((Number) ((Map<String, Object>) job.get("result")).get("imported")).intValue(), job.toString());
        Map<String, String> ids = new java.util.HashMap<>();
        listCases(tenant).forEach(c -> ids.put((String) c.get("subject"), (String) c.get("id")));

        // the imported history on the timeline as a live case's: created, and solved when it was solved
        assertEquals(List.of(
                "case_created " + ids.get("Still open") + " CS-000002 2026-11-03T09:00:00Z",
                "case_solved " + ids.get("Old refund") + " CS-000001 2026-11-02T10:00:00Z",
                "case_created " + ids.get("Old refund") + " CS-000001 2026-11-02T09:00:00Z"), timeline(tenant, ada));
        assertEquals(List.of("CS-000002 Still open new"), openCaseSubjects(tenant, ada));

        var r = call(contacts, ApiEvents.request("DELETE", "/v1/contacts/{id}").as(tenant, Scope.WRITE).path("id", ada));
        status(r, 202);
        String location = header(r, "Location");
        jobs.handleRequest(SampleEvents.jobQueued(Keys.job(tenant, location.substring(location.lastIndexOf('/') + 1))),
                new LambdaContext(() -> 900_000));
        assertEquals("succeeded", body(call(contacts, ApiEvents.request("GET", "/v1/contacts/erasures/{id}").as(tenant, Scope.READ)
                .path("id", location.substring(location.lastIndexOf('/') + 1)))).get("status"));

        // the raw table: nothing of Ada's imported cases is left (case, history, arrival entries, links)
        List<Map<String, AttributeValue>> all = infra.table().client()
                .scan(ScanRequest.builder().tableName(infra.table().name()).consistentRead(true).build()).items();
        for (var item : all) {
            String pk = Attr.str(item, "PK");
            for (String subject : List.of("Old refund", "Still open")) {
                assertFalse(pk.equals(Keys.casePartition(tenant, ids.get(subject))), "left of Ada's imported cases: " + item);
                // left on purpose, naming only the case id: the import's outcome marker (expires in 7 days)
                // and the arrival entry (instant and channel: the forecast keeps counting the arrival)
                assertFalse(ids.get(subject).equals(Attr.str(item, "caseId"))
                        && !List.of("CASE_IMPORT_LINE", "CASE_ARRIVAL").contains(Attr.str(item, "entity")),
                        "left naming Ada's imported case: " + item);
            }
            assertFalse(ada.equals(Attr.str(item, "contactId")), "left referencing Ada: " + item);
            assertFalse(pk.equals(Keys.contact(tenant, ada)), "left in Ada's partition: " + item);
            // the import's stored lines name Ada too: dropped when the job finished
            assertFalse(pk.startsWith(tenant.value() + "#") && "CASE_IMPORT_CHUNK".equals(Attr.str(item, "entity")),
                    "the import's lines are left: " + pk);
        }
        // Bob's imported case stays, on his timeline
        assertEquals(List.of(ids.get("Bob's old case")), listCases(tenant).stream().map(m -> m.get("id")).toList());
        assertEquals(2, timeline(tenant, bob).size());
    }
}
