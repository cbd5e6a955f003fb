package dev.crm.webhooks;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.CapturedLogs;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.config.WebhooksComponents;
import dev.crm.webhooks.domain.AddressResolver;
import dev.crm.webhooks.domain.SigningSecret;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.entrypoints.WebhooksHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook endpoint routes through the real handler against DynamoDB Local. */
class WebhooksHandlerIT {
    static final String CREATE = "{\"url\": \"https://hooks.example.com/crm\", \"eventTypes\": [\"contact.created\"], "
            + "\"description\": \"the shop\"}";

    /** What names resolve to is the test's choice; literals resolve to themselves (no DNS). */
    private final Map<String, String> names = new ConcurrentHashMap<>(Map.of("hooks.example.com", "93.184.216.34"));
    private final AddressResolver resolver = host -> {
        String a = names.get(host);
        return List.of(InetAddress.getByName(a == null ? host : a));
    };
    private final MutableClock clock = MutableClock.at("2026-12-06T12:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final WebhooksHandler handler = new WebhooksHandler(new WebhooksComponents(infra, resolver));
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private static ApiEvents as(TenantId t, String method, String resource) {
        return ApiEvents.request(method, resource).as(t, Scope.ADMIN);
    }

    private Map<String, Object> create(TenantId t, String json) {
        var r = call(as(t, "POST", "/v1/webhooks").json(json));
        status(r, 201);
        return body(r);
    }

    private APIGatewayProxyResponseEvent get(TenantId t, String id) {
        return call(as(t, "GET", "/v1/webhooks/{id}").path("id", id));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(TenantId t) {
        var r = call(as(t, "GET", "/v1/webhooks"));
        status(r, 200);
        return (List<Map<String, Object>>) body(r).get("items");
    }

    private List<SigningSecret> storedSecrets(String id) {
        return new WebhooksComponents(infra).endpointRepository().find(tenant, id).orElseThrow().signingSecrets(clock.instant());
    }

    @Test
    void createShowsTheSecretOnceAndNoReadOrLogShowsItAgain() {
        List<String> bodies = new ArrayList<>();
        String secret;
        String id;
        try (var logs = CapturedLogs.start()) {
            var r = call(as(tenant, "POST", "/v1/webhooks").json(CREATE));
            status(r, 201);
            Map<String, Object> created = body(r);
            secret = (String) created.get("secret");
            id = (String) created.get("id");
            assertTrue(secret.startsWith("whsec_"), secret);
            assertTrue(Base64.getDecoder().decode(secret.substring(6)).length >= 24, "at least 24 random bytes");
            assertTrue(id.startsWith("whe_"));
            assertEquals("/v1/webhooks/" + id, header(r, "Location"));
            assertEquals("\"1\"", header(r, "ETag"));
            assertEquals("https://hooks.example.com/crm", created.get("url"));
            assertEquals(List.of("contact.created"), created.get("eventTypes"));
            assertEquals("the shop", created.get("description"));
            assertEquals(true, created.get("enabled"));
            assertNull(created.get("disabledReason"));
            assertEquals("2026-12-06T12:00:00Z", created.get("createdAt"));

            var got = get(tenant, id);
            status(got, 200);
            assertEquals("\"1\"", header(got, "ETag"));
            bodies.add(got.getBody());
            bodies.add(call(as(tenant, "GET", "/v1/webhooks")).getBody());
            Map<String, Object> shown = body(got);
            assertFalse(shown.containsKey("secret"));
            assertFalse(shown.containsKey("secrets"));
            for (String line : logs.lines()) {
                assertFalse(line.contains(secret), "a log line holds the secret");
                assertFalse(line.contains(secret.substring(6)), "a log line holds the secret's key");
            }
            assertFalse(logs.lines().isEmpty(), "the router logs each request");
        }
        for (String b : bodies) {
            assertFalse(b.contains(secret.substring(6)), b);
        }
        assertEquals(List.of(secret), storedSecrets(id).stream().map(SigningSecret::value).toList(),
                "the secret shown is the one that signs");
    }

    @Test
    void createIsIdempotentAndAReplayShowsTheSameSecret() {
        var first = call(as(tenant, "POST", "/v1/webhooks").header("Idempotency-Key", "create-1").json(CREATE));
        status(first, 201);
        var replay = call(as(tenant, "POST", "/v1/webhooks").header("Idempotency-Key", "create-1").json(CREATE));
        status(replay, 201);
        assertEquals("true", header(replay, "Idempotent-Replayed"));
        assertEquals(body(first), body(replay));
        assertEquals(1, list(tenant).size());
        var rotate = call(as(tenant, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", (String) body(first).get("id"))
                .header("Idempotency-Key", "rotate-1"));
        status(rotate, 200);
        var again = call(as(tenant, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", (String) body(first).get("id"))
                .header("Idempotency-Key", "rotate-1"));
        assertEquals(body(rotate), body(again));
        assertEquals("true", header(again, "Idempotent-Replayed"));
        assertEquals(2, storedSecrets((String) body(first).get("id")).size(), "one rotation, not two");
    }

    @Test
    void validationNamesEachField() {
        var r = call(as(tenant, "POST", "/v1/webhooks").json("{\"url\": \"https://hooks.example.com/x\", "
                + "\"eventTypes\": [\"contact.created\", \"contact.exploded\", \"webhook.test\"], "
                + "\"description\": \"" + "d".repeat(501) + "\", \"tenantId\": \"t_x\"}"));
        problem(r, 400, "validation-error");
        assertEquals(List.of("/eventTypes/1", "/eventTypes/2", "/description", "/tenantId").stream().sorted().toList(),
                pointers(r).stream().sorted().toList());
        problem(call(as(tenant, "POST", "/v1/webhooks").json("{\"url\": \"https://hooks.example.com/x\", \"eventTypes\": []}")),
                400, "validation-error");
        var mixed = call(as(tenant, "POST", "/v1/webhooks").json(
                "{\"url\": \"https://hooks.example.com/x\", \"eventTypes\": [\"*\", \"contact.created\"]}"));
        problem(mixed, 400, "validation-error");
        assertEquals(List.of("/eventTypes/0"), pointers(mixed));
        assertEquals(List.of("/url", "/eventTypes"), pointers(call(as(tenant, "POST", "/v1/webhooks").json("{}"))));
        var all = create(tenant, "{\"url\": \"https://hooks.example.com/x\", \"eventTypes\": [\"*\"]}");
        assertEquals(List.of("*"), all.get("eventTypes"));
        assertEquals(1, list(tenant).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "169.254.169.254", "169.254.1.1", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
            "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1",
            "2001:db8::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fec0::1"})
    void everyRefusedRangeIsRefusedAtCreationByNameAndAsALiteral(String address) {
        names.put("rebind.example.com", address);
        String literal = address.contains(":") ? "[" + address + "]" : address;
        for (String url : List.of("https://rebind.example.com/hook", "https://" + literal + "/hook")) {
            var r = call(as(tenant, "POST", "/v1/webhooks").json("{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"]}"));
            Map<String, Object> p = problem(r, 400, "webhook-url-refused");
            assertEquals("the host resolves to an address that is not public", p.get("detail"), url);
            assertFalse(r.getBody().contains(address), "the answer never names the address");
            assertEquals(List.of("/url"), pointers(r));
        }
        assertEquals(List.of(), list(tenant), "nothing written");
    }

    @Test
    void otherRefusalsSayWhy() {
        Map<String, String> cases = Map.of("http://hooks.example.com/x", "the URL must use https",
                "https://user:pw@hooks.example.com/x", "the URL must not carry credentials",
                "ftp://hooks.example.com/x", "the URL must use https");
        cases.forEach((url, reason) -> assertEquals(reason, problem(call(as(tenant, "POST", "/v1/webhooks")
                .json("{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"]}")), 400, "webhook-url-refused").get("detail")));
        assertEquals(List.of(), list(tenant));
    }

    @Test
    void patchNeedsTheCurrentVersionAndChecksANewUrl() {
        String id = (String) create(tenant, CREATE).get("id");
        problem(call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).json("{\"enabled\": false}")), 428,
                "precondition-required");
        problem(call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"7\"")
                .json("{\"enabled\": false}")), 412, "precondition-failed");

        var r = call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"enabled\": false, \"eventTypes\": [\"*\"], "
                        + "\"description\": null, \"id\": \"" + id + "\", \"version\": 1}"));
        status(r, 200);
        assertEquals("\"2\"", header(r, "ETag"));
        Map<String, Object> b = body(r);
        assertEquals(false, b.get("enabled"));
        assertEquals(List.of("*"), b.get("eventTypes"));
        assertNull(b.get("description"));
        assertNull(b.get("disabledReason"));
        assertEquals("2026-12-06T12:00:00Z", b.get("disabledAt"));
        assertFalse(r.getBody().contains("whsec_"));

        problem(call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"1\"")
                .json("{\"enabled\": true}")), 412, "precondition-failed");
        var refused = call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"2\"")
                .json("{\"url\": \"https://169.254.169.254/latest/meta-data\"}"));
        problem(refused, 400, "webhook-url-refused");
        var readOnly = call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"2\"")
                .json("{\"version\": 9, \"secret\": \"whsec_x\"}"));
        problem(readOnly, 400, "validation-error");
        assertEquals(List.of("/secret", "/version").stream().sorted().toList(), pointers(readOnly).stream().sorted().toList());

        var enabled = call(as(tenant, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"2\"")
                .json("{\"enabled\": true, \"url\": \"https://hooks.example.com/v2\"}"));
        status(enabled, 200);
        assertEquals(true, body(enabled).get("enabled"));
        assertNull(body(enabled).get("disabledAt"));
        assertEquals("https://hooks.example.com/v2", body(get(tenant, id)).get("url"));
        assertEquals(3L, ((Number) body(get(tenant, id)).get("version")).longValue());
    }

    @Test
    void deleteRemovesTheEndpointAndAStaleIfMatchIsRefused() {
        String id = (String) create(tenant, CREATE).get("id");
        problem(call(as(tenant, "DELETE", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"5\"")), 412,
                "precondition-failed");
        status(call(as(tenant, "DELETE", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"1\"")), 204);
        problem(get(tenant, id), 404, "not-found");
        problem(call(as(tenant, "DELETE", "/v1/webhooks/{id}").path("id", id)), 404, "not-found");
        String second = (String) create(tenant, CREATE).get("id");
        status(call(as(tenant, "DELETE", "/v1/webhooks/{id}").path("id", second)), 204);
        assertEquals(List.of(), list(tenant));
    }

    @Test
    void rotationSignsWithBothSecretsForADayThenWithTheNewOneOnly() {
        Map<String, Object> created = create(tenant, CREATE);
        String id = (String) created.get("id");
        String old = (String) created.get("secret");
        var r = call(as(tenant, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", id));
        status(r, 200);
        String fresh = (String) body(r).get("secret");
        assertTrue(fresh.startsWith("whsec_"));
        assertNotEquals(old, fresh);
        assertEquals("2026-12-07T12:00:00Z", body(r).get("previousSecretRetiresAt"));
        assertEquals(List.of(fresh, old), storedSecrets(id).stream().map(SigningSecret::value).toList());
        assertFalse(get(tenant, id).getBody().contains("whsec_"));

        clock.advance(Duration.ofHours(24));
        assertEquals(List.of(fresh), storedSecrets(id).stream().map(SigningSecret::value).toList());
        clock.advance(Duration.ofSeconds(1));
        var next = call(as(tenant, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", id));
        status(next, 200);
        String third = (String) body(next).get("secret");
        WebhookEndpoint stored = new WebhooksComponents(infra).endpointRepository().find(tenant, id).orElseThrow();
        assertEquals(List.of(third, fresh), stored.secrets().stream().map(SigningSecret::value).toList(),
                "the retired secret is dropped");
        assertEquals(Instant.parse("2026-12-08T12:00:01Z"), stored.secrets().get(1).retiresAt());
    }

    @Test
    void anotherTenantsEndpointIsNotFoundExactlyLikeAMissingOne() {
        String id = (String) create(tenant, CREATE).get("id");
        status(get(tenant, id), 200);
        String missing = "whe_" + "0".repeat(20);
        List<ApiEvents> foreign = List.of(
                as(other, "GET", "/v1/webhooks/{id}").path("id", id),
                as(other, "PATCH", "/v1/webhooks/{id}").path("id", id).header("If-Match", "\"1\"").json("{\"enabled\": false}"),
                as(other, "DELETE", "/v1/webhooks/{id}").path("id", id),
                as(other, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", id));
        List<ApiEvents> absent = List.of(
                as(other, "GET", "/v1/webhooks/{id}").path("id", missing),
                as(other, "PATCH", "/v1/webhooks/{id}").path("id", missing).header("If-Match", "\"1\"").json("{\"enabled\": false}"),
                as(other, "DELETE", "/v1/webhooks/{id}").path("id", missing),
                as(other, "POST", "/v1/webhooks/{id}/rotate-secret").path("id", missing));
        for (int i = 0; i < foreign.size(); i++) {
            Map<String, Object> a = problem(call(foreign.get(i)), 404, "not-found");
            Map<String, Object> b = problem(call(absent.get(i)), 404, "not-found");
            assertEquals(a.get("detail"), b.get("detail"));
            assertEquals(a.keySet(), b.keySet());
        }
        assertEquals(List.of(), list(other));
        Map<String, Object> still = body(get(tenant, id));
        assertEquals(true, still.get("enabled"));
        assertEquals(1L, ((Number) still.get("version")).longValue());
        assertEquals(1, storedSecrets(id).size());
    }

    @Test
    void everyRouteNeedsTheAdminScope() {
        String id = (String) create(tenant, CREATE).get("id");
        for (Scope scope : List.of(Scope.READ, Scope.WRITE)) {
            problem(call(ApiEvents.request("GET", "/v1/webhooks").as(tenant, scope)), 403, "forbidden");
            problem(call(ApiEvents.request("GET", "/v1/webhooks/{id}").path("id", id).as(tenant, scope)), 403, "forbidden");
            problem(call(ApiEvents.request("POST", "/v1/webhooks").as(tenant, scope).json(CREATE)), 403, "forbidden");
            problem(call(ApiEvents.request("POST", "/v1/webhooks/{id}/rotate-secret").path("id", id).as(tenant, scope)), 403,
                    "forbidden");
            problem(call(ApiEvents.request("DELETE", "/v1/webhooks/{id}").path("id", id).as(tenant, scope)), 403, "forbidden");
        }
        assertEquals(1, list(tenant).size());
    }

    @Test
    void listsPageWithSignedCursorsAndTheTwentyFirstIsAConflict() {
        for (int i = 0; i < 20; i++) {
            create(tenant, CREATE);
        }
        problem(call(as(tenant, "POST", "/v1/webhooks").json(CREATE)), 409, "conflict");
        List<Object> seen = new ArrayList<>();
        String cursor = null;
        do {
            var e = as(tenant, "GET", "/v1/webhooks").query("limit", "7");
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            var r = call(e);
            status(r, 200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) body(r).get("items");
            items.forEach(i -> seen.add(i.get("id")));
            cursor = (String) body(r).get("nextCursor");
            if (cursor != null) {
                problem(call(as(other, "GET", "/v1/webhooks").query("cursor", cursor)), 400, "invalid-cursor");
            }
        } while (cursor != null);
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());
        problem(call(as(tenant, "GET", "/v1/webhooks").query("limit", "0")), 400, "validation-error");
        problem(call(as(tenant, "GET", "/v1/webhooks").query("status", "x")), 400, "validation-error");
    }
}
