package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Imports, export, erasure and anonymisation through the real handler and job worker. */
class ContactJobsIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final ContactJobsWorker worker = new ContactJobsWorker(infra);
    private final TestInfrastructure.TestTenant tenant = TestInfrastructure.tenant(infra);
    private final TenantId t = tenant.id();

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    ApiEvents write(String method, String path) {
        return ApiEvents.request(method, path).as(t, Scope.WRITE);
    }

    /** What the table stream delivers when a job is queued. */
    DynamodbEvent queued(String location) {
        return dev.crm.devkit.SampleEvents.jobQueued(Keys.job(t, location.substring(location.lastIndexOf('/') + 1)));
    }

    void runJob(String location, java.util.function.LongSupplier remaining) {
        worker.handleRequest(queued(location), new LambdaContext(remaining));
    }

    void runJob(String location) {
        runJob(location, () -> 900_000);
    }

    Map<String, Object> job(String location) {
        String path = location.substring(0, location.lastIndexOf('/')) + "/{id}";
        var r = call(ApiEvents.request("GET", path).path("id", location.substring(location.lastIndexOf('/') + 1)).as(t, Scope.READ));
        status(r, 200);
        return body(r);
    }

    String newContact(String json) {
        var r = call(write("POST", "/v1/contacts").json(json));
        status(r, 201);
        return (String) body(r).get("id");
    }

    Map<String, Object> contactByEmail(String email) {
        var r = call(ApiEvents.request("GET", "/v1/contacts").query("email", email).as(t, Scope.READ));
        List<?> items = (List<?>) body(r).get("items");
        return items.isEmpty() ? null : (Map<String, Object>) items.get(0);
    }

    // ---- imports ----

    @Test
    void anImportOfTenThousandRowsWithAHundredInvalidReportsExactlyThose() {
        StringBuilder ndjson = new StringBuilder();
        Set<Integer> bad = new HashSet<>();
        for (int row = 1; row <= 10_000; row++) {
            if (row % 100 == 7) {
                bad.add(row);
                ndjson.append(row % 200 == 7 ? "{\"email\": \"not-an-address\"}" : "{\"firstName\": 5, \"email\": \"x" + row + "@example.com\"}");
            } else {
                ndjson.append("{\"email\": \"person").append(row).append("@example.com\", \"firstName\": \"P").append(row)
                        .append("\", \"tags\": [\"imported\"]}");
            }
            ndjson.append('\n');
        }
        var r = call(write("POST", "/v1/contacts/imports").body("application/x-ndjson", ndjson.toString()));
        status(r, 202);
        String location = header(r, "Location");
        assertEquals("queued", body(r).get("status"));
        assertEquals(10_000L, body(r).get("total"));
        runJob(location);
        Map<String, Object> j = job(location);
        assertEquals("succeeded", j.get("status"));
        Map<?, ?> result = (Map<?, ?>) j.get("result");
        assertEquals(9_900L, result.get("created"));
        assertEquals(0L, result.get("updated"));
        List<?> rejected = (List<?>) result.get("rejected");
        assertEquals(100, rejected.size());
        Set<Integer> reportedRows = new HashSet<>();
        for (Object o : rejected) {
            Map<?, ?> rej = (Map<?, ?>) o;
            reportedRows.add(((Number) rej.get("row")).intValue());
            assertFalse(((List<?>) rej.get("errors")).isEmpty());
        }
        assertEquals(bad, reportedRows);
        assertEquals("P42", contactByEmail("person42@example.com").get("firstName"));
        assertNull(contactByEmail("x107@example.com"), "a rejected row writes nothing");
    }

    @Test
    void csvRowsUpsertByEmailAndExternalId() {
        String existing = newContact("{\"email\": \"ann@example.com\", \"firstName\": \"Ann\", \"company\": \"Old Co\"}");
        newContact("{\"externalId\": \"erp-7\", \"firstName\": \"Bob\"}");
        String csv = "email,firstName,lastName,externalId,tags,attributes.shoeSize\r\n"
                + "ANN@example.com,Ann,\"Smith, Jr.\",,vip;gold,38\r\n"
                + ",Robert,,erp-7,,\n"
                + "new@example.com,Nina,New,erp-9,,\"Multi\nLine\"\n"
                + "bad-address,,,,,\n";
        var r = call(write("POST", "/v1/contacts/imports").body("text/csv", csv));
        status(r, 202);
        runJob(header(r, "Location"));
        Map<?, ?> result = (Map<?, ?>) job(header(r, "Location")).get("result");
        assertEquals(1L, result.get("created"));
        assertEquals(2L, result.get("updated"));
        assertEquals(List.of(4L), ((List<?>) result.get("rejected")).stream().map(o -> ((Map<?, ?>) o).get("row")).toList());
        Map<String, Object> ann = contactByEmail("ann@example.com");
        assertEquals(existing, ann.get("id"));
        assertEquals("Smith, Jr.", ann.get("lastName"));
        assertEquals("Old Co", ann.get("company"), "fields the row leaves empty are kept");
        assertEquals(List.of("vip", "gold"), ann.get("tags"));
        assertEquals("38", ((Map<?, ?>) ann.get("attributes")).get("shoeSize"));
        assertEquals(2L, ann.get("version"));
        assertEquals("Multi\nLine", ((Map<?, ?>) contactByEmail("new@example.com").get("attributes")).get("shoeSize"));
    }

    @Test
    void anImportInterruptedHalfwayResumesWithoutDuplicatingRows() {
        StringBuilder ndjson = new StringBuilder();
        for (int row = 1; row <= 600; row++) {
            // no email, no external id: only the row-derived id prevents duplicates
            ndjson.append("{\"firstName\": \"Anon").append(row).append("\", \"lifecycleStage\": \"lead\"}\n");
        }
        var r = call(write("POST", "/v1/contacts/imports").body("application/x-ndjson", ndjson.toString()));
        String location = header(r, "Location");
        // the first invocation runs out of time after one batch and hands over
        long[] budget = {25_000};
        runJob(location, () -> budget[0] -= 10_000);
        Map<String, Object> halfway = job(location);
        assertEquals("queued", halfway.get("status"));
        assertTrue(((Number) halfway.get("done")).intValue() > 0 && ((Number) halfway.get("done")).intValue() < 600);
        // a crash between a batch's writes and its checkpoint: the same batch runs again
        String jobPk = Keys.job(t, location.substring(location.lastIndexOf('/') + 1));
        infra.table().client().updateItem(b -> b.tableName(infra.table().name()).key(Table.key(jobPk, Keys.ITEM))
                .updateExpression("SET #c = :c").expressionAttributeNames(Map.of("#c", "checkpoint"))
                .expressionAttributeValues(Map.of(":c", Attr.of(Map.of("nextRow", 1L)))));
        runJob(location);
        Map<?, ?> result = (Map<?, ?>) job(location).get("result");
        assertEquals(600L, result.get("created"));
        int leads = 0;
        String cursor = null;
        do {
            var e = ApiEvents.request("GET", "/v1/contacts").query("lifecycleStage", "lead").query("limit", "200").as(t, Scope.READ);
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            var page = call(e);
            leads += ((List<?>) body(page).get("items")).size();
            cursor = (String) body(page).get("nextCursor");
        } while (cursor != null);
        assertEquals(600, leads);
    }

    /** The tenant's items by entity (contacts, guards, row markers), read from the table itself. */
    Map<String, Integer> itemsByEntity() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(infra.table().name()).filterExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", Attr.s(t.value()))).consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var page = infra.table().client().scan(b.build());
            for (var item : page.items()) {
                String entity = Attr.str(item, Table.ENTITY);
                String key = "CONTACT".equals(entity) ? entity + " v" + Attr.num(item, "version", 0)
                        : "IMPORT_ROW".equals(entity) ? entity + " " + Attr.str(item, "outcome") : entity;
                out.merge(key, 1, Integer::sum);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Test
    void aCrashedImportOfNewContactsInGroupsCreatesEachOnceAndRejectsOnlyTheRowsThatCannotApply() {
        newContact("{\"email\": \"taken@example.com\"}");
        newContact("{\"externalId\": \"erp-other\"}");
        StringBuilder ndjson = new StringBuilder();
        for (int row = 1; row <= 600; row++) {
            if (row == 15) {
                // row 3's address again (same group of twenty), with another contact's external id
                ndjson.append("{\"email\": \"Person3@example.com\", \"externalId\": \"erp-other\"}\n");
            } else if (row == 16) {
                ndjson.append("{\"email\": \"taken@example.com\", \"externalId\": \"erp-other\"}\n");
            } else {
                ndjson.append("{\"email\": \"person").append(row).append("@example.com\", \"externalId\": \"e").append(row)
                        .append("\"}\n");
            }
        }
        var r = call(write("POST", "/v1/contacts/imports").body("application/x-ndjson", ndjson.toString()));
        String location = header(r, "Location");
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        // groups cut off mid-step, and a step whose writes all went out but whose checkpoint was lost
        Object[][] crashes = {{3, Set.of("TransactWriteItems")}, {12, Set.of("TransactWriteItems")}, {1, Set.of("UpdateItem")}};
        for (Object[] crash : crashes) {
            @SuppressWarnings("unchecked")
            Set<String> ops = (Set<String>) crash[1];
            faults.crashAfter((Integer) crash[0], ops);
            assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(location), new LambdaContext()));
            faults.off();
            assertTrue(faults.injected() > 0);
        }
        runJob(location);
        Map<?, ?> result = (Map<?, ?>) job(location).get("result");
        assertEquals(598L, result.get("created"));
        assertEquals(List.of(15L, 16L), ((List<?>) result.get("rejected")).stream().map(o -> ((Map<?, ?>) o).get("row")).toList());
        // counted from the items: every contact written once (version 1), one guard each, one marker a row
        assertEquals(Map.of("CONTACT v1", 600, "EMAIL_GUARD", 599, "EXTERNAL_ID_GUARD", 599, "IMPORT_ROW created", 598,
                "IMPORT_ROW rejected", 2), withoutJobItems(itemsByEntity()));
    }

    @Test
    void aStepLooksItsRowsContactsUpInBatchesNotTwoReadsARow() {
        for (int i = 0; i < 20; i++) {
            newContact("{\"email\": \"known" + i + "@example.com\", \"firstName\": \"K\"}");
        }
        StringBuilder ndjson = new StringBuilder();
        for (int row = 1; row <= 60; row++) {
            // 20 known by email (updated), 40 new with an email and an external id
            ndjson.append(row <= 20 ? "{\"email\": \"known" + (row - 1) + "@example.com\", \"lastName\": \"L\"}\n"
                    : "{\"email\": \"fresh" + row + "@example.com\", \"externalId\": \"f" + row + "\"}\n");
        }
        var r = call(write("POST", "/v1/contacts/imports").body("application/x-ndjson", ndjson.toString()));
        String location = header(r, "Location");
        FaultInjector gets = new FaultInjector();
        gets.crashAfter(Integer.MAX_VALUE, Set.of("GetItem")); // a count, no fault
        new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), gets)).handleRequest(queued(location), new LambdaContext());
        Map<?, ?> result = (Map<?, ?>) job(location).get("result");
        assertEquals(40L, result.get("created"));
        assertEquals(20L, result.get("updated"));
        // one read of each known contact to merge into; the rows' emails and external ids come from batched
        // reads (before: each one read singly to sort the row, and an existing contact's again to write it,
        // 140 GetItem for these rows)
        assertTrue(gets.calls() <= 20 + 10, "GetItem calls: " + gets.calls());
        assertEquals("L", contactByEmail("known7@example.com").get("lastName"));
        assertEquals(1L, contactByEmail("fresh60@example.com").get("version"));
    }

    private static Map<String, Integer> withoutJobItems(Map<String, Integer> items) {
        Map<String, Integer> out = new java.util.TreeMap<>(items);
        out.keySet().removeIf(k -> !k.startsWith("CONTACT") && !k.endsWith("_GUARD") && !k.startsWith("IMPORT_ROW"));
        return out;
    }

    @Test
    void unreadableImportFilesAreRejectedAtOnceAndStartNothing() {
        problem(call(write("POST", "/v1/contacts/imports").body("text/csv", "")), 400, "validation-error");
        problem(call(write("POST", "/v1/contacts/imports").body("text/csv", "email,shoe\nx@example.com,1\n")), 400, "validation-error");
        problem(call(write("POST", "/v1/contacts/imports").body("text/csv", "email\n\"unclosed\n")), 400, "validation-error");
        problem(call(write("POST", "/v1/contacts/imports").body("text/csv", "email,email\na@b.co,c@d.co\n")), 400, "validation-error");
        problem(call(write("POST", "/v1/contacts/imports").body("application/x-ndjson", "{}\n".repeat(20_001))), 400, "validation-error");
        problem(call(write("POST", "/v1/contacts/imports").json("[{}]")), 415, "unsupported-media-type");
        problem(call(write("POST", "/v1/contacts/imports").body("text/csv", "email\n" + "a@example.com\n".repeat(400_000))),
                413, "payload-too-large");
        problem(call(ApiEvents.request("POST", "/v1/contacts/imports").as(t, Scope.READ).body("text/csv", "email\na@b.co\n")),
                403, "forbidden");
        var jobs = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name())
                .filterExpression("begins_with(PK, :p)").expressionAttributeValues(Map.of(":p", Attr.s(t.value() + "#JOB#")))
                .build());
        assertEquals(0, jobs.count());
    }

    // ---- export, erasure, anonymisation ----

    /** A contact with purchases, a consent ledger entry and a survey response elsewhere that names it. */
    String richContact(String email) {
        String c = newContact("{\"email\": \"" + email + "\", \"firstName\": \"Eve\", \"externalId\": \"ext-" + email.hashCode() + "\"}");
        status(call(write("POST", "/v1/contacts/{id}/interactions").path("id", c).json("{\"id\": \"o1\", \"type\": \"purchase\","
                + " \"value\": {\"amount\": \"42.00\"}, \"summary\": \"bought a red coat\"}")), 201);
        String pk = Keys.contact(t, c);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> ledger = new HashMap<>(
                Table.key(pk, Keys.ledgerEntry(clock.instant(), "le1")));
        ledger.put("entity", Attr.s("CONSENT_LEDGER"));
        ledger.put("contactId", Attr.s(c));
        ledger.put("channel", Attr.s("email"));
        ledger.put("newStatus", Attr.s("opted_in"));
        ledger.put("ip", Attr.s("198.51.100.23"));
        ledger.put("userAgent", Attr.s("Mozilla/5.0"));
        put(ledger);
        String responsePk = t.value() + "#SURVEY#srv_x";
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> response = new HashMap<>(Table.key(responsePk, "R#r1"));
        response.put("contactId", Attr.s(c));
        response.put("score", Attr.n(3));
        response.put("personal", Attr.of(Map.of("why", "the delivery man was rude")));
        put(response);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> entry = new HashMap<>(
                Table.key(pk, Keys.timeline(clock.instant(), "survey_response", "r1")));
        entry.put("kind", Attr.s("survey_response"));
        entry.put("entryId", Attr.s("r1"));
        entry.put("occurredAt", Attr.instant(clock.instant()));
        entry.put("data", Attr.of(Map.of("score", 3)));
        entry.put("refPk", Attr.s(responsePk));
        entry.put("refSk", Attr.s("R#r1"));
        put(entry);
        return c;
    }

    void put(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
    }

    @Test
    void anExportHoldsEverythingAboutTheContact() {
        String c = richContact("export@example.com");
        var r = call(ApiEvents.request("GET", "/v1/contacts/{id}/export").path("id", c).as(t, Scope.READ));
        status(r, 200);
        Map<String, Object> doc = body(r);
        assertEquals("export@example.com", ((Map<?, ?>) doc.get("contact")).get("email"));
        assertEquals(2, ((List<?>) doc.get("timeline")).size());
        assertEquals("198.51.100.23", ((Map<?, ?>) ((List<?>) doc.get("consentLedger")).get(0)).get("ip"));
        assertNotNull(((Map<?, ?>) doc.get("state")).get("purchaseSummary"));
    }

    @Test
    void afterErasureNoItemOfTheContactRemainsButTheSuppressionEntry() {
        String email = "erase.me@example.com";
        String c = richContact(email);
        var r = call(write("DELETE", "/v1/contacts/{id}").path("id", c));
        status(r, 202);
        String location = header(r, "Location");
        assertTrue(location.startsWith("/v1/contacts/erasures/era_"));
        // the 202 is the job as stored (answered from the write, not read back)
        assertEquals(job(location), body(r));
        problem(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", c).as(t, Scope.READ)), 404, "not-found");
        runJob(location);
        assertEquals("succeeded", job(location).get("status"));
        assertErased(c, email);
    }

    @Test
    void anErasureWhoseProcessCrashesTwiceResumesAndEndsTheSame() {
        String email = "crash.erase@example.com";
        String c = richContact(email);
        String location = header(call(write("DELETE", "/v1/contacts/{id}").path("id", c)), "Location");
        FaultInjector faults = new FaultInjector();
        ContactJobsWorker crashing = new ContactJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        for (int writesBeforeCrash : new int[] {3, 6}) {
            faults.crashAfter(writesBeforeCrash, FaultInjector.WRITES);
            assertThrows(RuntimeException.class, () -> crashing.handleRequest(queued(location), new LambdaContext()));
            faults.off();
            // dead processes write nothing more, not even the hand-back: the job keeps the dead lease
            assertEquals("running", job(location).get("status"));
            assertTrue(faults.injected() > 0);
        }
        runJob(location); // the stream's retry waits the lease out and takes over
        assertEquals("succeeded", job(location).get("status"));
        assertErased(c, email);
    }

    private void assertErased(String c, String email) {
        var all = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name()).build()).items();
        String pseudonym = ContactErasure.pseudonymOfEmail(infra.tenants().find(t).secrets(), email);
        for (var item : all) {
            if (!item.get("PK").s().startsWith(t.value())) {
                continue; // other tests' tenants
            }
            String text = item.toString();
            assertFalse(text.contains(c), "an item still names the contact: " + item.get("PK").s() + " " + item.get("SK").s());
            assertFalse(text.toLowerCase().contains(email), "an item still holds the address");
            assertFalse(text.contains("198.51.100.23") || text.contains("rude"), "personal data survived");
        }
        assertNotNull(infra.table().get(Keys.suppression(t, pseudonym), Keys.ITEM), "the address stays suppressed");
        var ledger = infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(Keys.pseudonymousLedger(t, pseudonym))))
                .build()).items();
        assertEquals(1, ledger.size());
        assertEquals("opted_in", ledger.get(0).get("newStatus").s());
        var response = infra.table().get(t.value() + "#SURVEY#srv_x", "R#r1");
        assertEquals("3", response.get("score").n(), "the score stays in the aggregates");
        assertNull(response.get("contactId"));
        // the address can be used again, by a new contact
        newContact("{\"email\": \"" + email + "\"}");
    }

    @Test
    void anonymisationKeepsAggregatesAndStripsPersonalFields() {
        String c = richContact("anon@example.com");
        var r = call(write("POST", "/v1/contacts/{id}/anonymize").path("id", c));
        status(r, 202);
        runJob(header(r, "Location"));
        var get = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", c).query("view", "360").as(t, Scope.READ));
        status(get, 200);
        Map<String, Object> v = body(get);
        assertEquals(true, v.get("anonymized"));
        assertNull(v.get("email"));
        assertNull(v.get("firstName"));
        assertNull(v.get("externalId"));
        assertEquals("42.00", ((Map<?, ?>) ((Map<?, ?>) v.get("purchaseSummary")).get("totalSpend")).get("amount"));
        Map<?, ?> interaction = (Map<?, ?>) ((List<?>) v.get("recentInteractions")).get(0);
        assertNull(interaction.get("summary"));
        assertNull(contactByEmail("anon@example.com"));
        var all = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name()).build()).items();
        for (var item : all) {
            if (!item.get("PK").s().startsWith(t.value())) {
                continue; // other tests' tenants
            }
            String text = item.toString();
            assertFalse(text.contains("anon@example.com") || text.contains("red coat") || text.contains("198.51.100.23"));
        }
    }

    @Test
    void anotherTenantCannotExportEraseAnonymiseOrSeeJobs() {
        String c = richContact("iso.jobs@example.com");
        TenantId b = TestInfrastructure.tenant(infra).id();
        problem(call(ApiEvents.request("GET", "/v1/contacts/{id}/export").path("id", c).as(b, Scope.READ)), 404, "not-found");
        problem(call(ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", c).as(b, Scope.WRITE)), 404, "not-found");
        problem(call(ApiEvents.request("POST", "/v1/contacts/{id}/anonymize").path("id", c).as(b, Scope.WRITE)), 404, "not-found");
        var imp = call(write("POST", "/v1/contacts/imports").body("text/csv", "email\nz@example.com\n"));
        String jobId = header(imp, "Location").substring("/v1/contacts/imports/".length());
        problem(call(ApiEvents.request("GET", "/v1/contacts/imports/{id}").path("id", jobId).as(b, Scope.READ)), 404, "not-found");
        assertEquals("Eve", body(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", c).as(t, Scope.READ))).get("firstName"));
    }
}
