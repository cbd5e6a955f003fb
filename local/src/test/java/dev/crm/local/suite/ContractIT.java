package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.local.LocalRunner;
import dev.crm.shared.json.Json;
import dev.crm.devkit.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is the contract: every route is exercised through the local runner (its sample,
 * and the errors every route can give) and every response is validated against the contract:
 * status, content type and body schema.
 */
class ContractIT {
    static LocalRunner runner;
    static final ApiContract contract = new ApiContract();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_contractsuiteoperatorkey0123456789"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> tenant(SampleWalk walk, String slug) throws Exception {
        var r = walk.send(null, "POST", "/v1/tenants", "/v1/tenants", null,
                Map.of("Authorization", "Bearer " + runner.operatorKey(), "Content-Type", "application/json"),
                "{\"name\": \"Contract\", \"slug\": \"" + slug + "\"}");
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.response().body());
        return Map.of("tenantId", (String) body.get("tenantId"), "key", (String) body.get("apiKey"), "slug", slug);
    }

    @Test
    void everyResponseOfEverySampleFollowsTheContract() throws Exception {
        SampleWalk walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        var t = tenant(walk, "contract-samples");
        var replace = SampleWalk.replacements(t.get("tenantId"), t.get("key"), t.get("slug"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (SampleWalk.Exchange e : walk.walk(replace, t.get("key"), p -> true)) {
            var r = e.response();
            problems.addAll(contract.check(e.method(), e.path(), r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.body()));
            checked++;
        }
        assertTrue(checked >= SamTemplate.load().apiRoutes().size(), "every route was exercised: " + checked);
        assertEquals(List.of(), problems);
    }

    @Test
    void theErrorsEveryRouteCanGiveFollowTheContract() throws Exception {
        SampleWalk walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        var t = tenant(walk, "contract-errors");
        List<String> problems = new ArrayList<>();
        for (SamTemplate.ApiRoute route : SamTemplate.load().apiRoutes()) {
            String path = route.path().replaceAll("\\{[^}]+}", "x_nonexistent0000000000");
            // no key: 401 from the gateway on authenticated routes
            if (!route.isPublic()) {
                var r = walk.send(null, route.method(), route.path(), path, null, Map.of(), null).response();
                assertEquals(401, r.statusCode(), route.method() + " " + route.path());
                problems.addAll(contract.check(route.method(), path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                        r.body()));
            }
            // an id that does not exist, or a body the route cannot take
            var r = walk.send(null, route.method(), route.path(), path, null,
                    Map.of("Authorization", "Bearer " + t.get("key"), "Content-Type", "application/json"), "{\"zzUnknown\": true}")
                    .response();
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500 || r.statusCode() == 202 || r.statusCode() == 200
                    || route.method().equals("OPTIONS") && r.statusCode() == 204,
                    route.method() + " " + route.path() + " gave " + r.statusCode() + ": " + r.body());
            problems.addAll(contract.check(route.method(), path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                    r.body()));
        }
        assertEquals(List.of(), problems);
    }
}
