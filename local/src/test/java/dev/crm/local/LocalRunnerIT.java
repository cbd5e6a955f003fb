package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.shared.json.Json;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end over HTTP through the local runner: gateway behaviour, authorizer, handlers, DynamoDB Local. */
class LocalRunnerIT {
    static LocalRunner runner;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_e2eoperatorkey0123456789abcdefghij"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static HttpResponse<String> send(String method, String path, String key, String contentType, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    static void assertProblem(HttpResponse<String> r, int status, String slug) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("https://serverless-crm.dev/problems/" + slug, json(r).get("type"));
        assertEquals(status, ((Number) json(r).get("status")).intValue());
    }

    static String provision(String slug) throws Exception {
        var r = send("POST", "/v1/tenants", runner.operatorKey(), "application/json",
                "{\"name\": \"E2E " + slug + "\", \"slug\": \"" + slug + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("apiKey");
    }

    @Test
    void healthAndTheDemoTenantWork() throws Exception {
        assertEquals(200, send("GET", "/health", null, null, null).statusCode());
        assertNotNull(runner.demoAdminKey());
        var r = send("GET", "/v1/tenant", runner.demoAdminKey(), null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("demo", json(r).get("slug"));
        assertEquals("\"1\"", r.headers().firstValue("ETag").orElse(""));
    }

    @Test
    void aProvisionedTenantsKeyWorksAndScopesAreEnforced() throws Exception {
        String admin = provision("e2e-" + UUID.randomUUID().toString().substring(0, 8));
        assertEquals(200, send("GET", "/v1/tenant", admin, null, null).statusCode());
        var created = send("POST", "/v1/tenant/keys", admin, "application/json", "{\"scope\": \"read\", \"name\": \"ro\"}");
        assertEquals(201, created.statusCode(), created.body());
        String read = (String) json(created).get("apiKey");
        String readId = (String) json(created).get("keyId");
        assertProblem(send("GET", "/v1/tenant", read, null, null), 403, "forbidden");
        assertProblem(send("POST", "/v1/tenant/keys", read, "application/json", "{\"scope\": \"admin\", \"name\": \"x\"}"), 403, "forbidden");
        assertProblem(send("POST", "/v1/tenants", admin, "application/json", "{\"name\": \"x\", \"slug\": \"nope-nope\"}"), 403, "forbidden");

        assertEquals(204, send("DELETE", "/v1/tenant/keys/" + readId, admin, null, null).statusCode());
        assertProblem(send("GET", "/v1/tenant/keys", read, null, null), 401, "unauthorized");
    }

    @Test
    void gatewayErrorsAreProblemJson() throws Exception {
        assertProblem(send("GET", "/v1/tenant", null, null, null), 401, "unauthorized");
        assertProblem(send("GET", "/v1/tenant", "not-a-key", null, null), 401, "unauthorized");
        assertProblem(send("GET", "/v1/tenant", "crm_live_0000000000000000000000000000000000000000000", null, null), 401, "unauthorized");
        assertProblem(send("GET", "/v1/tenant", "crm_op_wrongwrongwrongwrongwrongwrongwrong", null, null), 401, "unauthorized");
        assertProblem(send("GET", "/v1/no-such-thing", runner.demoAdminKey(), null, null), 404, "no-such-route");
        assertProblem(send("PUT", "/v1/tenant", runner.demoAdminKey(), null, null), 404, "no-such-route");
        assertProblem(send("POST", "/v1/tenant/keys", runner.demoAdminKey(), "application/json", "x".repeat(11 * 1024 * 1024)), 413, "payload-too-large");
        assertProblem(send("POST", "/v1/tenant/keys", runner.demoAdminKey(), "text/csv", "a,b"), 415, "unsupported-media-type");
        assertProblem(send("POST", "/v1/tenant/keys", runner.demoAdminKey(), "application/json", "{\"scope\": \"read\""), 400, "malformed-json");
    }

    @Test
    void tenantBSeesNothingOfTenantA() throws Exception {
        String a = provision("iso-a-" + UUID.randomUUID().toString().substring(0, 8));
        String b = provision("iso-b-" + UUID.randomUUID().toString().substring(0, 8));
        var aKey = send("POST", "/v1/tenant/keys", a, "application/json", "{\"scope\": \"write\", \"name\": \"a-secret-name\"}");
        String aKeyId = (String) json(aKey).get("keyId");
        var bList = send("GET", "/v1/tenant/keys", b, null, null);
        assertFalse(bList.body().contains("a-secret-name"));
        assertProblem(send("DELETE", "/v1/tenant/keys/" + aKeyId, b, null, null), 404, "not-found");
        assertProblem(send("GET", "/v1/tenant/keys", (String) json(aKey).get("apiKey"), null, null), 403, "forbidden");
        assertEquals(200, send("GET", "/v1/tenant/keys", a, null, null).statusCode());
    }

    @Test
    void deprovisioningRunsAsAJobThroughTheStream() throws Exception {
        String slug = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        var created = send("POST", "/v1/tenants", runner.operatorKey(), "application/json",
                "{\"name\": \"Gone\", \"slug\": \"" + slug + "\"}");
        String tenantId = (String) json(created).get("tenantId");
        String key = (String) json(created).get("apiKey");
        var r = send("DELETE", "/v1/tenants/" + tenantId, runner.operatorKey(), null, null);
        assertEquals(202, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertProblem(send("GET", "/v1/tenant", key, null, null), 401, "unauthorized");
        String status = "";
        for (int i = 0; i < 100 && !status.equals("succeeded"); i++) {
            Thread.sleep(100);
            status = (String) json(send("GET", location, runner.operatorKey(), null, null)).get("status");
        }
        assertEquals("succeeded", status);
    }

    @Test
    void aContactsEventIsStoredThroughTheStreamAsOnAws() throws Exception {
        String slug = "ev-" + UUID.randomUUID().toString().substring(0, 8);
        var created = send("POST", "/v1/tenants", runner.operatorKey(), "application/json",
                "{\"name\": \"Events\", \"slug\": \"" + slug + "\"}");
        String tenantId = (String) json(created).get("tenantId");
        var r = send("POST", "/v1/contacts", (String) json(created).get("apiKey"), "application/json", "{\"firstName\": \"Local\"}");
        assertEquals(201, r.statusCode(), r.body());
        String pk = dev.crm.shared.store.dynamodb.Keys.contact(new dev.crm.shared.tenant.TenantId(tenantId),
                (String) json(r).get("id"));
        java.util.List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> stored = java.util.List.of();
        for (int i = 0; i < 100 && stored.isEmpty(); i++) {
            Thread.sleep(100);
            stored = runner.dynamoDbClient().query(b -> b.tableName(dev.crm.devkit.LocalDynamoDb.TABLE).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :ev)")
                    .expressionAttributeValues(Map.of(":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(pk),
                            ":ev", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("EV#")))).items();
        }
        assertEquals(1, stored.size(), "ContactEventsFunction, fed by the stream pump from the template's filter");
        assertEquals("contact.created", stored.get(0).get("eventType").s());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anApiCallsMetricsDocumentReachesTheRunnersConsoleAsLambdaShipsItToCloudWatchLogs() throws Exception {
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                seen.write(b);
                console.write(b);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = send("GET", "/v1/tenant", runner.demoAdminKey(), null, null);
        } finally {
            System.setOut(console);
        }
        assertEquals(200, r.statusCode(), r.body());
        var emf = seen.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("{\"_aws\"") && l.contains("\"Route\":\"GET /v1/tenant\"")).toList();
        assertEquals(1, emf.size(), "the function's EMF line, whole and alone on its line: " + seen);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(emf.get(0));
        Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
        var directive = (Map<String, Object>) ((java.util.List<Object>) aws.get("CloudWatchMetrics")).get(0);
        assertEquals("ServerlessCrm", directive.get("Namespace"));
        assertEquals("2xx", doc.get("Outcome"));
        assertNotNull(doc.get("tenantId"), "the demo tenant, as a property");
    }

    @Test
    void aTakenPortIsReportedAsSuch() {
        int port = URI.create(runner.url()).getPort();
        assertThrows(BindException.class, () -> LocalRunner.start(port, true, null, Map.of()));
    }
}
