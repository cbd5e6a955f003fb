package dev.crm.tenants;

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
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.tenants.domain.TenantService;
import dev.crm.tenants.entrypoints.DeprovisionWorker;
import dev.crm.tenants.entrypoints.TenantsHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The tenants function through its real handler against DynamoDB Local. */
class TenantsHandlerIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final TenantsHandler handler = new TenantsHandler(infra);

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private static String uniqueSlug() {
        return "acme-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Map<String, Object> provision(String slug) {
        var r = call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"Acme Ltd\", \"slug\": \"" + slug + "\"}"));
        status(r, 201);
        return body(r);
    }

    private boolean slugExists(String slug) {
        return infra.tenants().findBySlug(slug) != null;
    }

    @Test
    void provisioningReturnsTheTenantAndAnAdminKeyShownOnce() {
        String slug = uniqueSlug();
        var r = call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"Acme Ltd\", \"slug\": \"" + slug + "\"}"));
        status(r, 201);
        Map<String, Object> b = body(r);
        String tenantId = (String) b.get("tenantId");
        assertTrue(TenantId.isValid(tenantId));
        assertEquals(slug, b.get("slug"));
        String key = (String) b.get("apiKey");
        assertTrue(key.startsWith(ApiKeys.PREFIX));
        assertEquals("/v1/tenants/" + tenantId, header(r, "Location"));
        var record = infra.tenants().findByKeyHash(ApiKeys.hash(key));
        assertEquals(Scope.ADMIN, record.scope());
        assertEquals(tenantId, record.tenantId().value());

        // the secret exists nowhere in the table: only its hash
        var scan = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name()).build());
        assertFalse(scan.items().toString().contains(key));
    }

    @Test
    void aTakenSlugIsAConflictAndWritesNothing() {
        String slug = uniqueSlug();
        provision(slug);
        int before = infra.tenants().listTenantIds().size();
        var r = call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"Other\", \"slug\": \"" + slug + "\"}"));
        problem(r, 409, "duplicate");
        assertEquals(List.of("/slug"), pointers(r));
        assertEquals(before, infra.tenants().listTenantIds().size());
    }

    @Test
    void concurrentProvisioningOfOneSlugCreatesOneTenant() throws Exception {
        String slug = uniqueSlug();
        int before = infra.tenants().listTenantIds().size();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<APIGatewayProxyResponseEvent>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> call(ApiEvents.request("POST", "/v1/tenants").operator()
                    .json("{\"name\": \"Racer\", \"slug\": \"" + slug + "\"}"))));
        }
        int created = 0;
        int conflicts = 0;
        for (var f : results) {
            int s = f.get().getStatusCode();
            if (s == 201) {
                created++;
            } else if (s == 409) {
                conflicts++;
            }
        }
        pool.shutdown();
        assertEquals(1, created);
        assertEquals(7, conflicts);
        assertEquals(before + 1, infra.tenants().listTenantIds().size());
    }

    @Test
    void badProvisioningBodiesAreRejectedAndWriteNothing() {
        int before = infra.tenants().listTenantIds().size();
        String slug = uniqueSlug();
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator().json("{\"name\": \"x\", ")), 400, "malformed-json");
        var unknown = call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"x\", \"slug\": \"" + slug + "\", \"tenantId\": \"t_aaaaaaaaaaaaaaaaaaaa\"}"));
        problem(unknown, 400, "validation-error");
        assertEquals(List.of("/tenantId"), pointers(unknown));
        var wrongType = call(ApiEvents.request("POST", "/v1/tenants").operator().json("{\"name\": 5, \"slug\": \"" + slug + "\"}"));
        assertEquals(List.of("/name"), pointers(wrongType));
        var badSlug = call(ApiEvents.request("POST", "/v1/tenants").operator().json("{\"name\": \"x\", \"slug\": \"Bad Slug!\"}"));
        assertEquals(List.of("/slug"), pointers(badSlug));
        var missing = call(ApiEvents.request("POST", "/v1/tenants").operator().json("{}"));
        assertEquals(List.of("/name", "/slug"), pointers(missing));
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator().json("[1,2]")), 400, "validation-error");
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator()
                .body("text/plain", "{\"name\": \"x\", \"slug\": \"" + slug + "\"}")), 415, "unsupported-media-type");
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"" + "x".repeat(70_000) + "\", \"slug\": \"" + slug + "\"}")), 413, "payload-too-large");
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"a\", \"name\": \"b\", \"slug\": \"" + slug + "\"}")), 400, "malformed-json");
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": " + "[".repeat(100) + "]".repeat(100) + "}")), 400, "malformed-json");
        assertEquals(before, infra.tenants().listTenantIds().size());
        assertFalse(slugExists(slug));
    }

    @Test
    void onlyTheOperatorProvisions() {
        var tenant = TestInfrastructure.tenant(infra);
        String slug = uniqueSlug();
        problem(call(ApiEvents.request("POST", "/v1/tenants").as(tenant.id(), Scope.ADMIN)
                .json("{\"name\": \"x\", \"slug\": \"" + slug + "\"}")), 403, "forbidden");
        problem(call(ApiEvents.request("POST", "/v1/tenants")
                .json("{\"name\": \"x\", \"slug\": \"" + slug + "\"}")), 401, "unauthorized");
        assertFalse(slugExists(slug));
        // and the operator reads no tenant's data
        problem(call(ApiEvents.request("GET", "/v1/tenant").operator()), 403, "forbidden");
    }

    @Test
    void provisioningIsIdempotentPerKey() {
        String slug = uniqueSlug();
        String key = UUID.randomUUID().toString();
        var first = call(ApiEvents.request("POST", "/v1/tenants").operator().header("Idempotency-Key", key)
                .json("{\"name\": \"Acme\", \"slug\": \"" + slug + "\"}"));
        status(first, 201);
        var replay = call(ApiEvents.request("POST", "/v1/tenants").operator().header("Idempotency-Key", key)
                .json("{ \"slug\": \"" + slug + "\", \"name\": \"Acme\" }"));
        status(replay, 201);
        assertEquals("true", header(replay, "Idempotent-Replayed"));
        assertEquals(body(first), body(replay));
        problem(call(ApiEvents.request("POST", "/v1/tenants").operator().header("Idempotency-Key", key)
                .json("{\"name\": \"Other\", \"slug\": \"" + uniqueSlug() + "\"}")), 422, "idempotency-key-reused");
    }

    @Test
    void settingsNeedIfMatchAndRejectBadValues() {
        var tenant = TestInfrastructure.tenant(infra);
        var get = call(ApiEvents.request("GET", "/v1/tenant").as(tenant.id(), Scope.ADMIN));
        status(get, 200);
        assertEquals("\"1\"", header(get, "ETag"));
        assertEquals("UTC", ((Map<?, ?>) body(get).get("settings")).get("defaultTimeZone"));

        String patch = "{\"defaultTimeZone\": \"Europe/London\", \"allowedOrigins\": [\"https://www.acme.example\"]}";
        problem(call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                .body("application/merge-patch+json", patch)), 428, "precondition-required");
        problem(call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                .header("If-Match", "\"7\"").body("application/merge-patch+json", patch)), 412, "precondition-failed");
        var bad = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"defaultTimeZone\": \"Mars/Olympus\", \"defaultCurrency\": \"eur\","
                        + " \"allowedOrigins\": [\"https://ok.example\", \"https://bad.example/path\"], \"colour\": \"red\"}"));
        problem(bad, 400, "validation-error");
        assertEquals(List.of("/colour", "/allowedOrigins/1", "/defaultTimeZone", "/defaultCurrency"), pointers(bad));
        problem(call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.WRITE).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", patch)), 403, "forbidden");

        var ok = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", patch));
        status(ok, 200);
        assertEquals("\"2\"", header(ok, "ETag"));
        Map<?, ?> settings = (Map<?, ?>) body(ok).get("settings");
        assertEquals("Europe/London", settings.get("defaultTimeZone"));
        assertEquals(List.of("https://www.acme.example"), settings.get("allowedOrigins"));

        var reset = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN).header("If-Match", "\"2\"")
                .body("application/merge-patch+json", "{\"defaultTimeZone\": null}"));
        status(reset, 200);
        assertEquals("UTC", ((Map<?, ?>) body(reset).get("settings")).get("defaultTimeZone"));
        assertEquals(List.of("https://www.acme.example"), ((Map<?, ?>) body(reset).get("settings")).get("allowedOrigins"));

        // the retention job's thresholds: a bad value is pointed at and changes nothing
        var badRetention = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                .header("If-Match", "\"3\"").body("application/merge-patch+json",
                        "{\"retention\": {\"pAliveThreshold\": 0.2, \"horizonMonths\": 0}}"));
        problem(badRetention, 400, "validation-error");
        assertEquals(List.of("/retention/horizonMonths"), pointers(badRetention));
        var retention = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                .header("If-Match", "\"3\"").body("application/merge-patch+json",
                        "{\"retention\": {\"valueThreshold\": {\"amount\": \"500\"}, \"pAliveThreshold\": 0.2}}"));
        status(retention, 200);
        Map<?, ?> r = (Map<?, ?>) ((Map<?, ?>) body(retention).get("settings")).get("retention");
        assertEquals(Map.of("amount", "500", "currency", "EUR"), r.get("valueThreshold"));
        assertEquals(0.2, ((Number) r.get("pAliveThreshold")).doubleValue());
        assertEquals(12L, ((Number) r.get("horizonMonths")).longValue(), "a field not in the patch keeps its value");
    }

    @Test
    void serviceSettingsAreValidatedFieldByFieldAndAnInvalidPatchWritesNothing() {
        var tenant = TestInfrastructure.tenant(infra);
        Map<?, ?> initial = (Map<?, ?>) body(call(ApiEvents.request("GET", "/v1/tenant").as(tenant.id(), Scope.ADMIN))).get("settings");
        assertEquals(List.of(), initial.get("caseCategories"));
        assertEquals(null, initial.get("businessCalendar"), "unset: the documented default calendar applies");
        assertEquals(Map.of(), initial.get("slaPolicies"));
        assertEquals("P7D", initial.get("casesAutoCloseAfter"));
        assertEquals(false, initial.get("complaintsOpenCases"));

        String week = "\"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"17:00\"}],"
                + " \"tuesday\": [{\"start\": \"09:00\", \"end\": \"17:00\"}], \"saturday\": [{\"start\": \"20:00\", \"end\": \"24:00\"}], \"sunday\": []}";
        Map<String, String> invalid = new java.util.LinkedHashMap<>();
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"Europe/Berlin\", \"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"08:00\"}]}}}",
                "/businessCalendar/weeklyHours/monday/0/end");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"Europe/Berlin\", \"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"11:00\", \"end\": \"13:00\"}]}}}",
                "/businessCalendar/weeklyHours/monday/1/start");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"Europe/Berlin\", \"weeklyHours\": {\"monday\": [{\"start\": \"9:00\", \"end\": \"12:00\"}]}}}",
                "/businessCalendar/weeklyHours/monday/0/start");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"Mars/Olympus\", " + week + "}}", "/businessCalendar/timeZone");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"UTC\", " + week + ", \"holidays\": [\"2026-02-30\"]}}", "/businessCalendar/holidays/0");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"UTC\", \"weeklyHours\": {\"funday\": []}}}", "/businessCalendar/weeklyHours/funday");
        invalid.put("{\"caseCategories\": [{\"key\": \"billing\", \"name\": \"Billing\"}, {\"key\": \"billing\", \"name\": \"Again\"}]}",
                "/caseCategories/1/key");
        invalid.put("{\"caseCategories\": [{\"key\": \"Billing!\", \"name\": \"Billing\"}]}", "/caseCategories/0/key");
        invalid.put("{\"slaPolicies\": {\"urgent\": {\"firstResponse\": \"1 hour\", \"resolution\": \"PT8H\"}}}", "/slaPolicies/urgent/firstResponse");
        invalid.put("{\"slaPolicies\": {\"urgent\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT8H\", \"clock\": \"lunar\"}}}", "/slaPolicies/urgent/clock");
        invalid.put("{\"slaPolicies\": {\"critical\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT8H\"}}}", "/slaPolicies/critical");
        invalid.put("{\"businessCalendar\": {\"timeZone\": \"UTC\", \"weeklyHours\": {\"monday\": []}}}", "/businessCalendar/weeklyHours");
        invalid.put("{\"casesAutoCloseAfter\": \"P91D\"}", "/casesAutoCloseAfter");
        invalid.put("{\"complaintsOpenCases\": \"yes\"}", "/complaintsOpenCases");
        invalid.put("{\"staffingMaxOccupancy\": 1.2}", "/staffingMaxOccupancy");
        invalid.put("{\"staffingMaxOccupancy\": 0}", "/staffingMaxOccupancy");
        for (var e : invalid.entrySet()) {
            var bad = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                    .header("If-Match", "\"1\"").body("application/merge-patch+json", e.getKey()));
            problem(bad, 400, "validation-error");
            assertEquals(List.of(e.getValue()), pointers(bad), e.getKey());
        }
        var unchanged = call(ApiEvents.request("GET", "/v1/tenant").as(tenant.id(), Scope.ADMIN));
        assertEquals("\"1\"", header(unchanged, "ETag"), "no invalid patch wrote anything");
        assertEquals(initial, body(unchanged).get("settings"));

        var ok = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"caseCategories\": [{\"key\": \"billing\", \"name\": \"Billing\"}],"
                        + " \"businessCalendar\": {\"timeZone\": \"Europe/Berlin\", " + week + ", \"holidays\": [\"2026-04-03\"]},"
                        + " \"slaPolicies\": {\"urgent\": {\"firstResponse\": \"PT30M\", \"resolution\": \"PT4H\", \"clock\": \"calendar\","
                        + " \"pauseWhilePending\": false}}, \"casesAutoCloseAfter\": \"P14D\", \"complaintsOpenCases\": true,"
                        + " \"staffingMaxOccupancy\": 0.9}"));
        status(ok, 200);
        var read = call(ApiEvents.request("GET", "/v1/tenant").as(tenant.id(), Scope.ADMIN));
        Map<?, ?> s = (Map<?, ?>) body(read).get("settings");
        assertEquals(List.of(Map.of("key", "billing", "name", "Billing")), s.get("caseCategories"));
        Map<?, ?> calendar = (Map<?, ?>) s.get("businessCalendar");
        assertEquals("Europe/Berlin", calendar.get("timeZone"));
        assertEquals(List.of("2026-04-03"), calendar.get("holidays"));
        Map<?, ?> weekly = (Map<?, ?>) calendar.get("weeklyHours");
        assertEquals(List.of(Map.of("start", "09:00", "end", "12:00"), Map.of("start", "13:00", "end", "17:00")), weekly.get("monday"));
        assertEquals(List.of(Map.of("start", "20:00", "end", "24:00")), weekly.get("saturday"));
        assertEquals(List.of(), weekly.get("wednesday"));
        assertEquals(Map.of("urgent", Map.of("firstResponse", "PT30M", "resolution", "PT4H", "clock", "calendar",
                "pauseWhilePending", false)), s.get("slaPolicies"));
        assertEquals("P14D", s.get("casesAutoCloseAfter"));
        assertEquals(true, s.get("complaintsOpenCases"));
        assertEquals(0.9, ((Number) s.get("staffingMaxOccupancy")).doubleValue());

        // the typed reading a service function uses, after a round trip through the store
        var typed = infra.tenants().find(tenant.id()).settings();
        assertEquals(java.time.ZoneId.of("Europe/Berlin"), typed.businessCalendar().zone());
        assertEquals(java.time.Duration.ofMinutes(30), typed.slaPolicy("urgent").firstResponse());
        assertEquals(java.time.Duration.ofHours(24), typed.slaPolicy("normal").resolution(), "an unset priority has its default");

        var reset = call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN).header("If-Match", "\"2\"")
                .body("application/merge-patch+json", "{\"businessCalendar\": null, \"slaPolicies\": {\"urgent\": null}}"));
        status(reset, 200);
        Map<?, ?> r = (Map<?, ?>) body(reset).get("settings");
        assertEquals(null, r.get("businessCalendar"));
        assertEquals(Map.of(), r.get("slaPolicies"));
        assertEquals(List.of(Map.of("key", "billing", "name", "Billing")), r.get("caseCategories"), "untouched fields stay");
    }

    @Test
    void concurrentSettingsPatchesWithOneVersionGiveOneSuccess() throws Exception {
        var tenant = TestInfrastructure.tenant(infra);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        List<java.util.concurrent.Future<APIGatewayProxyResponseEvent>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String tz = i % 2 == 0 ? "Europe/Paris" : "Asia/Tokyo";
            results.add(pool.submit(() -> call(ApiEvents.request("PATCH", "/v1/tenant/settings").as(tenant.id(), Scope.ADMIN)
                    .header("If-Match", "\"1\"").body("application/merge-patch+json", "{\"defaultTimeZone\": \"" + tz + "\"}"))));
        }
        int ok = 0;
        int stale = 0;
        for (var f : results) {
            int s = f.get().getStatusCode();
            ok += s == 200 ? 1 : 0;
            stale += s == 412 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, ok);
        assertEquals(9, stale);
        assertEquals(2, infra.tenants().find(tenant.id()).version());
    }

    @Test
    void keysAreCreatedListedWithoutSecretsAndRevoked() {
        var tenant = TestInfrastructure.tenant(infra);
        var created = call(ApiEvents.request("POST", "/v1/tenant/keys").as(tenant.id(), Scope.ADMIN)
                .json("{\"scope\": \"read\", \"name\": \"dashboard\"}"));
        status(created, 201);
        String secret = (String) body(created).get("apiKey");
        String keyId = (String) body(created).get("keyId");
        assertEquals("read", body(created).get("scope"));
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(secret)));

        var list = call(ApiEvents.request("GET", "/v1/tenant/keys").as(tenant.id(), Scope.ADMIN));
        status(list, 200);
        assertFalse(list.getBody().contains(secret));
        assertFalse(list.getBody().contains(ApiKeys.hash(secret)));
        assertFalse(list.getBody().contains("keyHash"));
        assertEquals(2, ((List<?>) body(list).get("items")).size());
        assertNull(body(list).get("nextCursor"));

        var badScope = call(ApiEvents.request("POST", "/v1/tenant/keys").as(tenant.id(), Scope.ADMIN)
                .json("{\"scope\": \"operator\", \"name\": \"x\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}"));
        assertEquals(List.of("/scope", "/expiresAt"), pointers(badScope));
        problem(call(ApiEvents.request("POST", "/v1/tenant/keys").as(tenant.id(), Scope.WRITE)
                .json("{\"scope\": \"admin\", \"name\": \"escalate\"}")), 403, "forbidden");

        status(call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", keyId).as(tenant.id(), Scope.ADMIN)), 204);
        assertNull(infra.tenants().findByKeyHash(ApiKeys.hash(secret)));
        status(call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", keyId).as(tenant.id(), Scope.ADMIN)), 204);
        problem(call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", "key_doesnotexist0000000")
                .as(tenant.id(), Scope.ADMIN)), 404, "not-found");
    }

    @Test
    void aKeyCanSeeItsOwnScopeAndTenant() {
        var tenant = TestInfrastructure.tenant(infra);
        var r = call(ApiEvents.request("GET", "/v1/key").as(tenant.id(), Scope.READ));
        status(r, 200);
        assertEquals("read", body(r).get("scope"));
        assertEquals(tenant.id().value(), body(r).get("tenantId"));
        assertFalse(r.getBody().contains("secrets"));
        problem(call(ApiEvents.request("GET", "/v1/key").operator()), 403, "forbidden");
    }

    @Test
    void theLastAdminKeyCannotBeRevoked() {
        var tenant = TestInfrastructure.tenant(infra);
        var keys = infra.tenants().listKeys(tenant.id());
        problem(call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", keys.get(0).keyId())
                .as(tenant.id(), Scope.ADMIN)), 409, "conflict");
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(tenant.adminKey())));
    }

    @Test
    void keyListsPageWithSignedCursorsBoundToTheTenant() {
        var a = TestInfrastructure.tenant(infra);
        var b = TestInfrastructure.tenant(infra);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            status(call(ApiEvents.request("POST", "/v1/tenant/keys").as(a.id(), Scope.ADMIN)
                    .json("{\"scope\": \"read\", \"name\": \"k" + i + "\"}")), 201);
        }
        var page1 = call(ApiEvents.request("GET", "/v1/tenant/keys").query("limit", "2").as(a.id(), Scope.ADMIN));
        String cursor = (String) body(page1).get("nextCursor");
        assertNotNull(cursor);
        var page2 = call(ApiEvents.request("GET", "/v1/tenant/keys").query("limit", "2").query("cursor", cursor).as(a.id(), Scope.ADMIN));
        status(page2, 200);
        var page3 = call(ApiEvents.request("GET", "/v1/tenant/keys").query("limit", "2")
                .query("cursor", (String) body(page2).get("nextCursor")).as(a.id(), Scope.ADMIN));
        assertEquals(1, ((List<?>) body(page3).get("items")).size());
        assertNull(body(page3).get("nextCursor"));

        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("cursor", cursor).as(b.id(), Scope.ADMIN)), 400, "invalid-cursor");
        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("cursor", cursor + "x").as(a.id(), Scope.ADMIN)), 400, "invalid-cursor");
        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("cursor", "garbage").as(a.id(), Scope.ADMIN)), 400, "invalid-cursor");
        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("limit", "0").as(a.id(), Scope.ADMIN)), 400, "validation-error");
        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("limit", "201").as(a.id(), Scope.ADMIN)), 400, "validation-error");
        clock.advance(Duration.ofHours(25));
        problem(call(ApiEvents.request("GET", "/v1/tenant/keys").query("cursor", cursor).as(a.id(), Scope.ADMIN)), 400, "invalid-cursor");
    }

    @Test
    void tenantBCannotSeeOrTouchTenantA() {
        var a = TestInfrastructure.tenant(infra);
        var b = TestInfrastructure.tenant(infra);
        var aKeys = infra.tenants().listKeys(a.id());
        status(call(ApiEvents.request("POST", "/v1/tenant/keys").as(a.id(), Scope.ADMIN)
                .json("{\"scope\": \"write\", \"name\": \"a-writer\"}")), 201);

        var bTenant = call(ApiEvents.request("GET", "/v1/tenant").as(b.id(), Scope.ADMIN));
        assertEquals(b.id().value(), body(bTenant).get("tenantId"));
        assertFalse(bTenant.getBody().contains(a.id().value()));
        var bKeys = call(ApiEvents.request("GET", "/v1/tenant/keys").as(b.id(), Scope.ADMIN));
        assertFalse(bKeys.getBody().contains("a-writer"));
        assertEquals(1, ((List<?>) body(bKeys).get("items")).size());
        // revoking A's key with B's credentials answers exactly like a key that does not exist
        var foreign = call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", aKeys.get(0).keyId())
                .as(b.id(), Scope.ADMIN));
        var missing = call(ApiEvents.request("DELETE", "/v1/tenant/keys/{keyId}").path("keyId", "key_0000000000000000000a")
                .as(b.id(), Scope.ADMIN));
        problem(foreign, 404, "not-found");
        assertEquals(body(missing).get("detail"), body(foreign).get("detail"));
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(a.adminKey())));
    }

    @Test
    void deprovisioningCutsAccessAtOnceAndRemovesEveryItemOfTheTenantOnly() {
        var a = TestInfrastructure.tenant(infra);
        var b = TestInfrastructure.tenant(infra);
        status(call(ApiEvents.request("POST", "/v1/tenant/keys").as(a.id(), Scope.ADMIN)
                .json("{\"scope\": \"read\", \"name\": \"r\"}")), 201);
        var r = call(ApiEvents.request("DELETE", "/v1/tenants/{tenantId}").path("tenantId", a.id().value()).operator());
        status(r, 202);
        assertEquals("/v1/tenants/" + a.id().value() + "/deprovisioning", header(r, "Location"));
        assertEquals("queued", body(r).get("status"));
        assertNull(infra.tenants().findByKeyHash(ApiKeys.hash(a.adminKey())), "keys stop working at once");
        assertNull(infra.tenants().findBySlug(a.slug()));
        // the 202 is the job as stored (answered from the write, not read back): the same as reading it
        var stored = call(ApiEvents.request("GET", "/v1/tenants/{tenantId}/deprovisioning").path("tenantId", a.id().value()).operator());
        status(stored, 200);
        assertEquals(body(stored), body(r));
        // a second DELETE finds the same job
        var again = call(ApiEvents.request("DELETE", "/v1/tenants/{tenantId}").path("tenantId", a.id().value()).operator());
        status(again, 202);
        assertEquals(body(stored), body(again));

        new DeprovisionWorker(infra).handleRequest(jobInserted(Keys.operatorJob(TenantService.deprovisionJobId(a.id()))),
                new LambdaContext());

        var job = call(ApiEvents.request("GET", "/v1/tenants/{tenantId}/deprovisioning").path("tenantId", a.id().value()).operator());
        status(job, 200);
        assertEquals("succeeded", body(job).get("status"));
        var scan = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name()).build());
        for (var item : scan.items()) {
            String pk = item.get("PK").s();
            boolean isJob = pk.startsWith("OPS#JOB#");
            assertFalse(!isJob && (pk.startsWith(a.id().value()) || (item.containsKey("tenantId")
                    && a.id().value().equals(item.get("tenantId").s()))), "left behind: " + pk + " " + item.get("SK").s());
        }
        assertNotNull(infra.tenants().find(b.id()));
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(b.adminKey())));
        assertFalse(infra.tenants().listTenantIds().contains(a.id()));
        problem(call(ApiEvents.request("DELETE", "/v1/tenants/{tenantId}").path("tenantId", TenantId.generate().value())
                .operator()), 404, "not-found");
    }

    @Test
    void aDeprovisioningInterruptedByLowTimeResumesWithoutLeftovers() {
        var a = TestInfrastructure.tenant(infra);
        // enough items for several scan pages
        for (int i = 0; i < 30; i++) {
            status(call(ApiEvents.request("POST", "/v1/tenant/keys").as(a.id(), Scope.ADMIN)
                    .json("{\"scope\": \"read\", \"name\": \"k" + i + "\"}")), 201);
        }
        status(call(ApiEvents.request("DELETE", "/v1/tenants/{tenantId}").path("tenantId", a.id().value()).operator()), 202);
        String pk = Keys.operatorJob(TenantService.deprovisionJobId(a.id()));
        // Time runs out after the first step: the worker hands the job over instead of being cut off.
        long[] budget = {20_000};
        new DeprovisionWorker(infra, 10).handleRequest(jobInserted(pk), new LambdaContext(() -> budget[0] -= 9_000));
        var halfway = infra.jobs().find(dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository.ref(pk));
        assertEquals("queued", halfway.status().wire());
        assertFalse(halfway.checkpoint().isEmpty());
        new DeprovisionWorker(infra, 10).handleRequest(jobInserted(pk), new LambdaContext());
        assertEquals("succeeded", infra.jobs().find(dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository.ref(pk)).status().wire());
        var left = infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(Keys.apiKeys(a.id())))).build());
        assertEquals(0, left.count());
    }

    static DynamodbEvent jobInserted(String pk) {
        return dev.crm.devkit.SampleEvents.jobQueued(pk);
    }
}
