package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.local.LocalRunner;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Scope;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants; every route tried with the other tenant's ids, cursors and keys, and every key scope
 * against every route. Zero leaks, and "not yours" answers exactly like "not found".
 */
class TenantIsolationIT {
    static LocalRunner runner;
    static SampleWalk walk;
    static Map<String, String> a;
    static Map<String, String> b;
    static Map<String, String> aReplace;
    static final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_isolationsuiteoperatorkey012345678"));
        walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        a = tenant("iso-a");
        b = tenant("iso-b");
        aReplace = SampleWalk.replacements(a.get("tenantId"), a.get("key"), "iso-a");
        walk.walk(aReplace, a.get("key"), p -> !p.getFileName().toString().matches("(delete|revoke|deprovision)-.*"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> tenant(String slug) throws Exception {
        var r = walk.send(null, "POST", "/v1/tenants", "/v1/tenants", null,
                Map.of("Authorization", "Bearer " + runner.operatorKey(), "Content-Type", "application/json"),
                "{\"name\": \"" + slug + "\", \"slug\": \"" + slug + "\"}");
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.response().body());
        return Map.of("tenantId", (String) body.get("tenantId"), "key", (String) body.get("apiKey"));
    }

    /** A key of the tenant with the given scope. */
    @SuppressWarnings("unchecked")
    static String key(Map<String, String> tenant, String scope) throws Exception {
        var r = walk.send(null, "POST", "/v1/tenant/keys", "/v1/tenant/keys", null,
                Map.of("Authorization", "Bearer " + tenant.get("key"), "Content-Type", "application/json"),
                "{\"scope\": \"" + scope + "\", \"name\": \"" + scope + "\"}");
        return (String) ((Map<String, Object>) Json.parse(r.response().body())).get("apiKey");
    }

    /** What of tenant A must never appear in an answer to tenant B: its id and the ids the samples created. */
    static List<String> secretsOfA() {
        List<String> s = new ArrayList<>();
        s.add(a.get("tenantId"));
        aReplace.forEach((placeholder, real) -> {
            if (placeholder.contains("_example") && !placeholder.startsWith("t_")) {
                s.add(real);
            }
        });
        return s;
    }

    @Test
    void tenantBGetsNothingOfTenantAThroughAnyRoute() throws Exception {
        List<String> secrets = secretsOfA();
        int tried = 0;
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            Map<String, Object> json = SampleEvents.read(p, aReplace);
            if (!SampleEvents.isApiEvent(json) || SampleWalk.isOperator(json) || String.valueOf(json.get("resource")).startsWith("/v1/public/")) {
                continue;
            }
            var r = walk.send(p, json, b.get("key")).response();
            tried++;
            for (String secret : secrets) {
                if (r.body().contains(secret)) {
                    failures.add(p.getFileName() + ": tenant B saw " + secret + " in " + r.statusCode() + " " + r.body());
                }
            }
            boolean namesAResource = String.valueOf(json.get("pathParameters")).matches(".*[a-z]+_[0-9a-z]{20}.*");
            if (namesAResource) {
                if (r.statusCode() != 404) {
                    failures.add(p.getFileName() + ": tenant B with A's id got " + r.statusCode() + " " + r.body());
                    continue;
                }
                // the same request for an id that exists nowhere answers identically
                String real = String.valueOf(json.get("path"));
                String fake = real.replaceAll("_[0-9a-z]{20}", "_" + "0".repeat(20));
                Map<String, Object> other = new LinkedHashMap<>(json);
                other.put("path", fake);
                var missing = walk.send(p, other, b.get("key")).response();
                if (missing.statusCode() != r.statusCode() || !detail(missing.body()).equals(detail(r.body()))) {
                    failures.add(p.getFileName() + ": 'not yours' (" + r.body() + ") differs from 'not found' (" + missing.body() + ")");
                }
            }
        }
        assertTrue(tried > 20, "tried " + tried);
        assertEquals(List.of(), failures);
    }

    @SuppressWarnings("unchecked")
    static String detail(String body) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(body);
        return m.get("type") + " " + m.get("detail");
    }

    @Test
    @SuppressWarnings("unchecked")
    void tenantAsCursorsAreRefusedToTenantB() throws Exception {
        int tried = 0;
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            Map<String, Object> json = SampleEvents.read(p, aReplace);
            if (!SampleEvents.isApiEvent(json) || !"GET".equals(json.get("httpMethod"))
                    || !String.valueOf(json.get("queryStringParameters")).contains("limit")) {
                continue;
            }
            Map<String, Object> q = new HashMap<>(SamTemplate.map(json.get("queryStringParameters")));
            q.put("limit", "1");
            Map<String, Object> first = new LinkedHashMap<>(json);
            first.put("queryStringParameters", q);
            var page = walk.send(p, first, a.get("key")).response();
            Object cursor = ((Map<String, Object>) Json.parse(page.body())).get("nextCursor");
            if (cursor == null) {
                continue;
            }
            q.put("cursor", cursor);
            var r = walk.send(p, first, b.get("key")).response();
            tried++;
            if (r.statusCode() != 400 && r.statusCode() != 404) {
                failures.add(p.getFileName() + ": tenant B used A's cursor and got " + r.statusCode() + " " + r.body());
            }
        }
        assertTrue(tried > 0, "some list had a second page");
        assertEquals(List.of(), failures);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyScopeAgainstEveryRoute() throws Exception {
        Map<String, Scope> required = routeScopes();
        Map<Scope, String> keys = new LinkedHashMap<>();
        keys.put(Scope.READ, key(a, "read"));
        keys.put(Scope.WRITE, key(a, "write"));
        keys.put(Scope.ADMIN, a.get("key"));
        keys.put(Scope.OPERATOR, runner.operatorKey());
        int tried = 0;
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            String name = p.getFileName().toString();
            if (name.matches("(delete|revoke|deprovision)-.*")) {
                continue; // destructive samples are covered by their own suites
            }
            Map<String, Object> json = SampleEvents.read(p, aReplace);
            if (!SampleEvents.isApiEvent(json)) {
                continue;
            }
            Scope needed = required.get(json.get("httpMethod") + " " + json.get("resource"));
            if (needed == null) {
                continue; // public
            }
            for (var k : keys.entrySet()) {
                var r = walk.send(p, json, k.getValue()).response();
                tried++;
                boolean allowed = k.getKey().allows(needed);
                if (!allowed && r.statusCode() != 403) {
                    failures.add(name + ": a " + k.getKey().wire() + " key on a " + needed.wire() + " route got " + r.statusCode());
                }
                if (allowed && r.statusCode() == 403) {
                    failures.add(name + ": a " + k.getKey().wire() + " key was refused a " + needed.wire() + " route");
                }
            }
        }
        assertTrue(tried > 80, "tried " + tried);
        assertEquals(List.of(), failures);
    }

    /** The scope each route needs, from the handlers' own routers. */
    static Map<String, Scope> routeScopes() throws Exception {
        Infrastructure infra = TestInfrastructure.create();
        Map<String, Scope> out = new HashMap<>();
        for (SamTemplate.Function f : SamTemplate.load().functions()) {
            Object h = Class.forName(f.handlerClass()).getConstructor(Infrastructure.class).newInstance(infra);
            if (h instanceof RoutedHandler routed && h instanceof RequestHandler<?, ?>) {
                for (Route r : routed.router().routes()) {
                    if (!r.isPublic()) {
                        out.put(r.method() + " " + r.path(), r.scope());
                    }
                }
            }
        }
        return out;
    }
}
