package dev.crm.preferences;

import static dev.crm.preferences.Fixtures.as;
import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentLedgerReplay;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.entrypoints.PreferencesHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The preferences function's authenticated routes through the real handler against DynamoDB Local. */
class PreferencesHandlerIT {
    static final ExecutorService POOL = Executors.newFixedThreadPool(10);
    static final String LONDON = "Europe/London";

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final PreferencesHandler handler = new PreferencesHandler(infra);
    private final Fixtures fx = new Fixtures(infra, handler);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return fx.call(e);
    }

    ApiEvents write(String method, String path) {
        return as(tenant, Scope.WRITE, method, path);
    }

    ApiEvents read(String method, String path) {
        return as(tenant, Scope.READ, method, path);
    }

    APIGatewayProxyResponseEvent put(TenantId t, String contactId, long ifMatch, String json) {
        return call(as(t, Scope.WRITE, "PUT", "/v1/contacts/{id}/preferences").path("id", contactId)
                .header("If-Match", "\"" + ifMatch + "\"").json(json));
    }

    Map<String, Object> get(String contactId) {
        var r = call(read("GET", "/v1/contacts/{id}/preferences").path("id", contactId));
        status(r, 200);
        return body(r);
    }

    Map<String, Object> decide(String contactId, String json) {
        var r = call(read("POST", "/v1/contacts/{id}/contact-decisions").path("id", contactId).json(json));
        status(r, 200);
        return body(r);
    }

    static String marketingEmail(String topic, String at) {
        return "{\"channel\": \"email\"" + (topic == null ? "" : ", \"topic\": \"" + topic + "\"")
                + ", \"messageClass\": \"marketing\"" + (at == null ? "" : ", \"at\": \"" + at + "\"") + "}";
    }

    static void assertDecision(Map<String, Object> d, boolean allowed, String reason, String nextAllowedAt) {
        assertEquals(allowed, d.get("allowed"), d::toString);
        assertEquals(reason, d.get("reason"), d::toString);
        assertEquals(nextAllowedAt, d.get("nextAllowedAt"), d::toString);
    }

    void assertStateIsTheLedgerReplayed(TenantId t, String contactId) {
        List<LedgerEntry> ledger = fx.ledger(t, contactId);
        var items = fx.items(t, contactId, Keys.PREFERENCES);
        Preferences stored = items.isEmpty() ? Preferences.empty() : Preferences.fromStored(Attr.map(items.get(0), "view"));
        assertEquals(stored.channels(), ConsentLedgerReplay.replay(ledger));
    }

    // ---- topics ----

    @Test
    void topicsAreCreatedListedPagedAndUnique() {
        var created = call(write("POST", "/v1/topics").json("{\"key\": \"newsletter\", \"name\": \"Newsletter\","
                + " \"description\": \"Once a month\"}"));
        status(created, 201);
        assertEquals(Map.of("key", "newsletter", "name", "Newsletter", "description", "Once a month",
                "createdAt", "2026-11-23T10:00:00Z"), body(created));
        problem(call(write("POST", "/v1/topics").json("{\"key\": \"newsletter\", \"name\": \"Again\"}")), 409, "duplicate");
        var bad = call(write("POST", "/v1/topics").json("{\"key\": \"Bad Key\", \"name\": \"\", \"colour\": 1}"));
        problem(bad, 400, "validation-error");
        assertEquals(List.of("/colour", "/key", "/name"), pointers(bad));
        problem(call(read("POST", "/v1/topics").json("{\"key\": \"offers\", \"name\": \"Offers\"}")), 403, "forbidden");
        for (String key : List.of("offers", "events", "b2b-news")) {
            fx.topic(tenant, key);
        }
        var page1 = call(read("GET", "/v1/topics").query("limit", "3"));
        status(page1, 200);
        List<?> items = (List<?>) body(page1).get("items");
        assertEquals(List.of("b2b-news", "events", "newsletter"), items.stream().map(i -> ((Map<?, ?>) i).get("key")).toList());
        var page2 = call(read("GET", "/v1/topics").query("limit", "3").query("cursor", (String) body(page1).get("nextCursor")));
        assertEquals(List.of("offers"), ((List<?>) body(page2).get("items")).stream().map(i -> ((Map<?, ?>) i).get("key")).toList());
        assertNull(body(page2).get("nextCursor"));
        problem(call(read("GET", "/v1/topics").query("sort", "name")), 400, "validation-error");
        problem(call(read("GET", "/v1/topics").query("cursor", "forged.cursor.value")), 400, "invalid-cursor");
    }

    @Test
    void concurrentCreatesOfOneTopicGiveOneAndOfManyTopicsGiveAll() throws Exception {
        List<Future<APIGatewayProxyResponseEvent>> same = new ArrayList<>();
        List<Future<APIGatewayProxyResponseEvent>> different = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            same.add(POOL.submit(() -> call(write("POST", "/v1/topics").json("{\"key\": \"race\", \"name\": \"Race\"}"))));
        }
        int created = 0;
        for (var f : same) {
            var r = f.get();
            if (r.getStatusCode() == 201) {
                created++;
            } else {
                problem(r, 409, "duplicate");
            }
        }
        assertEquals(1, created);
        for (int i = 0; i < 10; i++) {
            String key = "topic-" + i;
            different.add(POOL.submit(() -> call(write("POST", "/v1/topics").json("{\"key\": \"" + key + "\", \"name\": \"x\"}"))));
        }
        for (var f : different) {
            status(f.get(), 201);
        }
        var all = call(read("GET", "/v1/topics").query("limit", "200"));
        assertEquals(11, ((List<?>) body(all).get("items")).size());
        assertEquals(11, countOf(tenant), "the counter counted every topic once");
    }

    long countOf(TenantId t) {
        return Attr.num(infra.table().get(t.value() + "#TOPICS", Keys.ITEM), "topicCount", -1);
    }

    @Test
    void aTenantHasAtMostAHundredTopics() {
        for (int i = 0; i < 100; i++) {
            fx.topic(tenant, "t" + i);
        }
        problem(call(write("POST", "/v1/topics").json("{\"key\": \"one-more\", \"name\": \"x\"}")), 409, "conflict");
        assertEquals(100, countOf(tenant));
    }

    // ---- preferences ----

    @Test
    void neverSetPreferencesAreTheEmptyStateAtVersionZero() {
        String c = fx.contact(tenant, LONDON);
        var r = call(read("GET", "/v1/contacts/{id}/preferences").path("id", c));
        status(r, 200);
        assertEquals("\"0\"", header(r, "ETag"));
        assertEquals("{\"channels\":{},\"frequencyCaps\":{},\"quietHours\":null,\"pausedUntil\":null,\"version\":0}",
                Json.write(body(r)));
        problem(call(read("GET", "/v1/contacts/{id}/preferences").path("id", "c_00000000000000000000")), 404, "not-found");
        problem(call(read("GET", "/v1/contacts/{id}/preferences").path("id", "not-an-id")), 404, "not-found");
    }

    @Test
    void aPutStoresTheStateItsViewAndOneLedgerAndTimelineEntryPerChangeInOneWrite() {
        fx.topic(tenant, "newsletter");
        fx.topic(tenant, "offers");
        String c = fx.contact(tenant, LONDON);
        String body = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\": \"opted_in\","
                + " \"offers\": \"opted_out\"}}}, \"frequencyCaps\": {\"email\": {\"max\": 3, \"period\": \"P7D\"}},"
                + " \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\"}, \"pausedUntil\": null,"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}";
        problem(call(write("PUT", "/v1/contacts/{id}/preferences").path("id", c).json(body)), 428, "precondition-required");
        problem(put(tenant, c, 3, body), 412, "precondition-failed");
        assertEquals(Set.of(Keys.CONTACT_PROFILE), fx.contactPartition(tenant, c).keySet(),
                "nothing written by the refused PUTs");

        var ok = put(tenant, c, 0, body);
        status(ok, 200);
        assertEquals("\"1\"", header(ok, "ETag"));
        Map<String, Object> state = body(ok);
        assertEquals(1L, state.get("version"));
        assertEquals(state, get(c), "GET returns what the PUT answered");

        // the preferences item carries the API representation for the 360-degree view
        Map<String, AttributeValue> item = fx.items(tenant, c, Keys.PREFERENCES).get(0);
        assertEquals(state, Attr.map(item, "view"));
        assertEquals("PREFERENCES", Attr.str(item, "entity"));

        List<Map<String, AttributeValue>> ledger = fx.items(tenant, c, Keys.LEDGER_PREFIX);
        List<Map<String, AttributeValue>> timeline = fx.items(tenant, c, Keys.TIMELINE_PREFIX);
        assertEquals(3, ledger.size(), "email, email/newsletter, email/offers");
        assertEquals(3, timeline.size());
        Instant at = clock.instant();
        for (var e : ledger) {
            String entryId = Attr.str(e, "entryId");
            assertEquals(Keys.ledgerEntry(at, entryId), Attr.str(e, "SK"));
            assertEquals("consent", Attr.str(e, "legalBasis"));
            assertEquals("crm-ui", Attr.str(e, "source"));
            assertEquals("key:key_test", Attr.str(e, "actor"));
            assertEquals(1L, Attr.num(e, "stateVersion", 0));
            assertTrue(timeline.stream().anyMatch(tl -> Attr.str(tl, "SK").equals(Keys.timeline(at, "consent_change", entryId))));
        }
        Map<String, AttributeValue> first = timeline.stream().filter(tl -> "newsletter".equals(Attr.map(tl, "data").get("topic")))
                .findFirst().orElseThrow();
        assertEquals("TIMELINE", Attr.str(first, "entity"));
        assertEquals("consent_change", Attr.str(first, "kind"));
        assertEquals(Map.of("channel", "email", "topic", "newsletter", "newStatus", "opted_in", "source", "crm-ui",
                "legalBasis", "consent"), withoutNulls(Attr.map(first, "data")));
        assertTrue(Attr.map(first, "data").containsKey("oldStatus"));

        // the second PUT: a topic removed, one flipped, another legal basis
        clock.advance(Duration.ofMinutes(5));
        var second = put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"offers\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"contract\", \"source\": \"import\", \"version\": 1}");
        status(second, 200);
        assertEquals(2L, body(second).get("version"));
        assertNull(body(second).get("quietHours"), "an omitted field is none");
        List<LedgerEntry> entries = fx.ledger(tenant, c);
        assertEquals(5, entries.size());
        assertEquals(LegalBasis.CONTRACT, entries.get(4).legalBasis());
        assertStateIsTheLedgerReplayed(tenant, c);

        // a PUT that changes nothing writes nothing
        Map<String, String> before = fx.contactPartition(tenant, c);
        status(put(tenant, c, 2, Json.write(body(second))), 200);
        assertEquals(before, fx.contactPartition(tenant, c));
    }

    static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void everyBadInputIsAProblemAndWritesNothing() {
        fx.topic(tenant, "newsletter");
        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}"), 200);
        Map<String, String> before = fx.contactPartition(tenant, c);

        problem(put(tenant, c, 1, "{\"channels\": "), 400, "malformed-json");
        problem(put(tenant, c, 1, "{\"channels\": {}, \"channels\": {}}"), 400, "malformed-json");
        problem(put(tenant, c, 1, "[]"), 400, "validation-error");
        var unknown = put(tenant, c, 1, "{\"channels\": {}, \"colour\": \"red\", \"tenantId\": \"" + tenant + "\"}");
        problem(unknown, 400, "validation-error");
        assertEquals(Set.of("/colour", "/tenantId"), new HashSet<>(pointers(unknown)));
        var types = put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": 5, \"topics\": []}, \"fax\": {}},"
                + " \"frequencyCaps\": {\"email\": {\"max\": \"3\", \"period\": \"P1W\"}}, \"quietHours\": {\"start\": \"9pm\","
                + " \"end\": \"08:00\"}, \"pausedUntil\": 7, \"legalBasis\": \"because\", \"source\": \"crm-ui\"}");
        problem(types, 400, "validation-error");
        assertEquals(Set.of("/channels/email/status", "/channels/email/topics", "/channels/fax",
                "/frequencyCaps/email/max", "/frequencyCaps/email/period", "/quietHours/start", "/pausedUntil",
                "/legalBasis"), new HashSet<>(pointers(types)));
        var pending = put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"pending\"}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}");
        problem(pending, 400, "validation-error");
        assertEquals(List.of("/channels/email/status"), pointers(pending));
        var unknownTopic = put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                + " {\"offers\": \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}");
        assertEquals(List.of("/channels/email/topics/offers"), pointers(unknownTopic));
        assertEquals(List.of("/legalBasis", "/source"), pointers(put(tenant, c, 1, "{\"channels\": {}}")));
        assertEquals(List.of("/version"), pointers(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}},"
                + " \"version\": 7}")));
        problem(put(tenant, c, 1, "{\"channels\": {}, \"source\": \"" + "x".repeat(70_000) + "\"}"), 413, "payload-too-large");
        problem(call(write("PUT", "/v1/contacts/{id}/preferences").path("id", c).header("If-Match", "\"1\"")
                .body("text/plain", "{\"channels\": {}}")), 415, "unsupported-media-type");
        problem(call(as(tenant, Scope.READ, "PUT", "/v1/contacts/{id}/preferences").path("id", c).header("If-Match", "\"1\"")
                .json("{\"channels\": {}}")), 403, "forbidden");
        problem(put(tenant, c, 9, "{\"channels\": {}}"), 412, "precondition-failed");
        problem(call(write("PUT", "/v1/contacts/{id}/preferences").path("id", c).json("{\"channels\": {}}")), 428,
                "precondition-required");
        assertEquals(before, fx.contactPartition(tenant, c), "no bad request wrote anything");
        assertEquals(1L, get(c).get("version"));
    }

    @Test
    void onePutChangesAtMostFortyEightConsentStatuses() {
        for (int i = 0; i < 48; i++) {
            fx.topic(tenant, "topic-" + i);
        }
        String c = fx.contact(tenant, LONDON);
        StringBuilder topics = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            topics.append(i == 0 ? "" : ", ").append("\"topic-").append(i).append("\": \"opted_in\"");
        }
        // the channel and 48 topics: 49 changes, one over
        var tooMany = put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + topics
                + "}}}, \"legalBasis\": \"consent\", \"source\": \"import\"}");
        problem(tooMany, 400, "validation-error");
        assertEquals(List.of("/channels"), pointers(tooMany));
        assertEquals(Set.of(Keys.CONTACT_PROFILE), fx.contactPartition(tenant, c).keySet());
        // 48 fit in one transaction (2 + 2 × 48 = 98 items)
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"topics\": {" + topics + "}}}, \"legalBasis\": \"consent\","
                + " \"source\": \"import\"}"), 200);
        status(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {" + topics
                + "}}}, \"legalBasis\": \"consent\", \"source\": \"import\", \"version\": 1}"), 200);
        assertEquals(49, fx.ledger(tenant, c).size());
        assertStateIsTheLedgerReplayed(tenant, c);
    }

    @Test
    void tenConcurrentPutsWithOneIfMatchGiveOneSuccessAndLoseNothing() throws Exception {
        for (int i = 0; i < 10; i++) {
            fx.topic(tenant, "t" + i);
        }
        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}"), 200);
        List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"t" + i + "\": \"opted_in\"}}},"
                    + " \"legalBasis\": \"consent\", \"source\": \"writer-" + i + "\"}";
            results.add(POOL.submit(() -> put(tenant, c, 1, body)));
        }
        String winner = null;
        int preconditionFailed = 0;
        for (var f : results) {
            var r = f.get();
            if (r.getStatusCode() == 200) {
                assertNull(winner, "only one PUT wins");
                winner = Json.write(body(r));
            } else {
                problem(r, 412, "precondition-failed");
                preconditionFailed++;
            }
        }
        assertEquals(9, preconditionFailed);
        assertNotNull(winner);
        assertEquals(2L, get(c).get("version"));
        List<LedgerEntry> ledger = fx.ledger(tenant, c);
        assertEquals(2, ledger.size(), "the first PUT's channel change and the winner's topic: one entry per change");
        assertStateIsTheLedgerReplayed(tenant, c);
        assertEquals(2, fx.items(tenant, c, Keys.TIMELINE_PREFIX).size());
    }

    @Test
    void theConsentHistoryListsTheLedgerOldestFirstInPages() {
        fx.topic(tenant, "newsletter");
        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        clock.advance(Duration.ofHours(1));
        status(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_out\", \"topics\": {\"newsletter\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        var p1 = call(read("GET", "/v1/contacts/{id}/consent-history").path("id", c).query("limit", "2"));
        status(p1, 200);
        List<?> items = (List<?>) body(p1).get("items");
        assertEquals(2, items.size());
        Map<?, ?> firstEntry = (Map<?, ?>) items.get(0);
        assertEquals("2026-11-23T10:00:00Z", firstEntry.get("at"));
        assertEquals(c, firstEntry.get("contactId"));
        assertEquals(Set.of("id", "contactId", "at", "actor", "channel", "topic", "oldStatus", "newStatus", "legalBasis",
                "source", "wordingVersion", "ip", "userAgent"), firstEntry.keySet());
        var p2 = call(read("GET", "/v1/contacts/{id}/consent-history").path("id", c).query("limit", "2")
                .query("cursor", (String) body(p1).get("nextCursor")));
        Map<?, ?> last = (Map<?, ?>) ((List<?>) body(p2).get("items")).get(0);
        assertEquals("opted_in", last.get("oldStatus"));
        assertEquals("opted_out", last.get("newStatus"));
        assertNull(body(p2).get("nextCursor"));
        problem(call(read("GET", "/v1/contacts/{id}/consent-history").path("id", "c_00000000000000000000")), 404, "not-found");
    }

    // ---- decisions ----

    @Test
    void everyDecisionReasonThroughTheRoute() {
        fx.topic(tenant, "newsletter");
        fx.topic(tenant, "offers");
        // the tenant's default: two marketing emails a week
        fx.settings(tenant, new TenantSettings(List.of(), "UTC", "EUR",
                Map.of("email", new TenantSettings.DefaultFrequencyCap(2, 7)), null));
        String at = "2026-11-23T12:00:00Z";

        String fresh = fx.contact(tenant, LONDON);
        assertDecision(decide(fresh, marketingEmail("newsletter", at)), false, "no_consent", null);

        String out = fx.contact(tenant, LONDON);
        status(put(tenant, out, 0, "{\"channels\": {\"email\": {\"status\": \"opted_out\", \"topics\": {\"newsletter\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        assertDecision(decide(out, marketingEmail("newsletter", at)), false, "opted_out_channel", null);

        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\":"
                + " \"opted_in\", \"offers\": \"opted_out\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        assertDecision(decide(c, marketingEmail("offers", at)), false, "opted_out_topic", null);
        assertDecision(decide(c, marketingEmail("newsletter", at)), true, null, at);
        assertDecision(decide(c, marketingEmail(null, at)), true, null, at);
        // at defaults to now
        assertDecision(decide(c, marketingEmail("newsletter", null)), true, null, "2026-11-23T10:00:00Z");

        // pending: through the public subscription (only the double opt-in sets it)
        String email = Fixtures.uniqueEmail("pending");
        String p = fx.contact(tenant, email, LONDON);
        status(call(ApiEvents.request("POST", "/v1/public/t/{tenantSlug}/subscribe").path("tenantSlug", slug())
                .json("{\"email\": \"" + email + "\", \"topics\": [\"newsletter\"]}")), 202);
        assertDecision(decide(p, marketingEmail("newsletter", at)), false, "pending_double_opt_in", null);

        // paused until the next morning; the cap and quiet hours then decide on top
        status(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\":"
                + " \"opted_in\", \"offers\": \"opted_out\"}}}, \"pausedUntil\": \"2026-11-25T09:00:00Z\","
                + " \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\"}}"), 200);
        assertDecision(decide(c, marketingEmail("newsletter", at)), false, "paused", "2026-11-25T09:00:00Z");

        // the tenant's default cap: two sends in the last seven days
        status(put(tenant, c, 2, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\":"
                + " \"opted_in\", \"offers\": \"opted_out\"}}}, \"quietHours\": {\"start\": \"21:00\", \"end\": \"08:00\"}}"), 200);
        recordSend(c, "s-1", "2026-11-18T09:00:00Z");
        recordSend(c, "s-2", "2026-11-20T09:00:00Z");
        assertDecision(decide(c, marketingEmail("newsletter", at)), false, "frequency_cap", "2026-11-25T09:00:00Z");

        // the issue's example: quiet hours until 08:00 in London
        assertDecision(decide(c, marketingEmail("newsletter", "2026-11-26T22:30:00Z")), false, "quiet_hours",
                "2026-11-27T08:00:00Z");

        // transactional messages are not marketing
        assertDecision(decide(out, "{\"channel\": \"email\", \"messageClass\": \"transactional\", \"at\": \"" + at + "\"}"),
                true, null, at);
        // the body is checked; a read key may ask
        var bad = call(read("POST", "/v1/contacts/{id}/contact-decisions").path("id", c)
                .json("{\"channel\": \"fax\", \"messageClass\": \"spam\", \"at\": \"tomorrow\", \"colour\": 1}"));
        assertEquals(Set.of("/channel", "/messageClass", "/at", "/colour"), new HashSet<>(pointers(bad)));
        problem(call(read("POST", "/v1/contacts/{id}/contact-decisions").path("id", "c_00000000000000000000")
                .json(marketingEmail(null, at))), 404, "not-found");
    }

    String slug() {
        return infra.tenants().find(tenant).slug();
    }

    void recordSend(String contactId, String id, String at) {
        var r = call(write("POST", "/v1/contacts/{id}/sends").path("id", contactId)
                .json("{\"id\": \"" + id + "\", \"channel\": \"email\", \"topic\": \"newsletter\", \"at\": \"" + at + "\"}"));
        status(r, 201);
    }

    @Test
    void quietHoursFollowTheContactsClockAcrossBothDstChanges() {
        String c = fx.contact(tenant, "Europe/Berlin");
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"quietHours\": {\"start\": \"21:00\","
                + " \"end\": \"08:00\"}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        // spring forward (2026-03-29): 08:00 CEST is 06:00Z, not 07:00Z
        assertDecision(decide(c, marketingEmail(null, "2026-03-28T21:30:00Z")), false, "quiet_hours", "2026-03-29T06:00:00Z");
        assertDecision(decide(c, marketingEmail(null, "2026-03-29T05:59:59.999Z")), false, "quiet_hours", "2026-03-29T06:00:00Z");
        assertDecision(decide(c, marketingEmail(null, "2026-03-29T06:00:00Z")), true, null, "2026-03-29T06:00:00Z");
        // fall back (2026-10-25): 08:00 CET is 07:00Z, not 06:00Z
        assertDecision(decide(c, marketingEmail(null, "2026-10-24T20:00:00Z")), false, "quiet_hours", "2026-10-25T07:00:00Z");
        assertDecision(decide(c, marketingEmail(null, "2026-10-25T06:30:00Z")), false, "quiet_hours", "2026-10-25T07:00:00Z");
        assertDecision(decide(c, marketingEmail(null, "2026-10-25T07:00:00Z")), true, null, "2026-10-25T07:00:00Z");
        // quiet hours that end inside the skipped hour end at the jump (02:00 CET → 03:00 CEST = 01:00Z)
        status(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"quietHours\": {\"start\": \"22:00\","
                + " \"end\": \"02:30\"}}"), 200);
        assertDecision(decide(c, marketingEmail(null, "2026-03-28T21:00:00Z")), false, "quiet_hours", "2026-03-29T01:00:00Z");
        // and in the repeated hour of the autumn night, 02:30 comes twice: the first one ends them
        assertDecision(decide(c, marketingEmail(null, "2026-10-24T20:00:00Z")), false, "quiet_hours", "2026-10-25T00:30:00Z");
    }

    @Test
    void aRollingCapLiftsExactlyWhenTheOldestSendLeavesTheWindow() {
        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"frequencyCaps\": {\"email\":"
                + " {\"max\": 2, \"period\": \"P1D\"}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        recordSend(c, "a", "2026-11-22T11:00:00Z");  // 23 h before now
        recordSend(c, "b", "2026-11-23T09:00:00Z");  // 1 h before now
        // (now − 1 day, now] holds both: capped until the first one is a day old
        assertDecision(decide(c, marketingEmail(null, null)), false, "frequency_cap", "2026-11-23T11:00:00Z");
        clock.set(Instant.parse("2026-11-23T10:59:59.999Z"));
        assertDecision(decide(c, marketingEmail(null, null)), false, "frequency_cap", "2026-11-23T11:00:00Z");
        // at exactly send + period the send is at the window's open end, outside it
        clock.set(Instant.parse("2026-11-23T11:00:00Z"));
        assertDecision(decide(c, marketingEmail(null, null)), true, null, "2026-11-23T11:00:00Z");
        // a send recorded now closes the window again until the second send is a day old
        recordSend(c, "c", "2026-11-23T11:00:00Z");
        assertDecision(decide(c, marketingEmail(null, null)), false, "frequency_cap", "2026-11-24T09:00:00Z");
        // other channels are not counted
        status(put(tenant, c, 1, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}, \"sms\": {\"status\": \"opted_in\"}},"
                + " \"frequencyCaps\": {\"email\": {\"max\": 2, \"period\": \"P1D\"}, \"sms\": {\"max\": 1, \"period\": \"P1D\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        assertDecision(decide(c, "{\"channel\": \"sms\", \"messageClass\": \"marketing\"}"), true, null, "2026-11-23T11:00:00Z");
    }

    // ---- sends ----

    @Test
    void aSendIsRecordedOnceByItsId() {
        String c = fx.contact(tenant, LONDON);
        var first = call(write("POST", "/v1/contacts/{id}/sends").path("id", c)
                .json("{\"id\": \"campaign-7:c1\", \"channel\": \"email\", \"topic\": \"newsletter\"}"));
        status(first, 201);
        assertEquals(Map.of("id", "campaign-7:c1", "channel", "email", "topic", "newsletter", "at", "2026-11-23T10:00:00Z"),
                body(first));
        clock.advance(Duration.ofMinutes(1));
        var replay = call(write("POST", "/v1/contacts/{id}/sends").path("id", c)
                .json("{\"id\": \"campaign-7:c1\", \"channel\": \"email\", \"topic\": \"newsletter\"}"));
        status(replay, 200);
        assertEquals("true", header(replay, "Idempotent-Replayed"));
        assertEquals(body(first), body(replay), "the first report's instant is kept");
        problem(call(write("POST", "/v1/contacts/{id}/sends").path("id", c)
                .json("{\"id\": \"campaign-7:c1\", \"channel\": \"sms\"}")), 409, "conflict");
        assertEquals(1, fx.items(tenant, c, "S#").size());
        Map<String, AttributeValue> stored = fx.items(tenant, c, "S#email#").get(0);
        assertTrue(Attr.num(stored, "expiresAt", 0) > Instant.parse("2027-11-23T10:00:00Z").getEpochSecond(),
                "kept beyond the longest cap period");

        var bad = call(write("POST", "/v1/contacts/{id}/sends").path("id", c)
                .json("{\"id\": \"has space\", \"channel\": \"fax\", \"at\": \"2026-11-24T10:00:00Z\", \"extra\": true}"));
        assertEquals(Set.of("/id", "/channel", "/at", "/extra"), new HashSet<>(pointers(bad)));
        problem(call(write("POST", "/v1/contacts/{id}/sends").path("id", "c_00000000000000000000")
                .json("{\"id\": \"x\", \"channel\": \"email\"}")), 404, "not-found");
        problem(call(read("POST", "/v1/contacts/{id}/sends").path("id", c).json("{\"id\": \"y\", \"channel\": \"email\"}")),
                403, "forbidden");
        assertEquals(1, fx.items(tenant, c, "S#").size());
    }

    // ---- links ----

    @Test
    void linksCarrySignedTokensOnThePublicBaseUrl() {
        fx.topic(tenant, "newsletter");
        fx.topic(tenant, "offers");
        fx.topic(tenant, "events");
        String c = fx.contact(tenant, LONDON);
        status(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"newsletter\":"
                + " \"opted_in\", \"offers\": \"opted_out\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        problem(call(read("GET", "/v1/contacts/{id}/links").path("id", c)), 403, "forbidden");
        var r = call(write("GET", "/v1/contacts/{id}/links").path("id", c));
        status(r, 200);
        Map<String, Object> links = body(r);
        String base = "http://127.0.0.1:3000";
        assertTrue(((String) links.get("preferenceCentreUrl")).startsWith(base + "/preferences.html?token="));
        assertTrue(((String) links.get("unsubscribeAllUrl")).startsWith(base + "/v1/public/unsubscribe?token="));
        Map<?, ?> perTopic = (Map<?, ?>) links.get("unsubscribeUrls");
        assertEquals(Set.of("newsletter"), perTopic.keySet(), "opted-in topics only");
        Map<?, ?> headers = (Map<?, ?>) links.get("headers");
        assertEquals("<" + links.get("unsubscribeAllUrl") + ">", headers.get("List-Unsubscribe"));
        assertEquals("List-Unsubscribe=One-Click", headers.get("List-Unsubscribe-Post"));
        assertEquals("no-store", header(r, "Cache-Control"));

        var forTopic = body(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("topic", "newsletter")));
        assertTrue(((String) ((Map<?, ?>) forTopic.get("headers")).get("List-Unsubscribe")).contains("/v1/public/unsubscribe?token="));
        assertFalse(((Map<?, ?>) forTopic.get("headers")).get("List-Unsubscribe").equals(headers.get("List-Unsubscribe")));
        status(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("topic", "events")), 200);
        problem(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("topic", "unknown")), 400, "validation-error");
        problem(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("channel", "fax")), 400, "validation-error");
        problem(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("colour", "red")), 400, "validation-error");
        problem(call(write("GET", "/v1/contacts/{id}/links").path("id", "c_00000000000000000000")), 404, "not-found");
        // SMS links list the SMS topics (none)
        assertEquals(Map.of(), body(call(write("GET", "/v1/contacts/{id}/links").path("id", c).query("channel", "sms")))
                .get("unsubscribeUrls"));
    }

    // ---- isolation ----

    @Test
    void tenantBCannotReadChangeOrInferTenantAsPreferencesOrTopics() {
        fx.topic(tenant, "secret-topic");
        String a = fx.contact(tenant, LONDON);
        status(put(tenant, a, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"secret-topic\":"
                + " \"opted_in\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}"), 200);
        Map<String, String> before = fx.contactPartition(tenant, a);
        TenantId b = TestInfrastructure.tenant(infra).id();
        String missing = "c_00000000000000000000";
        List<String> foreignBodies = new ArrayList<>();
        List<String> missingBodies = new ArrayList<>();
        for (String id : List.of(a, missing)) {
            List<APIGatewayProxyResponseEvent> answers = List.of(
                    call(as(b, Scope.READ, "GET", "/v1/contacts/{id}/preferences").path("id", id)),
                    put(b, id, 1, "{\"channels\": {}, \"legalBasis\": \"consent\", \"source\": \"x\"}"),
                    call(as(b, Scope.READ, "GET", "/v1/contacts/{id}/consent-history").path("id", id)),
                    call(as(b, Scope.READ, "POST", "/v1/contacts/{id}/contact-decisions").path("id", id)
                            .json(marketingEmail(null, null))),
                    call(as(b, Scope.WRITE, "POST", "/v1/contacts/{id}/sends").path("id", id)
                            .json("{\"id\": \"s\", \"channel\": \"email\"}")),
                    call(as(b, Scope.WRITE, "GET", "/v1/contacts/{id}/links").path("id", id)));
            for (var r : answers) {
                problem(r, 404, "not-found");
                (id.equals(a) ? foreignBodies : missingBodies).add(((String) body(r).get("detail")));
            }
        }
        assertEquals(missingBodies, foreignBodies, "a foreign contact answers exactly like a missing one");
        assertEquals(List.of(), body(call(as(b, Scope.READ, "GET", "/v1/topics"))).get("items"));
        // B may use the same topic key: its topics are its own
        fx.topic(b, "secret-topic");
        assertEquals(before, fx.contactPartition(tenant, a));
        assertEquals(1, ((List<?>) body(call(read("GET", "/v1/topics"))).get("items")).size());
    }

    @Test
    void aContactBeingErasedIsNotFound() {
        String c = fx.contact(tenant, LONDON);
        fx.markErasing(tenant, c);
        problem(call(read("GET", "/v1/contacts/{id}/preferences").path("id", c)), 404, "not-found");
        problem(put(tenant, c, 0, "{\"channels\": {\"email\": {\"status\": \"opted_in\"}}, \"legalBasis\": \"consent\","
                + " \"source\": \"crm-ui\"}"), 404, "not-found");
        assertEquals(Set.of(Keys.CONTACT_PROFILE), fx.contactPartition(tenant, c).keySet());
    }

    @Test
    void theChannelsAreTheOnesTenantSettingsKnow() {
        assertEquals(TenantSettings.MARKETING_CHANNELS,
                Arrays.stream(Channel.values()).map(Channel::wire).toList());
    }
}
