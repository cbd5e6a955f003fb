package dev.crm.contacts;

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
import dev.crm.contacts.domain.ContactService;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.contacts.store.dynamodb.DynamoDbContactRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The contacts function through its real handler against DynamoDB Local. */
class ContactsHandlerIT {
    static final ExecutorService POOL = Executors.newFixedThreadPool(20);
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final ContactsHandler handler = new ContactsHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    ApiEvents as(TenantId t, String method, String path) {
        return ApiEvents.request(method, path).as(t, Scope.WRITE);
    }

    Map<String, Object> createContact(TenantId t, String json) {
        var r = call(as(t, "POST", "/v1/contacts").json(json));
        status(r, 201);
        return body(r);
    }

    String newContact(String json) {
        return (String) createContact(tenant, json).get("id");
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    int itemsInPartition(TenantId t, String contactId) {
        return infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId))))
                .build()).count();
    }

    // ---- records ----

    @Test
    void aContactIsCreatedReadAndShownAsGiven() {
        String email = unique("Jane.Doe+") + "@Example.COM";
        var r = call(as(tenant, "POST", "/v1/contacts").json("{\"firstName\": \"Jane\", \"lastName\": \"Doe\", \"email\": \" "
                + email + " \", \"phone\": \"+447700900123\", \"locale\": \"en-GB\", \"timeZone\": \"Europe/London\","
                + " \"lifecycleStage\": \"customer\", \"tags\": [\"vip\", \"vip\", \"newsletter\"],"
                + " \"attributes\": {\"shoeSize\": 38, \"loyal\": true, \"note\": \"likes tea\"}, \"externalId\": \"crm-42\"}"));
        status(r, 201);
        Map<String, Object> c = body(r);
        String id = (String) c.get("id");
        assertTrue(id.startsWith("c_"));
        assertEquals("/v1/contacts/" + id, header(r, "Location"));
        assertEquals("\"1\"", header(r, "ETag"));
        assertEquals(email, c.get("email"), "shown as given (trimmed)");
        assertEquals(List.of("vip", "newsletter"), c.get("tags"));
        assertEquals(38L, ((Map<?, ?>) c.get("attributes")).get("shoeSize"));
        var get = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id).as(tenant, Scope.READ));
        status(get, 200);
        assertEquals(c, body(get));
    }

    @Test
    void badContactsAreRejectedWithPointersAndWriteNothing() {
        String email = unique("bad") + "@example.com";
        var r = call(as(tenant, "POST", "/v1/contacts").json("{\"email\": \"" + email + "\", \"phone\": \"07700 900123\","
                + " \"locale\": \"english\", \"timeZone\": \"Mars/Base\", \"lifecycleStage\": \"vip\", \"tags\": [\"\"],"
                + " \"attributes\": {\"9bad\": 1, \"nested\": {\"x\": 1}}, \"externalId\": \"has space\", \"colour\": \"red\","
                + " \"id\": \"c_aaaaaaaaaaaaaaaaaaaa\", \"firstName\": 7}"));
        problem(r, 400, "validation-error");
        assertEquals(Set.of("/id", "/colour", "/firstName", "/phone", "/locale", "/timeZone", "/lifecycleStage", "/tags/0",
                "/attributes/9bad", "/attributes/nested", "/externalId"), new HashSet<>(pointers(r)));
        problem(call(as(tenant, "POST", "/v1/contacts").json("{\"email\": \"not-an-email\"}")), 400, "validation-error");
        problem(call(as(tenant, "POST", "/v1/contacts").json("{}")), 400, "validation-error");
        problem(call(as(tenant, "POST", "/v1/contacts").json("{\"tenantId\": \"" + TenantId.generate() + "\", \"email\": \""
                + email + "\"}")), 400, "validation-error");
        problem(call(ApiEvents.request("POST", "/v1/contacts").as(tenant, Scope.READ).json("{\"email\": \"" + email + "\"}")),
                403, "forbidden");
        assertNull(infra.table().get(dev.crm.shared.contact.EmailAddress.guardKey(tenant, infra.tenants().find(tenant).secrets(), email), Keys.ITEM));
    }

    @Test
    void emailsAreUniquePerTenantIgnoringCaseAndSpaces() {
        String email = unique("dup") + "@example.com";
        String first = newContact("{\"email\": \"" + email + "\"}");
        var dup = call(as(tenant, "POST", "/v1/contacts").json("{\"email\": \"  " + email.toUpperCase() + "\"}"));
        Map<String, Object> p = problem(dup, 409, "duplicate");
        assertEquals(first, p.get("existingId"));
        assertEquals(List.of("/email"), pointers(dup));
        String ext = unique("ext-");
        newContact("{\"externalId\": \"" + ext + "\"}");
        problem(call(as(tenant, "POST", "/v1/contacts").json("{\"externalId\": \"" + ext + "\"}")), 409, "duplicate");
        // another tenant may hold the same address
        TenantId other = TestInfrastructure.tenant(infra).id();
        createContact(other, "{\"email\": \"" + email + "\"}");
    }

    @Test
    void twentyConcurrentCreatesWithOneEmailGiveOneContact() throws Exception {
        String email = unique("race") + "@example.com";
        List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(POOL.submit(() -> call(as(tenant, "POST", "/v1/contacts").json("{\"email\": \"" + email + "\"}"))));
        }
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (var f : results) {
            var r = f.get();
            if (r.getStatusCode() == 201) {
                created++;
                ids.add((String) body(r).get("id"));
            } else {
                assertEquals(409, r.getStatusCode(), r.getBody());
                ids.add((String) body(r).get("existingId"));
            }
        }
        assertEquals(1, created);
        assertEquals(1, ids.size(), "every loser names the one contact");
        var list = call(ApiEvents.request("GET", "/v1/contacts").query("email", email).as(tenant, Scope.READ));
        assertEquals(1, ((List<?>) body(list).get("items")).size());
    }

    @Test
    void patchIsAMergePatchGuardedByIfMatch() {
        String email = unique("p") + "@example.com";
        String id = newContact("{\"firstName\": \"Ann\", \"email\": \"" + email + "\", \"tags\": [\"a\"],"
                + " \"attributes\": {\"x\": 1, \"y\": \"keep\"}}");
        String newEmail = unique("q") + "@example.com";
        String patch = "{\"email\": \"" + newEmail + "\", \"firstName\": null, \"lastName\": \"Smith\", \"attributes\": {\"x\": null, \"z\": true}}";
        problem(call(as(tenant, "PATCH", "/v1/contacts/{id}").path("id", id).body("application/merge-patch+json", patch)),
                428, "precondition-required");
        problem(call(as(tenant, "PATCH", "/v1/contacts/{id}").path("id", id).header("If-Match", "\"5\"")
                .body("application/merge-patch+json", patch)), 412, "precondition-failed");
        var bad = call(as(tenant, "PATCH", "/v1/contacts/{id}").path("id", id).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"id\": \"c_bbbbbbbbbbbbbbbbbbbb\", \"version\": 9, \"nope\": 1}"));
        assertEquals(Set.of("/id", "/version", "/nope"), new HashSet<>(pointers(bad)));
        var ok = call(as(tenant, "PATCH", "/v1/contacts/{id}").path("id", id).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", patch.replace("{\"email", "{\"id\": \"" + id + "\", \"version\": 1, \"email")));
        status(ok, 200);
        Map<String, Object> c = body(ok);
        assertEquals("\"2\"", header(ok, "ETag"));
        assertNull(c.get("firstName"));
        assertEquals("Smith", c.get("lastName"));
        assertEquals(Map.of("y", "keep", "z", true), c.get("attributes"));
        assertEquals(List.of("a"), c.get("tags"));
        // the old address is free again, the new one taken
        newContact("{\"email\": \"" + email + "\"}");
        problem(call(as(tenant, "POST", "/v1/contacts").json("{\"email\": \"" + newEmail + "\"}")), 409, "duplicate");
    }

    @Test
    void twentyConcurrentPatchesWithOneIfMatchGiveOneSuccess() throws Exception {
        String id = newContact("{\"firstName\": \"Zed\"}");
        List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            results.add(POOL.submit(() -> call(as(tenant, "PATCH", "/v1/contacts/{id}").path("id", id).header("If-Match", "\"1\"")
                    .body("application/merge-patch+json", "{\"company\": \"Writer " + n + "\"}"))));
        }
        int ok = 0;
        int stale = 0;
        for (var f : results) {
            int s = f.get().getStatusCode();
            ok += s == 200 ? 1 : 0;
            stale += s == 412 ? 1 : 0;
        }
        assertEquals(1, ok);
        assertEquals(19, stale);
        var get = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id).as(tenant, Scope.READ));
        assertEquals(2L, body(get).get("version"));
    }

    @Test
    void listsFilterAndPage() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            createContact(t, "{\"firstName\": \"C" + i + "\", \"lifecycleStage\": \"" + (i % 2 == 0 ? "lead" : "customer")
                    + "\", \"tags\": [" + (i < 2 ? "\"vip\"" : "") + "], \"externalId\": \"x" + i + "\"}");
        }
        var all = call(ApiEvents.request("GET", "/v1/contacts").query("limit", "2").as(t, Scope.READ));
        List<?> page1 = (List<?>) body(all).get("items");
        assertEquals(2, page1.size());
        assertEquals("C4", ((Map<?, ?>) page1.get(0)).get("firstName"), "most recently updated first");
        String cursor = (String) body(all).get("nextCursor");
        var next = call(ApiEvents.request("GET", "/v1/contacts").query("limit", "2").query("cursor", cursor).as(t, Scope.READ));
        assertEquals("C2", ((Map<?, ?>) ((List<?>) body(next).get("items")).get(0)).get("firstName"));
        problem(call(ApiEvents.request("GET", "/v1/contacts").query("tag", "vip").query("cursor", cursor).as(t, Scope.READ)),
                400, "invalid-cursor");
        problem(call(ApiEvents.request("GET", "/v1/contacts").query("cursor", cursor).as(tenant, Scope.READ)), 400, "invalid-cursor");

        var leads = call(ApiEvents.request("GET", "/v1/contacts").query("lifecycleStage", "lead").as(t, Scope.READ));
        assertEquals(3, ((List<?>) body(leads).get("items")).size());
        var vips = call(ApiEvents.request("GET", "/v1/contacts").query("tag", "vip").as(t, Scope.READ));
        assertEquals(2, ((List<?>) body(vips).get("items")).size());
        var byExt = call(ApiEvents.request("GET", "/v1/contacts").query("externalId", "x3").as(t, Scope.READ));
        assertEquals("C3", ((Map<?, ?>) ((List<?>) body(byExt).get("items")).get(0)).get("firstName"));
        var since = call(ApiEvents.request("GET", "/v1/contacts").query("updatedSince", clock.instant().minusSeconds(1).toString())
                .as(t, Scope.READ));
        assertEquals(2, ((List<?>) body(since).get("items")).size());
        var bad = call(ApiEvents.request("GET", "/v1/contacts").query("lifecycleStage", "king").query("updatedSince", "yesterday")
                .query("sort", "name").as(t, Scope.READ));
        assertEquals(Set.of("lifecycleStage", "updatedSince", "sort"), new HashSet<>(pointers(bad)));
    }

    // ---- touch points and the purchase summary ----

    Map<String, Object> interaction(String contactId, String json) {
        var r = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", contactId).json(json));
        assertTrue(r.getStatusCode() == 201 || r.getStatusCode() == 200, r.getBody());
        return body(r);
    }

    String purchase(String id, String at, String amount) {
        return "{\"id\": \"" + id + "\", \"type\": \"purchase\", \"channel\": \"web\", \"occurredAt\": \"" + at
                + "\", \"value\": {\"amount\": \"" + amount + "\", \"currency\": \"EUR\"}}";
    }

    PurchaseSummary stored(String contactId) {
        return dev.crm.contacts.store.dynamodb.TestAccess.summary(infra.table(), tenant, contactId);
    }

    PurchaseSummary recomputed(String contactId) {
        return new ContactService(new DynamoDbContactRepository(infra.table(), TestInfrastructure.tenantSecrets(infra)), clock)
                .recomputePurchases(tenant, contactId, ZoneId.of("UTC"), "EUR");
    }

    @Test
    void aReplayedTouchPointStoresNothingNewAndAClashingIdIsAConflict() {
        String c = newContact("{\"firstName\": \"Tim\"}");
        interaction(c, "{\"id\": \"call-1\", \"type\": \"call\", \"channel\": \"phone\", \"summary\": \"asked about delivery\"}");
        int before = itemsInPartition(tenant, c);
        var replay = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"call-1\", \"type\": \"call\", \"channel\": \"phone\", \"summary\": \"asked about delivery\","
                        + " \"occurredAt\": \"2026-11-24T10:00:00Z\"}"));
        status(replay, 200);
        assertEquals("true", header(replay, "Idempotent-Replayed"));
        assertEquals(before, itemsInPartition(tenant, c));
        problem(call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"call-1\", \"type\": \"complaint\"}")), 409, "conflict");
        assertEquals(before, itemsInPartition(tenant, c));
    }

    @Test
    void badTouchPointsAreRejectedAndWriteNothing() {
        String c = newContact("{\"firstName\": \"Val\"}");
        int before = itemsInPartition(tenant, c);
        var r = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"bad id!\", \"type\": \"purchase\", \"occurredAt\": \"2030-01-01T00:00:00Z\", \"value\": {\"amount\": 20.5}}"));
        assertEquals(Set.of("/id", "/occurredAt", "/value/amount"), new HashSet<>(pointers(r)));
        var neg = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"p1\", \"type\": \"purchase\", \"value\": {\"amount\": \"-1\", \"currency\": \"EURO\"}}"));
        assertEquals(Set.of("/value/amount", "/value/currency"), new HashSet<>(pointers(neg)));
        var noValue = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c).json("{\"id\": \"p2\", \"type\": \"purchase\"}"));
        assertEquals(List.of("/value"), pointers(noValue));
        var nullValue = call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c)
                .json("{\"id\": \"p2\", \"type\": \"purchase\", \"value\": null}"));
        assertEquals(List.of("/value"), pointers(nullValue));
        problem(call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", "c_00000000000000000000")
                .json("{\"id\": \"p3\", \"type\": \"call\"}")), 404, "not-found");
        assertEquals(before, itemsInPartition(tenant, c));
    }

    @Test
    void backDatedSameDayAndReplayedPurchasesLeaveTheSummaryAsRecomputed() {
        String c = newContact("{\"firstName\": \"Pam\"}");
        interaction(c, purchase("o-1", "2026-11-10T09:00:00Z", "20.00"));
        interaction(c, purchase("o-2", "2026-11-10T18:00:00Z", "5.50"));   // same day
        interaction(c, purchase("o-3", "2026-11-20T12:00:00Z", "100"));    // repeat day
        interaction(c, purchase("o-4", "2026-10-01T12:00:00Z", "7.25"));   // back-dated: new first day
        interaction(c, purchase("o-3", "2026-11-20T12:00:00Z", "100"));    // replay
        interaction(c, purchase("o-5", "2026-11-15T12:00:00Z", "0"));      // zero value, between
        interaction(c, "{\"id\": \"o-6\", \"type\": \"purchase\", \"occurredAt\": \"2026-11-16T12:00:00Z\","
                + " \"value\": {\"amount\": \"30\", \"currency\": \"USD\"}}"); // another currency: a day, no spend
        PurchaseSummary s = stored(c);
        assertTrue(s.sameFigures(recomputed(c)), s + " vs " + recomputed(c));
        assertEquals("2026-10-01", s.firstPurchaseDay().toString());
        assertEquals(0, s.firstDaySpend().compareTo(new java.math.BigDecimal("7.25")));
        assertEquals("2026-11-20", s.lastPurchaseDay().toString());
        assertEquals(4, s.repeatPurchaseDays(), "Nov 10, 15, 16, 20 after the first day");
        assertEquals(0, s.repeatSpend().compareTo(new java.math.BigDecimal("125.50")));
        assertEquals(0, s.totalSpend().compareTo(new java.math.BigDecimal("132.75")));
        assertEquals(6, s.purchases());
    }

    @Test
    void concurrentPurchasesOnOneContactAllSucceed() throws Exception {
        String c = newContact("{\"firstName\": \"Busy\"}");
        List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String at = "2026-11-" + (10 + i % 7) + "T1" + (i % 10) + ":00:00Z";
            String body = purchase("cp-" + i, at, (i + 1) + ".10");
            results.add(POOL.submit(() -> call(as(tenant, "POST", "/v1/contacts/{id}/interactions").path("id", c).json(body))));
        }
        for (var f : results) {
            status(f.get(), 201);
        }
        PurchaseSummary s = stored(c);
        assertEquals(20, s.purchases());
        assertTrue(s.sameFigures(recomputed(c)), s + " vs " + recomputed(c));
        assertEquals(0, s.totalSpend().compareTo(new java.math.BigDecimal("212.00")));
    }

    @Test
    void theTimelineIsNewestFirstAndPaged() {
        String c = newContact("{\"firstName\": \"Lou\"}");
        for (int i = 0; i < 5; i++) {
            interaction(c, "{\"id\": \"e" + i + "\", \"type\": \"email\", \"occurredAt\": \"2026-11-0" + (i + 1) + "T10:00:00Z\"}");
        }
        var p1 = call(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", c).query("limit", "3").as(tenant, Scope.READ));
        List<?> items = (List<?>) body(p1).get("items");
        assertEquals(List.of("e4", "e3", "e2"), items.stream().map(m -> ((Map<?, ?>) m).get("id")).toList());
        assertEquals("interaction", ((Map<?, ?>) items.get(0)).get("kind"));
        var p2 = call(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", c).query("limit", "3")
                .query("cursor", (String) body(p1).get("nextCursor")).as(tenant, Scope.READ));
        assertEquals(List.of("e1", "e0"), ((List<?>) body(p2).get("items")).stream().map(m -> ((Map<?, ?>) m).get("id")).toList());
        assertNull(body(p2).get("nextCursor"));
    }

    @Test
    void the360ViewHasEverythingInOnePlace() {
        String c = newContact("{\"firstName\": \"Ada\", \"lifecycleStage\": \"customer\"}");
        for (int i = 0; i < 12; i++) {
            interaction(c, purchase("v" + i, "2026-11-" + (10 + i) + "T10:00:00Z", "10"));
        }
        interaction(c, "{\"id\": \"cmp\", \"type\": \"complaint\", \"occurredAt\": \"2026-11-23T10:00:00Z\"}");
        // a churn score as the retention job writes it (its own item, with its API view)
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> score = new HashMap<>(
                Table.key(Keys.contact(tenant, c), Keys.CHURN_SCORE));
        score.put("view", Attr.of(Map.of("pAlive", 0.42, "riskTier", "high")));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(score).build());

        var r = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", c).query("view", "360").as(tenant, Scope.READ));
        status(r, 200);
        Map<String, Object> v = body(r);
        assertEquals("Ada", v.get("firstName"));
        assertEquals(0L, ((Map<?, ?>) v.get("preferences")).get("version"));
        assertEquals("high", ((Map<?, ?>) v.get("churnScore")).get("riskTier"));
        Map<?, ?> purchases = (Map<?, ?>) v.get("purchaseSummary");
        assertEquals(11L, purchases.get("repeatPurchaseDays"));
        assertEquals(1L, purchases.get("complaints"));
        List<?> recent = (List<?>) v.get("recentInteractions");
        assertEquals(10, recent.size());
        assertEquals("cmp", ((Map<?, ?>) recent.get(0)).get("id"));
        problem(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", c).query("view", "full").as(tenant, Scope.READ)),
                400, "validation-error");
    }

    // ---- segments ----

    @Test
    void segmentsSelectByFieldsTagsAndPurchases() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        String big = (String) createContact(t, "{\"firstName\": \"Big\", \"lifecycleStage\": \"customer\", \"tags\": [\"vip\"]}").get("id");
        createContact(t, "{\"firstName\": \"Small\", \"lifecycleStage\": \"customer\"}");
        createContact(t, "{\"firstName\": \"Lead\", \"lifecycleStage\": \"lead\", \"tags\": [\"vip\"]}");
        status(call(as(t, "POST", "/v1/contacts/{id}/interactions").path("id", big).json(purchase("s1", "2026-11-01T10:00:00Z", "600"))), 201);

        var seg = call(as(t, "POST", "/v1/segments").json("{\"name\": \"Valuable customers\", \"rule\": {\"all\": ["
                + "{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"customer\"},"
                + "{\"any\": [{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"},"
                + "           {\"field\": \"purchases.totalSpend\", \"op\": \"gte\", \"value\": \"500\"}]}]}}"));
        status(seg, 201);
        String segId = (String) body(seg).get("id");
        var members = call(ApiEvents.request("GET", "/v1/segments/{id}/contacts").path("id", segId).as(t, Scope.READ));
        assertEquals(List.of("Big"), ((List<?>) body(members).get("items")).stream().map(m -> ((Map<?, ?>) m).get("firstName")).toList());
        var viaList = call(ApiEvents.request("GET", "/v1/contacts").query("segment", segId).as(t, Scope.READ));
        assertEquals(1, ((List<?>) body(viaList).get("items")).size());

        var bad = call(as(t, "POST", "/v1/segments").json("{\"name\": \"x\", \"rule\": {\"all\": ["
                + "{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"customer\"},"
                + "{\"field\": \"purchases.totalSpend\", \"op\": \"contains\", \"value\": \"5\"},"
                + "{\"field\": \"shoeSize\", \"op\": \"eq\", \"value\": 1}]}}"));
        problem(bad, 400, "validation-error");
        assertEquals(List.of("/rule/all/1/op", "/rule/all/2/field"), pointers(bad));
        var numberPrefix = call(as(t, "POST", "/v1/segments").json("{\"name\": \"x\", \"rule\": "
                + "{\"field\": \"attributes.size\", \"op\": \"starts_with\", \"value\": 3}}"));
        assertEquals(List.of("/rule/value"), pointers(numberPrefix));
        status(call(as(t, "DELETE", "/v1/segments/{id}").path("id", segId)), 204);
        problem(call(ApiEvents.request("GET", "/v1/segments/{id}").path("id", segId).as(t, Scope.READ)), 404, "not-found");
    }

    /** The churn run keeps each customer's RFM quintiles on their churn score; segment rules select by them. */
    @Test
    void segmentsSelectByTheChurnRunsRfmQuintiles() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        TenantId other = TestInfrastructure.tenant(infra).id();
        String best = (String) createContact(t, "{\"firstName\": \"Best\"}").get("id");
        String lapsed = (String) createContact(t, "{\"firstName\": \"Lapsed\"}").get("id");
        createContact(t, "{\"firstName\": \"Unscored\"}");
        String elsewhere = (String) createContact(other, "{\"firstName\": \"Elsewhere\"}").get("id");
        churnScore(t, best, 5, 4, 5);
        churnScore(t, lapsed, 1, 4, 5);
        churnScore(other, elsewhere, 5, 5, 5);
        String rule = "{\"name\": \"Champions\", \"rule\": {\"all\": [{\"field\": \"rfm.score\", \"op\": \"gte\", \"value\": 12},"
                + "{\"field\": \"rfm.r\", \"op\": \"gte\", \"value\": 4}]}}";
        var seg = call(as(t, "POST", "/v1/segments").json(rule));
        status(seg, 201);
        var members = call(ApiEvents.request("GET", "/v1/segments/{id}/contacts").path("id", (String) body(seg).get("id"))
                .as(t, Scope.READ));
        assertEquals(List.of("Best"), ((List<?>) body(members).get("items")).stream().map(m -> ((Map<?, ?>) m).get("firstName")).toList());
        var lowRecency = call(as(t, "POST", "/v1/segments").json("{\"name\": \"Slipping\", \"rule\": "
                + "{\"field\": \"rfm.r\", \"op\": \"lte\", \"value\": 2}}"));
        var slipping = call(ApiEvents.request("GET", "/v1/segments/{id}/contacts").path("id", (String) body(lowRecency).get("id"))
                .as(t, Scope.READ));
        assertEquals(List.of("Lapsed"), ((List<?>) body(slipping).get("items")).stream().map(m -> ((Map<?, ?>) m).get("firstName")).toList());
    }

    /** A churn score item as the churn run writes it (docs/data-model.md "Churn"), with its RFM quintiles. */
    private void churnScore(TenantId t, String contactId, int r, int f, int m) {
        Map<String, Object> rfm = Map.of("r", (long) r, "f", (long) f, "m", (long) m, "score", (long) (r + f + m));
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("pAlive", new java.math.BigDecimal("0.5"));
        view.put("riskTier", "low");
        view.put("runId", "run_00000000000000000000");
        view.put("rfm", rfm);
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(Map.of(
                "PK", dev.crm.shared.store.dynamodb.Attr.s(dev.crm.shared.store.dynamodb.Keys.contact(t, contactId)),
                "SK", dev.crm.shared.store.dynamodb.Attr.s(dev.crm.shared.store.dynamodb.Keys.CHURN_SCORE),
                "entity", dev.crm.shared.store.dynamodb.Attr.s("CHURN_SCORE"),
                "contactId", dev.crm.shared.store.dynamodb.Attr.s(contactId),
                "view", dev.crm.shared.store.dynamodb.Attr.of(view))));
    }

    // ---- tenant isolation ----

    @Test
    void tenantBCannotReadListChangeOrInferTenantAsContacts() {
        String email = unique("iso") + "@example.com";
        String a = newContact("{\"firstName\": \"Secret\", \"email\": \"" + email + "\", \"tags\": [\"vip\"]}");
        interaction(a, "{\"id\": \"i1\", \"type\": \"call\"}");
        TenantId b = TestInfrastructure.tenant(infra).id();
        String missing = "c_00000000000000000000";
        for (String id : List.of(a, missing)) {
            problem(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id).as(b, Scope.READ)), 404, "not-found");
            problem(call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", id).query("view", "360").as(b, Scope.READ)), 404, "not-found");
            problem(call(as(b, "PATCH", "/v1/contacts/{id}").path("id", id).header("If-Match", "\"1\"")
                    .body("application/merge-patch+json", "{\"firstName\": \"Hacked\"}")), 404, "not-found");
            problem(call(as(b, "POST", "/v1/contacts/{id}/interactions").path("id", id).json("{\"id\": \"x\", \"type\": \"call\"}")),
                    404, "not-found");
            problem(call(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", id).as(b, Scope.READ)), 404, "not-found");
        }
        var foreign = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", a).as(b, Scope.READ));
        var absent = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", missing).as(b, Scope.READ));
        assertEquals(body(absent).get("detail"), body(foreign).get("detail"));
        assertEquals(List.of(), body(call(ApiEvents.request("GET", "/v1/contacts").query("email", email).as(b, Scope.READ))).get("items"));
        assertFalse(call(ApiEvents.request("GET", "/v1/contacts").as(b, Scope.READ)).getBody().contains(a));
        assertFalse(call(ApiEvents.request("GET", "/v1/contacts").query("tag", "vip").as(b, Scope.READ)).getBody().contains(a));
        var mine = call(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", a).as(tenant, Scope.READ));
        assertEquals("Secret", body(mine).get("firstName"));
        assertEquals(1L, body(mine).get("version"));
        assertNotNull(mine);
    }
}
