package dev.crm.preferences;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.preferences.domain.ConsentLedgerReplay;
import dev.crm.preferences.entrypoints.PreferenceJobsWorker;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.preferences.store.dynamodb.DynamoDbPreferencesRepository;
import dev.crm.preferences.store.dynamodb.PreferenceChangeDecoder;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.shared.tenant.Ids;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The consent import through the real handler and job worker on DynamoDB Local: what the product's own
 * read routes show after it is what the same changes as live PUTs show; a crashed job resumes and writes
 * every line once; tenants stay apart; rejected lines change nothing; nothing is announced.
 */
class ConsentImportIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final TenantId a = TestInfrastructure.tenant(infra).id();
    private final TenantId b = TestInfrastructure.tenant(infra).id();
    private final PreferencesHandler handler = new PreferencesHandler(infra);
    private final Fixtures fx = new Fixtures(infra, handler);

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private String startImport(TenantId t, String ndjson) {
        var r = call(Fixtures.as(t, Scope.WRITE, "POST", "/v1/preferences/imports").body("application/x-ndjson", ndjson));
        status(r, 202);
        String location = header(r, "Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private APIGatewayProxyResponseEvent job(TenantId t, String id) {
        return call(Fixtures.as(t, Scope.READ, "GET", "/v1/preferences/imports/{id}").path("id", id));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run(TenantId t, String id) {
        new PreferenceJobsWorker(infra).handleRequest(SampleEvents.jobQueued(Keys.job(t, id)), new LambdaContext(() -> 900_000));
        var r = job(t, id);
        status(r, 200);
        Map<String, Object> body = body(r);
        assertEquals("succeeded", body.get("status"), body.toString());
        return (Map<String, Object>) body.get("result");
    }

    private static String line(String contactId, String at, String preferences) {
        return "{\"contactId\": \"" + contactId + "\", \"at\": \"" + at + "\", \"preferences\": " + preferences + "}\n";
    }

    private Map<String, Object> getPreferences(TenantId t, String contactId) {
        var r = call(Fixtures.as(t, Scope.READ, "GET", "/v1/contacts/{id}/preferences").path("id", contactId));
        status(r, 200);
        Map<String, Object> m = new LinkedHashMap<>(body(r));
        m.remove("contactId");
        return m;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> history(TenantId t, String contactId) {
        var r = call(Fixtures.as(t, Scope.READ, "GET", "/v1/contacts/{id}/consent-history").path("id", contactId)
                .query("limit", "100"));
        status(r, 200);
        return (List<Map<String, Object>>) body(r).get("items");
    }

    /** What a history entry says about consent, without who wrote it, when and under which id. */
    private static List<List<Object>> changes(List<Map<String, Object>> history) {
        List<List<Object>> out = new ArrayList<>();
        for (var e : history) {
            out.add(java.util.Arrays.asList(e.get("channel"), e.get("topic"), e.get("oldStatus"), e.get("newStatus"),
                    e.get("legalBasis")));
        }
        return out;
    }

    private Map<String, Object> decide(TenantId t, String contactId, String channel, String topic) {
        var r = call(Fixtures.as(t, Scope.READ, "POST", "/v1/contacts/{id}/contact-decisions").path("id", contactId)
                .json("{\"channel\": \"" + channel + "\"" + (topic == null ? "" : ", \"topic\": \"" + topic + "\"")
                        + ", \"messageClass\": \"marketing\"}"));
        status(r, 200);
        Map<String, Object> m = new LinkedHashMap<>(body(r));
        m.remove("contactId");
        return m;
    }

    private void live(TenantId t, String contactId, long ifMatch, String preferences) {
        status(call(Fixtures.as(t, Scope.WRITE, "PUT", "/v1/contacts/{id}/preferences").path("id", contactId)
                .header("If-Match", "\"" + ifMatch + "\"").json(preferences)), 200);
    }

    private List<Map<String, AttributeValue>> partition(TenantId t, String contactId, String prefix) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :p)").consistentRead(true)
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":p", Attr.s(prefix)))
                .build()).items();
    }

    /** Contacts as the import checks them (an active profile), written in batches: the test is about the import. */
    private List<String> activeContacts(TenantId t, int n) {
        List<String> ids = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Ids.random("c_", 20);
            Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
            item.put("status", Attr.s("active"));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            ids.add(id);
        }
        BatchWrites.write(infra.table(), writes);
        return ids;
    }

    private void topic(TenantId t, String key) {
        status(call(Fixtures.as(t, Scope.WRITE, "POST", "/v1/topics").json("{\"key\": \"" + key + "\", \"name\": \"N\"}")), 201);
    }

    private static final String SEPT = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"news\": \"opted_in\"}}},"
            + " \"legalBasis\": \"consent\", \"source\": \"legacy\"}";
    private static final String OCT = "{\"channels\": {\"email\": {\"status\": \"opted_out\", \"topics\": {\"news\": \"opted_in\"}},"
            + " \"sms\": {\"status\": \"opted_in\"}}, \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\"},"
            + " \"legalBasis\": \"consent\", \"source\": \"legacy\"}";

    @Test
    @SuppressWarnings("unchecked")
    void anImportShowsWhatTheSameLivePutsShowAndRejectsWhatAPutWouldWithoutChangingAnything() {
        topic(a, "news");
        topic(b, "news");
        String imported = fx.contact(a, "Europe/Berlin");
        String byHand = fx.contact(a, "Europe/Berlin");
        String newerLive = fx.contact(a, "Europe/Berlin");
        String othersContact = fx.contact(b, "Europe/Berlin");
        live(a, newerLive, 0, "{\"channels\": {\"email\": {\"status\": \"opted_out\"}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}");
        // the file out of time order: the contact's lines apply by their at
        String id = startImport(a, line(imported, "2026-10-01T10:00:00Z", OCT)
                + line(imported, "2026-09-01T10:00:00Z", SEPT)
                + "\n"
                + line(othersContact, "2026-09-01T10:00:00Z", SEPT)
                + line("c_00000000000000000000", "2026-09-01T10:00:00Z", SEPT)
                + line(imported, "2027-01-01T00:00:00Z", SEPT)
                + line(imported, "2026-09-02T10:00:00Z", "{\"channels\": {\"email\": {\"status\": \"pending\"}},"
                        + " \"legalBasis\": \"consent\", \"source\": \"legacy\"}")
                + "{not json\n"
                + line(newerLive, "2026-09-01T10:00:00Z", "{\"channels\": {\"email\": {\"status\": \"opted_in\"},"
                        + " \"sms\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"consent\"}")
                        .replace("}\n", ", \"source\": \"legacy\"}\n"));
        Map<String, Object> result = run(a, id);
        assertEquals(3L, ((Number) result.get("imported")).longValue(), result.toString());
        Map<Object, Object> pointers = new HashMap<>();
        for (var r : (List<Map<String, Object>>) result.get("rejected")) {
            pointers.put(((Number) r.get("line")).intValue(), ((List<Map<String, Object>>) r.get("errors")).get(0).get("pointer"));
        }
        assertEquals(Map.of(3, "/contactId", 4, "/contactId", 5, "/at", 6, "/preferences/channels/email/status", 7, ""),
                pointers);

        // the same changes as two live PUTs
        live(a, byHand, 0, SEPT);
        live(a, byHand, 1, OCT);
        assertEquals(getPreferences(a, byHand), getPreferences(a, imported));
        assertEquals(2L, ((Number) getPreferences(a, imported).get("version")).longValue());
        List<Map<String, Object>> importedHistory = history(a, imported);
        // in append order (both live PUTs share one instant, so the route's time order cannot tell them apart)
        var repository = new DynamoDbPreferencesRepository(infra.table(), TestInfrastructure.tenantSecrets(infra));
        assertEquals(changes(repository.ledger(a, byHand).stream().map(e -> e.toJson()).toList()),
                changes(repository.ledger(a, imported).stream().map(e -> e.toJson()).toList()));
        assertEquals(history(a, byHand).size(), importedHistory.size());
        for (var e : importedHistory) {
            assertEquals("import:" + id, e.get("actor"));
            assertEquals("legacy", e.get("source"));
            assertNull(e.get("ip"));
            assertNull(e.get("userAgent"));
            assertTrue(List.of("2026-09-01T10:00:00Z", "2026-10-01T10:00:00Z").contains(e.get("at")), e.toString());
        }
        for (String channel : List.of("email", "sms")) {
            assertEquals(decide(a, byHand, channel, null), decide(a, imported, channel, null), channel);
        }
        assertEquals(decide(a, byHand, "email", "news"), decide(a, imported, "email", "news"));
        // counted from the items: the ledger explains the state, one timeline entry per change
        var ledger = repository.ledger(a, imported);
        assertEquals(importedHistory.size(), ledger.size());
        assertEquals(Preferences.fromStored(new LinkedHashMap<>(getPreferences(a, imported))).channels(),
                ConsentLedgerReplay.replay(ledger));
        assertEquals(ledger.size(), partition(a, imported, Keys.TIMELINE_PREFIX).size());

        // a status changed live after the line's at keeps its newer value; the rest of the line applies
        Map<String, Object> newer = getPreferences(a, newerLive);
        assertEquals("opted_out", ((Map<String, Object>) ((Map<String, Object>) newer.get("channels")).get("email")).get("status"));
        assertEquals("opted_in", ((Map<String, Object>) ((Map<String, Object>) newer.get("channels")).get("sms")).get("status"));
        assertEquals(1, history(a, newerLive).stream().filter(e -> "import:".concat(id).equals(e.get("actor"))).count());

        // rejects changed nothing: the other tenant's contact is untouched
        assertEquals(0L, ((Number) getPreferences(b, othersContact).get("version")).longValue());
        assertEquals(List.of(), history(b, othersContact));

        // a migrated history is not news: none of its ledger items is announced
        List<Map<String, AttributeValue>> items = new ArrayList<>(partition(a, imported, Keys.LEDGER_PREFIX));
        assertEquals(4, items.size());
        PreferenceChangeDecoder decoder = new PreferenceChangeDecoder();
        for (var item : items) {
            assertEquals(List.of(), decoder.events(TableChange.of(StreamRecords.change("ins-" + Attr.str(item, Table.SK),
                    clock.instant(), null, item)).get(0)));
        }
    }

    @Test
    void theImportIsTheTenantsAlone() {
        String mine = fx.contact(a, "Europe/Berlin");
        String id = startImport(a, line(mine, "2026-09-01T10:00:00Z", "{\"channels\": {\"sms\": {\"status\": \"opted_in\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"legacy\"}"));
        var missing = job(b, "cnimp_00000000000000000000");
        var others = job(b, id);
        status(others, 404);
        status(missing, 404);
        Map<String, Object> o = new HashMap<>(body(others));
        Map<String, Object> m = new HashMap<>(body(missing));
        o.remove("instance");
        m.remove("instance");
        assertEquals(m, o, "another tenant's import reads exactly as a missing one");
        run(a, id);
        // B's import cannot name A's contact
        String theirs = startImport(b, line(mine, "2026-10-01T10:00:00Z", "{\"channels\": {\"sms\": {\"status\": \"opted_out\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"legacy\"}"));
        assertEquals(0L, ((Number) run(b, theirs).get("imported")).longValue());
        assertEquals(1L, ((Number) getPreferences(a, mine).get("version")).longValue());
        assertEquals(1, history(a, mine).size());
    }

    @Test
    void emptyOrOversizedFilesAreRefusedAtOnce() {
        status(call(Fixtures.as(a, Scope.WRITE, "POST", "/v1/preferences/imports").body("application/x-ndjson", "\n \n")), 400);
        String tooMany = "{}\n".repeat(20_001);
        status(call(Fixtures.as(a, Scope.WRITE, "POST", "/v1/preferences/imports").body("application/x-ndjson", tooMany)), 400);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCrashedImportResumesAndWritesEveryLineOnce() {
        topic(a, "news");
        int contacts = 30;
        List<String> ids = activeContacts(a, contacts);
        StringBuilder ndjson = new StringBuilder();
        // four lines a contact, interleaved, so each step's transactions hold several contacts
        for (int i = 0; i < 4; i++) {
            for (String c : ids) {
                ndjson.append(line(c, "2026-0" + (i + 5) + "-01T10:00:00Z", i % 2 == 0 ? SEPT : OCT));
            }
        }
        String id = startImport(a, ndjson.toString());
        FaultInjector faults = new FaultInjector();
        PreferenceJobsWorker crashing = new PreferenceJobsWorker(TestInfrastructure.create(clock, Map.of(), faults));
        for (int writesBeforeCrash : new int[] {3, 6}) {
            faults.crashAfter(writesBeforeCrash, FaultInjector.WRITES);
            assertThrows(RuntimeException.class, () -> crashing.handleRequest(SampleEvents.jobQueued(Keys.job(a, id)),
                    new LambdaContext(() -> 900_000)));
            faults.off();
            assertTrue(faults.injected() > 0);
            clock.advance(java.time.Duration.ofMinutes(3)); // the crashed worker's lease runs out
        }
        // and a lost checkpoint: the first step runs again over lines that have their outcome
        infra.table().client().updateItem(r -> r.tableName(infra.table().name()).key(Table.key(Keys.job(a, id), Keys.ITEM))
                .updateExpression("SET #c = :c").expressionAttributeNames(Map.of("#c", "checkpoint"))
                .expressionAttributeValues(Map.of(":c", Attr.of(Map.of("nextLine", 1L)))));
        Map<String, Object> result = run(a, id);
        assertEquals((long) contacts * 4, ((Number) result.get("imported")).longValue());
        assertEquals(List.of(), result.get("rejected"));
        var repository = new DynamoDbPreferencesRepository(infra.table(), TestInfrastructure.tenantSecrets(infra));
        Map<String, Object> expected = null;
        for (String c : ids) {
            Map<String, Object> state = getPreferences(a, c);
            expected = expected == null ? state : expected;
            assertEquals(expected, state, c);
            assertEquals(4L, ((Number) state.get("version")).longValue(), "one version a changing line");
            var ledger = repository.ledger(a, c);
            // Sept: email, news; Oct: email out, sms in; Sept: email in, sms removed; Oct: email out, sms in
            assertEquals(8, ledger.size(), c);
            assertEquals(Preferences.fromStored(new LinkedHashMap<>(state)).channels(), ConsentLedgerReplay.replay(ledger));
            assertEquals(8, partition(a, c, Keys.TIMELINE_PREFIX).size(), c);
        }
        assertEquals("opted_out", ((Map<String, Object>) ((Map<String, Object>) expected.get("channels")).get("email"))
                .get("status"));
    }
}
