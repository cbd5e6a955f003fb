package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.config.ContactsComponents;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.contacts.store.dynamodb.TestAccess;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** POST /v1/interactions/imports through the real handler and job worker on DynamoDB Local. */
class InteractionImportIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final ContactJobsWorker worker = new ContactJobsWorker(infra);
    private final TestInfrastructure.TestTenant tenant = TestInfrastructure.tenant(infra);
    private final TenantId t = tenant.id();

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    ApiEvents as(TenantId who, String method, String path, Scope scope) {
        return ApiEvents.request(method, path).as(who, scope);
    }

    DynamodbEvent queued(TenantId who, String location) {
        return SampleEvents.jobQueued(Keys.job(who, location.substring(location.lastIndexOf('/') + 1)));
    }

    String start(TenantId who, String ndjson, boolean createContacts) {
        var e = as(who, "POST", "/v1/interactions/imports", Scope.WRITE).body("application/x-ndjson", ndjson);
        if (createContacts) {
            e.query("createContacts", "true");
        }
        var r = call(e);
        status(r, 202);
        assertEquals("queued", body(r).get("status"));
        return header(r, "Location");
    }

    Map<String, Object> job(TenantId who, String location) {
        var r = call(as(who, "GET", "/v1/interactions/imports/{id}", Scope.READ)
                .path("id", location.substring(location.lastIndexOf('/') + 1)));
        status(r, 200);
        return body(r);
    }

    Map<?, ?> run(TenantId who, String location) {
        worker.handleRequest(queued(who, location), new LambdaContext());
        Map<String, Object> j = job(who, location);
        assertEquals("succeeded", j.get("status"), j.toString());
        return (Map<?, ?>) j.get("result");
    }

    String contact(TenantId who, String json) {
        var r = call(as(who, "POST", "/v1/contacts", Scope.WRITE).json(json));
        status(r, 201);
        return (String) body(r).get("id");
    }

    String purchaseLine(String ref, String at, String amount) {
        return "{\"contact\": " + ref + ", \"type\": \"purchase\", \"occurredAt\": \"" + at + "\", \"value\": {\"amount\": \""
                + amount + "\"}}\n";
    }

    PurchaseSummary stored(TenantId who, String contactId) {
        return TestAccess.summary(infra.table(), who, contactId);
    }

    /** The summary derived from the contact's raw purchases: what the incremental one must equal. */
    PurchaseSummary recomputed(TenantId who, String contactId) {
        TenantSettings s = infra.tenants().find(who).settings();
        return new ContactsComponents(infra).service().recomputePurchases(who, contactId, s.zone(), s.defaultCurrency());
    }

    int timelineEntries(TenantId who, String contactId) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(who, contactId)), ":t", Attr.s(Keys.TIMELINE_PREFIX)))
                .consistentRead(true).build()).count();
    }

    @Test
    void linesAreImportedOnceEachAndBadLinesAreRejectedByLineNumber() {
        String ann = contact(t, "{\"externalId\": \"erp-1\", \"email\": \"ann@example.com\"}");
        String bob = contact(t, "{\"firstName\": \"Bob\"}");
        String ndjson = purchaseLine("{\"externalId\": \"erp-1\"}", "2026-01-05T10:00:00Z", "20.00")
                + purchaseLine("{\"email\": \"ANN@example.com\"}", "2026-01-05T18:00:00Z", "5.50") // same day, by email
                + purchaseLine("{\"id\": \"" + bob + "\"}", "2026-02-01T10:00:00Z", "12")
                + "{\"contact\": {\"externalId\": \"erp-1\"}, \"type\": \"complaint\", \"occurredAt\": \"2026-03-01T10:00:00Z\"}\n"
                + purchaseLine("{\"externalId\": \"erp-404\"}", "2026-02-01T10:00:00Z", "1") // 5: unknown contact
                + "{\"contact\": {\"externalId\": \"erp-1\"}, \"type\": \"purchase\"}\n" // 6: no value
                + "not json\n" // 7
                + purchaseLine("{\"externalId\": \"erp-1\", \"email\": \"ann@example.com\"}", "2026-02-01T10:00:00Z", "1") // 8
                + "{\"contact\": {\"externalId\": \"erp-1\"}, \"type\": \"purchase\", \"id\": \"mine\", \"value\": {\"amount\": \"1\"}}\n"
                + purchaseLine("{\"externalId\": \"erp-1\"}", "2026-04-10T10:00:00Z", "30.00")
                + purchaseLine("{\"externalId\": \"erp-1\"}", "2026-04-10T16:00:00Z", "1.00"); // a repeat day's second
        String location = start(t, ndjson, false);
        Map<?, ?> result = run(t, location);
        assertEquals(6L, result.get("imported"));
        List<Long> rows = new ArrayList<>();
        for (Object o : (List<?>) result.get("rejected")) {
            rows.add(((Number) ((Map<?, ?>) o).get("row")).longValue());
            assertTrue(!((List<?>) ((Map<?, ?>) o).get("errors")).isEmpty());
        }
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), rows);
        Map<?, ?> unknown = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) result.get("rejected")).get(0)).get("errors")).get(0);
        assertEquals("/contact", unknown.get("pointer"));

        PurchaseSummary a = stored(t, ann);
        assertTrue(a.sameFigures(recomputed(t, ann)), a + " vs " + recomputed(t, ann));
        assertEquals(4, a.purchases());
        assertEquals(1, a.repeatPurchaseDays(), "two purchases on 5 January are the first day, two on 10 April one repeat day");
        assertEquals(0, new java.math.BigDecimal("56.50").compareTo(a.totalSpend()));
        assertTrue(stored(t, bob).sameFigures(recomputed(t, bob)));
        var view = body(call(as(t, "GET", "/v1/contacts/{id}", Scope.READ).path("id", ann).query("view", "360")));
        assertEquals(1L, ((Map<?, ?>) view.get("purchaseSummary")).get("complaints"));
        assertEquals(5, timelineEntries(t, ann));

        // a replayed job (its stream record delivered again) writes nothing more
        worker.handleRequest(queued(t, location), new LambdaContext());
        assertEquals(5, timelineEntries(t, ann));
        assertEquals(4, stored(t, ann).purchases());
    }

    @Test
    void importedPurchasesEqualRecordedOnes() {
        String viaApi = contact(t, "{\"externalId\": \"api\"}");
        String viaImport = contact(t, "{\"externalId\": \"imp\"}");
        String[][] purchases = {{"2026-01-05T10:00:00Z", "20"}, {"2026-01-05T11:00:00Z", "3"}, {"2025-12-01T10:00:00Z", "7"},
                {"2026-03-01T10:00:00Z", "11.25"}};
        StringBuilder ndjson = new StringBuilder();
        int n = 0;
        for (String[] p : purchases) {
            status(call(as(t, "POST", "/v1/contacts/{id}/interactions", Scope.WRITE).path("id", viaApi)
                    .json("{\"id\": \"p" + n++ + "\", \"type\": \"purchase\", \"occurredAt\": \"" + p[0]
                            + "\", \"value\": {\"amount\": \"" + p[1] + "\"}}")), 201);
            ndjson.append(purchaseLine("{\"externalId\": \"imp\"}", p[0], p[1]));
        }
        run(t, start(t, ndjson.toString(), false));
        assertTrue(stored(t, viaApi).sameFigures(stored(t, viaImport)), stored(t, viaApi) + " vs " + stored(t, viaImport));
        // a live purchase on a day only the import brought (no day item: the summary's set holds it) is a
        // second purchase of that day, as on the contact whose days came through the API
        for (String id : List.of(viaApi, viaImport)) {
            status(call(as(t, "POST", "/v1/contacts/{id}/interactions", Scope.WRITE).path("id", id)
                    .json("{\"id\": \"live-1\", \"type\": \"purchase\", \"occurredAt\": \"2026-03-01T18:00:00Z\","
                            + " \"value\": {\"amount\": \"2\"}}")), 201);
        }
        assertTrue(stored(t, viaApi).sameFigures(stored(t, viaImport)), stored(t, viaApi) + " vs " + stored(t, viaImport));
        assertTrue(stored(t, viaImport).sameFigures(recomputed(t, viaImport)));
        // and the purchases index the churn backtest reads holds both alike
        var api = infra.table().get(Keys.contact(t, viaApi), Keys.PURCHASE_SUMMARY);
        var imp = infra.table().get(Keys.contact(t, viaImport), Keys.PURCHASE_SUMMARY);
        assertEquals(api.get(Table.GSI1PK).s().substring(0, api.get(Table.GSI1PK).s().lastIndexOf('#')),
                imp.get(Table.GSI1PK).s().substring(0, imp.get(Table.GSI1PK).s().lastIndexOf('#')));
        assertEquals(api.get("purchaseVersion"), imp.get("purchaseVersion"));
    }

    @Test
    void unknownContactsAreCreatedOnlyWhenAsked() {
        String ndjson = purchaseLine("{\"externalId\": \"new-1\"}", "2026-01-05T10:00:00Z", "10")
                + purchaseLine("{\"externalId\": \"new-1\"}", "2026-02-05T10:00:00Z", "10")
                + purchaseLine("{\"email\": \"new2@example.com\"}", "2026-02-05T10:00:00Z", "4")
                + purchaseLine("{\"id\": \"con_00000000000000000000\"}", "2026-02-05T10:00:00Z", "4");
        Map<?, ?> refused = run(t, start(t, ndjson, false));
        assertEquals(0L, refused.get("imported"));
        assertEquals(4, ((List<?>) refused.get("rejected")).size());

        Map<?, ?> created = run(t, start(t, ndjson, true));
        assertEquals(3L, created.get("imported"));
        assertEquals(2L, created.get("createdContacts"), "new-1 once, new2@ once");
        assertNull(refused.get("createdContacts"));
        assertEquals(List.of(4L), ((List<?>) created.get("rejected")).stream().map(o -> ((Map<?, ?>) o).get("row")).toList(),
                "a contact named by id is never created");
        var found = body(call(as(t, "GET", "/v1/contacts", Scope.READ).query("externalId", "new-1")));
        assertEquals(1, ((List<?>) found.get("items")).size(), "two lines of one new contact create it once");
        String id = (String) ((Map<?, ?>) ((List<?>) found.get("items")).get(0)).get("id");
        assertEquals(1, stored(t, id).repeatPurchaseDays());
        assertTrue(stored(t, id).sameFigures(recomputed(t, id)));
    }

    @Test
    void anImportWhoseProcessCrashesResumesWithoutWritingAnythingTwice() {
        StringBuilder ndjson = new StringBuilder();
        int lines = 2_500;
        for (int i = 0; i < lines; i++) {
            // 50 contacts, lines in date order: each batch touches every contact
            String day = java.time.LocalDate.of(2024, 1, 1).plusDays(i / 5).toString();
            ndjson.append(purchaseLine("{\"externalId\": \"c" + (i % 50) + "\"}", day + "T12:00:00Z", "1." + (i % 10)));
        }
        String location = start(t, ndjson.toString(), true);
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        // crashes amid the touch points, then one after the step's effect (the lease's write passes, the
        // checkpoint's fails): the step runs again over lines whose effect is written
        Object[][] crashes = {{30, FaultInjector.WRITES}, {90, FaultInjector.WRITES}, {1, Set.of("UpdateItem")}};
        for (Object[] crash : crashes) {
            @SuppressWarnings("unchecked")
            Set<String> ops = (Set<String>) crash[1];
            faults.crashAfter((Integer) crash[0], ops);
            var thrown = assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(t, location), new LambdaContext()));
            faults.off();
            assertTrue(faults.injected() > 0, "not the injected crash: " + thrown);
        }
        // and a crash between a batch's writes and its checkpoint: the first batch runs again
        String jobPk = Keys.job(t, location.substring(location.lastIndexOf('/') + 1));
        infra.table().client().updateItem(b -> b.tableName(infra.table().name()).key(Table.key(jobPk, Keys.ITEM))
                .updateExpression("SET #c = :c").expressionAttributeNames(Map.of("#c", "checkpoint"))
                .expressionAttributeValues(Map.of(":c", Attr.of(Map.of("nextRow", 1L)))));
        Map<?, ?> result = run(t, location);
        assertEquals((long) lines, result.get("imported"));
        assertEquals(List.of(), result.get("rejected"));
        assertEquals(50L, result.get("createdContacts"), "each created contact counted once across the crashes");
        long purchases = 0;
        for (int c = 0; c < 50; c++) {
            var found = body(call(as(t, "GET", "/v1/contacts", Scope.READ).query("externalId", "c" + c)));
            assertEquals(1, ((List<?>) found.get("items")).size());
            String id = (String) ((Map<?, ?>) ((List<?>) found.get("items")).get(0)).get("id");
            PurchaseSummary s = stored(t, id);
            assertTrue(s.sameFigures(recomputed(t, id)), "contact c" + c + ": " + s + " vs " + recomputed(t, id));
            assertEquals(s.purchases(), timelineEntries(t, id), "one timeline entry per line");
            purchases += s.purchases();
        }
        assertEquals(lines, purchases);
    }

    @Test
    void smallContactsShareTransactionsAndACrashedImportOfThemResumesWithoutWritingAnythingTwice() {
        // 300 contacts with 3 lines each: their parts go out several contacts to a transaction
        StringBuilder ndjson = new StringBuilder();
        int lines = 900;
        for (int i = 0; i < lines; i++) {
            String day = java.time.LocalDate.of(2024, 1, 1).plusDays(i / 300 * 7).toString();
            ndjson.append(purchaseLine("{\"externalId\": \"s" + (i % 300) + "\"}", day + "T12:00:00Z", "2." + (i % 10)));
        }
        StringBuilder firsts = new StringBuilder();
        for (int c = 0; c < 300; c++) {
            firsts.append(purchaseLine("{\"externalId\": \"s" + c + "\"}", "2023-12-01T12:00:00Z", "1.00"));
        }
        assertEquals(300L, run(t, start(t, firsts.toString(), true)).get("imported"));
        String location = start(t, ndjson.toString(), false);
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        // about 45 transactions in all: crash after a few groups, then after a few more
        for (int writesBeforeCrash : new int[] {8, 20}) {
            faults.crashAfter(writesBeforeCrash, FaultInjector.WRITES);
            var thrown = assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(t, location), new LambdaContext()));
            faults.off();
            assertTrue(faults.injected() > 0, "not the injected crash: " + thrown);
        }
        Map<?, ?> result = run(t, location);
        assertEquals((long) lines, result.get("imported"));
        assertEquals(List.of(), result.get("rejected"));
        long purchases = 0;
        for (int c = 0; c < 300; c += 1) {
            var found = body(call(as(t, "GET", "/v1/contacts", Scope.READ).query("externalId", "s" + c)));
            String id = (String) ((Map<?, ?>) ((List<?>) found.get("items")).get(0)).get("id");
            PurchaseSummary s = stored(t, id);
            assertTrue(s.sameFigures(recomputed(t, id)), "contact s" + c + ": " + s + " vs " + recomputed(t, id));
            assertEquals(4, s.purchases(), "contact s" + c);
            assertEquals(4, timelineEntries(t, id), "one timeline entry per line, contact s" + c);
            purchases += s.purchases();
        }
        assertEquals(lines + 300, purchases);
    }

    int items(TenantId who, String contactId, String prefix) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(who, contactId)), ":t", Attr.s(prefix)))
                .consistentRead(true).build()).count();
    }

    @Test
    void crashesBetweenTouchPointsAndTheirEffectAndAReplayedStepCountEveryLineOnce() {
        // 120 new contacts with 3 lines each (two on one day), and one with 150 days: more than one write holds
        StringBuilder ndjson = new StringBuilder();
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (int i = 0; i < 360; i++) {
            String c = "k" + (i % 120);
            String day = java.time.LocalDate.of(2024, 1, 1).plusDays(i / 240 * 30).toString();
            ndjson.append(purchaseLine("{\"externalId\": \"" + c + "\"}", day + "T1" + (i % 10) + ":00:00Z", "3." + (i % 10)));
            expected.merge(c, 1, Integer::sum);
        }
        for (int d = 0; d < 150; d++) {
            String day = java.time.LocalDate.of(2023, 1, 1).plusDays(d).toString();
            ndjson.append(purchaseLine("{\"externalId\": \"big\"}", day + "T09:00:00Z", "1.25"));
            expected.merge("big", 1, Integer::sum);
        }
        int lines = 510;
        String location = start(t, ndjson.toString(), true);
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        // effects refused after the touch points went out; touch points cut off mid-way; any write
        Object[][] crashes = {{2, Set.of("TransactWriteItems")}, {5, Set.of("BatchWriteItem")}, {12, FaultInjector.WRITES},
                // the lease's write passes, the step writes everything, its checkpoint is lost: the step runs again whole
                {1, Set.of("UpdateItem")}};
        for (Object[] crash : crashes) {
            @SuppressWarnings("unchecked")
            Set<String> ops = (Set<String>) crash[1];
            faults.crashAfter((Integer) crash[0], ops);
            var thrown = assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(t, location), new LambdaContext()));
            faults.off();
            assertTrue(faults.injected() > 0, "not the injected crash: " + thrown);
        }
        assertEquals(121L, run(t, location).get("createdContacts"));
        // counted from the items themselves, not from the import's own counters
        long purchases = 0;
        for (var e : expected.entrySet()) {
            var found = body(call(as(t, "GET", "/v1/contacts", Scope.READ).query("externalId", e.getKey())));
            assertEquals(1, ((List<?>) found.get("items")).size(), e.getKey());
            String id = (String) ((Map<?, ?>) ((List<?>) found.get("items")).get(0)).get("id");
            assertEquals(e.getValue().intValue(), timelineEntries(t, id), "one timeline entry per line, " + e.getKey());
            // the touch point is its own guard: an import writes no guard items, nor purchase day items
            assertEquals(0, items(t, id, Keys.interactionGuard("")), "no guard items, " + e.getKey());
            assertEquals(0, items(t, id, Keys.purchaseDay(java.time.LocalDate.of(2000, 1, 1)).substring(0, 3)),
                    "no day items, " + e.getKey());
            PurchaseSummary s = stored(t, id);
            assertEquals(e.getValue().longValue(), s.purchases(), e.getKey());
            assertTrue(s.sameFigures(recomputed(t, id)), e.getKey() + ": " + s + " vs " + recomputed(t, id));
            purchases += s.purchases();
        }
        assertEquals(lines, purchases);
    }

    @Test
    void anotherTenantNeitherSeesTheJobNorReachesTheContacts() {
        TenantId other = TestInfrastructure.tenant(infra).id();
        String ann = contact(t, "{\"externalId\": \"erp-1\", \"email\": \"ann@example.com\"}");
        String location = start(t, purchaseLine("{\"id\": \"" + ann + "\"}", "2026-01-05T10:00:00Z", "20"), false);
        run(t, location);
        PurchaseSummary before = stored(t, ann);

        problem(call(as(other, "GET", "/v1/interactions/imports/{id}", Scope.READ)
                .path("id", location.substring(location.lastIndexOf('/') + 1))), 404, "not-found");
        // B names A's contact by A's id, external id and email, and asks for unknown contacts to be created
        String theirs = start(other, purchaseLine("{\"id\": \"" + ann + "\"}", "2026-02-05T10:00:00Z", "99")
                + purchaseLine("{\"externalId\": \"erp-1\"}", "2026-02-05T10:00:00Z", "99")
                + purchaseLine("{\"email\": \"ann@example.com\"}", "2026-02-05T10:00:00Z", "99"), true);
        Map<?, ?> result = run(other, theirs);
        assertEquals(List.of(1L), ((List<?>) result.get("rejected")).stream().map(o -> ((Map<?, ?>) o).get("row")).toList(),
                "A's id is no contact of B's");
        assertEquals(2L, result.get("imported"), "B's own new contact gets B's lines");
        assertEquals(before, stored(t, ann), "A's contact is untouched");
        assertEquals(1, timelineEntries(t, ann));
        assertNull(infra.table().get(Keys.contact(other, ann), Keys.CONTACT_PROFILE), "no contact was created under A's id");
        var bContacts = body(call(as(other, "GET", "/v1/contacts", Scope.READ).query("externalId", "erp-1")));
        String bId = (String) ((Map<?, ?>) ((List<?>) bContacts.get("items")).get(0)).get("id");
        assertNotNull(bId);
        assertTrue(!bId.equals(ann));
    }

    @Test
    void unreadableFilesAndParametersAreRejectedAtOnce() {
        problem(call(as(t, "POST", "/v1/interactions/imports", Scope.WRITE).body("application/x-ndjson", "\n\n")), 400,
                "validation-error");
        problem(call(as(t, "POST", "/v1/interactions/imports", Scope.WRITE).body("application/x-ndjson", "{}")
                .query("createContacts", "yes")), 400, "validation-error");
        problem(call(as(t, "POST", "/v1/interactions/imports", Scope.READ).body("application/x-ndjson", "{}")), 403, "forbidden");
        // an imported touch point's id is its only guard: a request cannot take the import's id form
        String someone = contact(t, "{\"firstName\": \"Cy\"}");
        problem(call(as(t, "POST", "/v1/contacts/{id}/interactions", Scope.WRITE).path("id", someone)
                .json("{\"id\": \"iimp_aaaaaaaaaaaaaaaaaaaa:1\", \"type\": \"call\"}")), 400, "validation-error");
    }
}
