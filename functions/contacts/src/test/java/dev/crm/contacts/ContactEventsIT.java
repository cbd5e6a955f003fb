package dev.crm.contacts;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.entrypoints.ContactEventsHandler;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.EventSchemas;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Times;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The contacts function's events through the real handlers against DynamoDB Local: changes made
 * through the API, delivered as the table stream would deliver them (built from the items as stored),
 * stored once as docs/data-model.md "Events" describes, and erased with their contact.
 */
class ContactEventsIT {
    private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler api = new ContactsHandler(infra);
    private final ContactJobsWorker worker = new ContactJobsWorker(infra);
    private final ContactEventsHandler events = new ContactEventsHandler(infra);
    private final TenantId a = TestInfrastructure.tenant(infra).id();
    private final TenantId b = TestInfrastructure.tenant(infra).id();

    APIGatewayProxyResponseEvent call(TenantId t, ApiEvents e) {
        return api.handleRequest(e.as(t, Scope.WRITE).build(), new LambdaContext());
    }

    String newContact(TenantId t, String firstName) {
        String email = firstName.toLowerCase() + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var r = call(t, ApiEvents.request("POST", "/v1/contacts").json("{\"firstName\": \"" + firstName + "\", \"email\": \""
                + email + "\", \"tags\": [\"events\"], \"attributes\": {\"plan\": \"gold\"}}"));
        status(r, 201);
        return (String) body(r).get("id");
    }

    Map<String, Object> get(TenantId t, String contactId) {
        var r = api.handleRequest(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", contactId).as(t, Scope.READ).build(),
                new LambdaContext());
        status(r, 200);
        return body(r);
    }

