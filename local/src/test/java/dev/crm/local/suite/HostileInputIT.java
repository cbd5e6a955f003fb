package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.local.LocalRunner;
import dev.crm.shared.json.Json;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Hostile inputs against every route, generated from its sample: malformed JSON, deep nesting,
 * huge values, wrong types and nulls in every field, unknown and read-only fields, unicode edge
 * cases, injection strings, hostile ids, headers, cursors and query parameters. Each must be a 4xx
 * problem+json (never a 5xx), and a rejected request must leave every domain item as it was.
 */
class HostileInputIT {
    static LocalRunner runner;
    static DynamoDbClient db;
    static SampleWalk walk;
    static Map<String, String> replace;
    static String adminKey;
    static final ApiContract contract = new ApiContract();
    static final List<String> report = new ArrayList<>();
    /** Every violation is collected, so one run shows them all. */
    static final List<String> failures = new ArrayList<>();

    static void check(boolean ok, String message) {
        if (!ok) {
            failures.add(message);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_hostilesuiteoperatorkey0123456789"));
        walk = new SampleWalk(runner.url(), runner.operatorKey()).withSecretsFrom(runner.dynamoDbClient());
        var r = walk.send(null, "POST", "/v1/tenants", "/v1/tenants", null,
                Map.of("Authorization", "Bearer " + runner.operatorKey(), "Content-Type", "application/json"),
                "{\"name\": \"Hostile\", \"slug\": \"hostile\"}");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.parse(r.response().body());
        adminKey = (String) body.get("apiKey");
        replace = SampleWalk.replacements((String) body.get("tenantId"), adminKey, "hostile");
        // create the resources the samples name, but delete and deprovision nothing
        walk.walk(replace, adminKey, p -> !p.getFileName().toString().matches("(delete|revoke|deprovision)-.*"));
        db = runnerClient();
    }

    static DynamoDbClient runnerClient() {
        return runner.dynamoDbClient();
    }

    @AfterAll
    static void stop() {
        runner.close();
        System.out.println("hostile input cases: " + report.size());
    }

    /** Sends one hostile variant and checks it: 4xx problem+json, nothing written. */
    static void expectRejected(String label, Path sample, String method, String template, String path, String query,
            Map<String, String> headers, String body) throws Exception {
        TableSnapshot.clearRateCounters(db, LocalDynamoDb.TABLE);
        Map<String, String> before = TableSnapshot.take(db, LocalDynamoDb.TABLE);
        var r = walk.send(sample, method, template, path, query, headers, body).response();
        String where = label + " " + method + " " + path + " -> " + r.statusCode() + " "
                + r.body().substring(0, Math.min(200, r.body().length()));
        check(r.statusCode() >= 400 && r.statusCode() < 500, "not a 4xx: " + where);
        // the limiter answering would hide whether the input itself is refused
        check(r.statusCode() != 429, "rate-limited, so nothing was checked: " + where);
        check(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), "not problem+json: " + where);
        check(!r.body().contains("Exception") && !r.body().contains("\tat "), "internals shown: " + where);
        if (r.statusCode() >= 400) {
            check(before.equals(TableSnapshot.take(db, LocalDynamoDb.TABLE)), "a rejected request wrote something: " + where);
        }
        report.add(label);
    }

    /** Sends a variant that may be accepted: never a 5xx. */
    static void expectNo5xx(String label, String method, String template, String path, String query, Map<String, String> headers,
            String body) throws Exception {
        TableSnapshot.clearRateCounters(db, LocalDynamoDb.TABLE);
        var r = walk.send(null, method, template, path, query, headers, body).response();
        check(r.statusCode() != 429, "rate-limited, so nothing was checked: " + label + " " + method + " " + path);
        check(r.statusCode() < 500, "5xx: " + label + " " + method + " " + path + " -> " + r.statusCode() + " " + r.body());
        report.add(label);
    }

    record Request(Path sample, String method, String template, String path, String query, Map<String, String> headers,
            String body, String media) {}

    /** Every API sample as a request of the tenant's (admin or operator) key. */
    static List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            Map<String, Object> json = SampleEvents.read(p, replace);
            if (!SampleEvents.isApiEvent(json)) {
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String media = null;
            for (var h : SamTemplate.map(json.get("headers")).entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Type")) {
                    media = String.valueOf(h.getValue());
                    headers.put("Content-Type", media);
                } else if (h.getKey().equalsIgnoreCase("If-Match")) {
                    headers.put("If-Match", String.valueOf(h.getValue()));
                }
            }
            headers.put("Authorization", "Bearer " + (SampleWalk.isOperator(json) ? runner.operatorKey() : adminKey));
            StringBuilder q = new StringBuilder();
            SamTemplate.map(json.get("queryStringParameters")).forEach((k, v) ->
                    q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(java.net.URLEncoder.encode(String.valueOf(v),
                            java.nio.charset.StandardCharsets.UTF_8)));
            out.add(new Request(p, (String) json.get("httpMethod"), (String) json.get("resource"), (String) json.get("path"),
                    q.toString(), headers, (String) json.get("body"), media));
        }
        return out;
    }

    static final List<Object> WRONG_VALUES = java.util.Arrays.asList(12345, -1, 3.5, true, List.of(), Map.of(), "x".repeat(5000),
            List.of(List.of(List.of())), "\u0000", null);
    static final List<String> NASTY_STRINGS = List.of("<script>alert(1)</script>", "'; DROP TABLE contacts; --",
            "attribute_exists(PK) OR #a = :v", "${jndi:ldap://evil/x}", "\u202eevil\u202c", "\ud83d\ude00\u200d\ud83d\udd25",
            "a\u0301\u0301\u0301\u0301", "\\u0000", "../../../etc/passwd", "%00", "\r\nSet-Cookie: x=y", "\ud800");

    @org.junit.jupiter.api.AfterEach
    void noFailures() {
        List<String> found = new ArrayList<>(failures);
        failures.clear();
        assertEquals(List.of(), found);
    }

    @Test
    @SuppressWarnings("unchecked")
    void malformedDeepHugeAndMistypedBodiesAreRejectedAndWriteNothing() throws Exception {
        for (Request r : requests()) {
            if (r.body() == null || r.media() == null || !r.media().contains("json") || r.method().equals("GET")) {
                continue;
            }
            String label = r.sample().getFileName().toString();
            if (r.media().contains("x-ndjson")) {
                // An NDJSON import accepts any line and rejects the bad ones per line in its job (the 202
                // starts a job that writes while later checks compare the table): InteractionImportIT
                // checks malformed and mistyped lines; its ids, headers and parameters are checked below.
                continue;
            }
            String specTemplate = contract.template(r.method(), r.path());
            if (specTemplate == null || contract.requestBodyRequired(r.method(), specTemplate)) {
                expectRejected(label + " empty", r.sample(), r.method(), r.template(), r.path(), r.query(), r.headers(), "");
            }
            for (String bad : List.of("{", "[", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "NaN", "{\"a\":1,\"a\":2}",
                    r.body().substring(0, Math.max(1, r.body().length() / 2)), "\"just a string\"", "[1,2,3]", "123", "null",
                    "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}")) {
                expectRejected(label + " malformed", r.sample(), r.method(), r.template(), r.path(), r.query(), r.headers(), bad);
            }
            // over the body limit (imports take more; their limit is tested with them)
            if (!r.template().endsWith("/imports")) {
                expectRejected(label + " huge", r.sample(), r.method(), r.template(), r.path(), r.query(), r.headers(),
                        "{\"a\": \"" + "x".repeat(300_000) + "\"}");
            }
            Object parsed = Json.parse(r.body());
            if (!(parsed instanceof Map<?, ?> base)) {
                continue;
            }
            Map<String, Object> valid = (Map<String, Object>) base;
            // an unknown field, and read-only fields with other values
            for (var extra : Map.<String, Object>of("zzUnknown", 1, "tenantId", "t_aaaaaaaaaaaaaaaaaaaa", "id", "c_aaaaaaaaaaaaaaaaaaaa",
                    "version", 99, "createdAt", "2001-01-01T00:00:00Z").entrySet()) {
                Map<String, Object> v = new LinkedHashMap<>(valid);
                v.put(extra.getKey(), extra.getValue());
                expectRejected(label + " field " + extra.getKey(), r.sample(), r.method(), r.template(), r.path(), r.query(),
                        r.headers(), Json.write(v));
            }
            // every field with every wrong type: what the contract calls invalid must be rejected
            String template = contract.template(r.method(), r.path());
            for (String field : new TreeMap<>(valid).keySet()) {
                for (Object wrong : WRONG_VALUES) {
                    Map<String, Object> v = new LinkedHashMap<>(valid);
                    v.put(field, wrong);
                    String body = Json.write(v);
                    if (template != null && !contract.requestValid(r.method(), template, r.media().split(";")[0], body)) {
                        expectRejected(label + " " + field + "=" + String.valueOf(wrong).substring(0, Math.min(10, String.valueOf(wrong).length())),
                                r.sample(), r.method(), r.template(), r.path(), r.query(), r.headers(), body);
                    } else {
                        expectNo5xx(label + " " + field, r.method(), r.template(), r.path(), r.query(), r.headers(), body);
                    }
                }
                if (valid.get(field) instanceof String) {
                    for (String nasty : NASTY_STRINGS) {
                        Map<String, Object> v = new LinkedHashMap<>(valid);
                        v.put(field, nasty);
                        expectNo5xx(label + " " + field + " nasty", r.method(), r.template(), r.path(), r.query(), r.headers(),
                                Json.write(v));
                    }
                }
            }
        }
    }

    @Test
    void hostileIdsHeadersCursorsAndParametersAreRejected() throws Exception {
        for (Request r : requests()) {
            String label = r.sample().getFileName().toString();
            boolean json = r.media() != null && r.media().contains("json");
            // hostile ids in every path parameter position
            if (r.template().contains("{") && !r.method().equals("OPTIONS")) {
                for (String id : List.of("..", "..%2F..%2Fetc", "c_", "c_%00", "x".repeat(300), "%F0%9F%98%80", "c_AAAAAAAAAAAAAAAAAAAA",
                        "t_aaaaaaaaaaaaaaaaaaaa%23C%23c_aaaaaaaaaaaaaaaaaaaa", "%27%20OR%201%3D1")) {
                    String path = r.template().replaceAll("\\{[^}]+}", id);
                    var resp = walk.send(r.sample(), r.method(), r.template(), path, r.query(), r.headers(), r.body()).response();
                    check(resp.statusCode() >= 400 && resp.statusCode() < 500,
                            label + " id " + id + " -> " + resp.statusCode() + " " + resp.body());
                    report.add(label + " id");
                }
            }
            // hostile headers
            if (r.body() != null && !r.method().equals("GET")) {
                Map<String, String> h = new LinkedHashMap<>(r.headers());
                h.put("Idempotency-Key", "k".repeat(300));
                expectRejected(label + " long idempotency key", r.sample(), r.method(), r.template(), r.path(), r.query(), h, r.body());
                if (json) {
                    Map<String, String> wrongType = new LinkedHashMap<>(r.headers());
                    wrongType.put("Content-Type", "text/xml");
                    expectRejected(label + " media type", r.sample(), r.method(), r.template(), r.path(), r.query(), wrongType, r.body());
                    Map<String, String> charset = new LinkedHashMap<>(r.headers());
                    charset.put("Content-Type", "application/json; charset=ISO-8859-1");
                    expectRejected(label + " charset", r.sample(), r.method(), r.template(), r.path(), r.query(), charset, r.body());
                }
            }
            if (r.headers().containsKey("If-Match")) {
                for (String im : List.of("garbage", "\"-1\"", "\"99999\"", "W/\"abc\"", "*")) {
                    Map<String, String> h = new LinkedHashMap<>(r.headers());
                    h.put("If-Match", im);
                    expectRejected(label + " If-Match " + im, r.sample(), r.method(), r.template(), r.path(), r.query(), h, r.body());
                }
            }
            // list parameters
            if (r.method().equals("GET") && r.query() != null && r.query().contains("limit")) {
                for (String q : List.of("limit=0", "limit=201", "limit=abc", "limit=-5", "cursor=garbage", "cursor=a.b.c",
                        "cursor=" + "x".repeat(5000), "limit=10&limit=20")) {
                    expectRejected(label + " " + q.substring(0, Math.min(12, q.length())), r.sample(), r.method(), r.template(),
                            r.path(), q, r.headers(), r.body());
                }
            }
        }
    }
}