    Map<String, AttributeValue> profile(TenantId t, String contactId) {
        return infra.table().get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE);
    }

    Map<String, AttributeValue> jobItem(TenantId t, String location) {
        return infra.table().get(Keys.job(t, location.substring(location.lastIndexOf('/') + 1)), Keys.ITEM);
    }

    List<Map<String, AttributeValue>> partition(String pk, String skPrefix) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name()).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(skPrefix))).build()).items();
    }

    /** The stored events of a contact's partition. */
    List<Map<String, AttributeValue>> contactEvents(TenantId t, String contactId) {
        return partition(Keys.contact(t, contactId), "EV#");
    }

    /** One batch of stream records, as Lambda delivers them (ids unique per change). */
    static DynamodbEvent batch(DynamodbEvent... records) {
        List<DynamodbEvent.DynamodbStreamRecord> all = new ArrayList<>();
        for (DynamodbEvent e : records) {
            all.addAll(e.getRecords());
        }
        DynamodbEvent out = new DynamodbEvent();
        out.setRecords(all);
        return out;
    }

    DynamodbEvent change(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return StreamRecords.change(UUID.randomUUID().toString(), clock.instant(), before, after);
    }

    void deliver(DynamodbEvent event) {
        events.handleRequest(event, new LambdaContext());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> envelope(Map<String, AttributeValue> stored) {
        return (Map<String, Object>) Json.parse(stored.get("envelope").s());
    }

    /** The stored item is what docs/data-model.md says, and its envelope what docs/events.md says. */
    static Map<String, Object> assertStored(Map<String, AttributeValue> item, TenantId t, String type, String contactId) {
        Map<String, Object> env = envelope(item);
        String id = item.get("eventId").s();
        assertEquals("EVENT", item.get("entity").s());
        assertEquals(type, item.get("eventType").s());
        assertEquals("crm.contacts", item.get("source").s());
        assertEquals(t.value(), item.get("tenantId").s());
        assertEquals(id, env.get("id"));
        assertEquals(type, env.get("type"));
        assertEquals(t.value(), env.get("tenantId"));
        assertEquals(item.get("timestamp").s(), env.get("timestamp"));
        Instant at = Times.parse((String) env.get("timestamp"));
        assertEquals(at.plus(Duration.ofDays(30)).getEpochSecond(), Long.parseLong(item.get("expiresAt").n()));
        if (contactId != null) {
            assertEquals(Keys.contact(t, contactId), item.get("PK").s());
            assertEquals("EV#" + id, item.get("SK").s());
            assertEquals(contactId, item.get("contactId").s());
        } else {
            assertEquals(Keys.event(t, id), item.get("PK").s());
            assertEquals(Keys.ITEM, item.get("SK").s());
        }
        assertEquals(List.of(), EventSchemas.envelopeViolations(item.get("envelope").s()), type);
        return env;
    }

    static Map<String, AttributeValue> only(List<Map<String, AttributeValue>> items, String type) {
        List<Map<String, AttributeValue>> of = items.stream().filter(i -> type.equals(i.get("eventType").s())).toList();
        assertEquals(1, of.size(), type + " events: " + of.size());
        return of.get(0);
    }

    @Test
    void createdPatchedAndInteractionsAreStoredOnceInTheContactsPartitionAsTheirGetsReturnThem() {
        String c = newContact(a, "Ann");
        Map<String, AttributeValue> created = profile(a, c);
        DynamodbEvent insert = change(null, created);
        deliver(insert);
        Map<String, Object> env = assertStored(only(contactEvents(a, c), "contact.created"), a, "contact.created", c);
        assertEquals(get(a, c), env.get("data"));

        clock.advance(Duration.ofMinutes(1));
        status(call(a, ApiEvents.request("PATCH", "/v1/contacts/{id}").path("id", c).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"lastName\": \"Smith\", \"tags\": [\"events\", \"vip\"]}")), 200);
        Map<String, AttributeValue> patched = profile(a, c);
        clock.advance(Duration.ofMinutes(1));
        var r = call(a, ApiEvents.request("POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"order-1\", \"type\": \"purchase\", \"channel\": \"web\", \"occurredAt\": \"2025-01-02T03:04:05Z\","
                        + " \"value\": {\"amount\": \"42.50\", \"currency\": \"EUR\"}, \"summary\": \"a red coat\"}"));
        status(r, 201);
        Map<String, Object> recorded = body(r);
        Map<String, AttributeValue> entry = partition(Keys.contact(a, c), Keys.TIMELINE_PREFIX).get(0);
        DynamodbEvent update = change(created, patched);
        DynamodbEvent interaction = change(null, entry);
        deliver(batch(update, interaction));

        List<Map<String, AttributeValue>> stored = contactEvents(a, c);
        assertEquals(3, stored.size());
        Map<String, Object> updated = assertStored(only(stored, "contact.updated"), a, "contact.updated", c);
        assertEquals(get(a, c), updated.get("data"), "the contact after the change, as its GET returns it");
        assertEquals("Smith", ((Map<?, ?>) updated.get("data")).get("lastName"));
        Map<String, Object> touch = assertStored(only(stored, "interaction.recorded"), a, "interaction.recorded", c);
        Map<String, Object> data = new java.util.LinkedHashMap<>(recorded);
        data.put("contactId", c);
        assertEquals(data, touch.get("data"), "the touch point as its POST returned it, and the contact");
        // recorded now, though it happened last year: kept 30 days from now, and ids sort by when they became known
        assertEquals(Times.format(clock.instant()), touch.get("timestamp"));

        // a redelivered batch (the stream retries) stores nothing new
        deliver(batch(insert, update, interaction));
        assertEquals(stored, contactEvents(a, c));
        // writing the same state again announces nothing
        Map<String, AttributeValue> same = new java.util.HashMap<>(patched);
        same.put("emailHash", Attr.s("legacy"));
        deliver(change(same, patched));
        assertEquals(3, contactEvents(a, c).size());
    }

    @Test
    void anErasureRemovesTheContactsEventsAndAnnouncesItsEndWithoutPersonalData() {
        String c = newContact(a, "Eve");
        Map<String, AttributeValue> created = profile(a, c);
        DynamodbEvent insert = change(null, created);
        deliver(insert);
        status(call(a, ApiEvents.request("POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"call-1\", \"type\": \"call\", \"summary\": \"asked to be forgotten\"}")), 201);
        deliver(change(null, partition(Keys.contact(a, c), Keys.TIMELINE_PREFIX).get(0)));
        assertEquals(2, contactEvents(a, c).size());

        var r = call(a, ApiEvents.request("DELETE", "/v1/contacts/{id}").path("id", c));
        status(r, 202);
        String location = header(r, "Location");
        Map<String, AttributeValue> queued = jobItem(a, location);
        // the profile marked erasing is no update
        deliver(change(created, profile(a, c)));
        worker.handleRequest(dev.crm.devkit.SampleEvents.jobQueued(queued.get("PK").s()), new LambdaContext());
        Map<String, AttributeValue> finished = jobItem(a, location);
        assertEquals("succeeded", finished.get("status").s());
        assertEquals(List.of(), contactEvents(a, c), "the contact's stored events went with it");

        deliver(change(queued, finished));
        // a late redelivery of the contact's creation stores nothing for an erased contact
        deliver(insert);
        assertEquals(List.of(), contactEvents(a, c));

        String erasureId = location.substring(location.lastIndexOf('/') + 1);
        List<Map<String, AttributeValue>> announced = new ArrayList<>();
        // the tenant's events outside any contact's partition: this erasure's two
        var all = infra.table().client().scan(b -> b.tableName(infra.table().name())
                .filterExpression("entity = :e AND tenantId = :t")
                .expressionAttributeValues(Map.of(":e", Attr.s("EVENT"), ":t", Attr.s(a.value())))).items();
        for (var item : all) {
            if (item.get("envelope").s().contains(erasureId) || item.get("eventType").s().equals("contact.erased")) {
                announced.add(item);
            }
        }
        Map<String, Object> erased = assertStored(only(announced, "contact.erased"), a, "contact.erased", null);
        assertEquals(Map.of("contactId", c, "erasedAt", finished.get("updatedAt").s()), erased.get("data"));
        Map<String, Object> completed = assertStored(only(announced, "erasure.completed"), a, "erasure.completed", null);
        var getErasure = api.handleRequest(ApiEvents.request("GET", "/v1/contacts/erasures/{id}").path("id", erasureId)
                .as(a, Scope.READ).build(), new LambdaContext());
        assertEquals(body(getErasure), completed.get("data"), "the erasure as its GET returns it");
        for (var item : announced) {
            String text = item.get("envelope").s();
            assertFalse(text.contains("@example.com") || text.contains("Eve") || text.contains("forgotten"), text);
        }
    }

    @Test
    void anImportThatSucceededIsAnnouncedWithItsCounts() {
        String ndjson = "{\"email\": \"imp1." + UUID.randomUUID().toString().substring(0, 8) + "@example.com\"}\n"
                + "{\"email\": \"not-an-address\"}\n";
        var r = call(a, ApiEvents.request("POST", "/v1/contacts/imports").body("application/x-ndjson", ndjson));
        status(r, 202);
        String location = header(r, "Location");
        Map<String, AttributeValue> queued = jobItem(a, location);
        worker.handleRequest(dev.crm.devkit.SampleEvents.jobQueued(queued.get("PK").s()), new LambdaContext());
        Map<String, AttributeValue> finished = jobItem(a, location);
        assertEquals("succeeded", finished.get("status").s());
        DynamodbEvent done = change(queued, finished);
        deliver(done);
        deliver(done);
        String importId = location.substring(location.lastIndexOf('/') + 1);
        var all = infra.table().client().scan(b -> b.tableName(infra.table().name())
                .filterExpression("entity = :e AND eventType = :type AND tenantId = :t")
                .expressionAttributeValues(Map.of(":e", Attr.s("EVENT"), ":type", Attr.s("import.completed"),
                        ":t", Attr.s(a.value())))).items();
        Map<String, Object> env = assertStored(only(all.stream().filter(i -> i.get("envelope").s().contains(importId)).toList(),
                "import.completed"), a, "import.completed", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) env.get("data");
        var getImport = body(api.handleRequest(ApiEvents.request("GET", "/v1/contacts/imports/{id}").path("id", importId)
                .as(a, Scope.READ).build(), new LambdaContext()));
        for (String field : List.of("id", "kind", "status", "done", "total", "createdAt", "updatedAt")) {
            assertEquals(getImport.get(field), data.get(field), field);
        }
        assertEquals(Map.of("created", 1L, "updated", 0L, "rejectedCount", 1L), data.get("result"));
        assertFalse(env.toString().contains("not-an-address"), "rejected rows stay behind the GET");
    }

    @Test
    void oneBatchOfTwoTenantsChangesStoresEachTenantsEventsUnderItsOwnKeysOnly() {
        String ca = newContact(a, "Ada");
        String cb = newContact(b, "Bob");
        deliver(batch(change(null, profile(a, ca)), change(null, profile(b, cb))));
        Map<String, Object> ea = assertStored(only(contactEvents(a, ca), "contact.created"), a, "contact.created", ca);
        Map<String, Object> eb = assertStored(only(contactEvents(b, cb), "contact.created"), b, "contact.created", cb);
        assertFalse(Json.write(ea).contains(cb) || Json.write(ea).contains(b.value()), "tenant B's ids in tenant A's event");
        assertFalse(Json.write(eb).contains(ca) || Json.write(eb).contains(a.value()), "tenant A's ids in tenant B's event");
        assertTrue(contactEvents(a, cb).isEmpty() && contactEvents(b, ca).isEmpty());
    }
}
