package dev.crm.local.suite;

import dev.crm.shared.json.Json;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every API sample in events/ sent over HTTP to a running local runner, for one tenant: a request
 * for every route, in an order where creating samples come first and their new ids replace the
 * placeholders (c_example…, seg_example…) of the samples that follow.
 */
public final class SampleWalk {
    public static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One exchange: what was sent and what came back. */
    public record Exchange(Path sample, String method, String template, String path, String query, Map<String, String> headers,
            String body, HttpResponse<String> response) {}

    private final String baseUrl;
    private final String operatorKey;

    public SampleWalk(String baseUrl, String operatorKey) {
        this.baseUrl = baseUrl;
        this.operatorKey = operatorKey;
    }

    /**
     * Creating samples first (those that name another sample's resource, such as a case's contact,
     * after those that name none), deleting ones last, deprovisioning after everything.
     */
    public static List<Path> inRunOrder(List<Path> all) {
        List<Path> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt((Path p) -> {
            String n = p.getFileName().toString();
            if (n.startsWith("create-") || n.startsWith("provision-") || n.startsWith("record-")) {
                return namesAnotherSample(p) ? 1 : 0;
            }
            if (n.startsWith("delete-") || n.startsWith("revoke-")) {
                return 3;
            }
            if (n.equals("deprovision-tenant.json") || n.equals("get-erasure.json")) {
                return 4;
            }
            return n.startsWith("deprovision-") || n.equals("get-deprovisioning.json") ? 5 : 2;
        }).thenComparing(Path::toString));
        return sorted;
    }

    /** The sample's path or body holds a placeholder id (c_example…) another sample's answer replaces. */
    private static boolean namesAnotherSample(Path p) {
        Map<String, Object> json = SampleEvents.read(p, Map.of());
        return (String.valueOf(json.get("pathParameters")) + json.get("body")).contains("_example0");
    }

    /** The id a response carries (a created resource, a started job), to replace its placeholder kind. */
    public static void learn(String body, Map<String, String> replace) {
        if (body == null || !body.startsWith("{")) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(body);
        Object id = m.containsKey("keyId") ? m.get("keyId") : m.get("id");
        if (id instanceof String s && s.contains("_")) {
            String prefix = s.substring(0, s.indexOf('_') + 1);
            int zeros = s.length() - prefix.length() - "example".length();
            if (zeros > 0) {
                replace.putIfAbsent(prefix + "example" + "0".repeat(zeros), s);
            }
        }
    }

    public static Map<String, String> replacements(String tenantId, String adminKey, String slug) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put(SampleEvents.EXAMPLE_TENANT, tenantId);
        r.put("crm_live_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEX", adminKey);
        r.put("acme-example", slug + "-x");
        r.put("slug-example", slug);
        return r;
    }

    private java.util.function.Function<String, dev.crm.shared.tenant.TenantSecrets> secrets;

    /** Lets the walk mint real tokens for the token placeholders once it knows the sample contact. */
    public SampleWalk withSecrets(java.util.function.Function<String, dev.crm.shared.tenant.TenantSecrets> lookup) {
        this.secrets = lookup;
        return this;
    }

    /** Tenant secrets read from the runner's table. */
    public SampleWalk withSecretsFrom(software.amazon.awssdk.services.dynamodb.DynamoDbClient client) {
        var tenants = new dev.crm.shared.tenant.store.dynamodb.DynamoDbTenantRepository(
                new dev.crm.shared.store.dynamodb.Table(client, dev.crm.devkit.LocalDynamoDb.TABLE));
        return withSecrets(t -> tenants.find(new dev.crm.shared.tenant.TenantId(t)).secrets());
    }

    private void mintTokens(Map<String, String> replace) {
        String contact = replace.get("c_example0000000000000");
        if (secrets != null && contact != null && !replace.containsKey("tok_example_confirm")) {
            String tenant = replace.get(SampleEvents.EXAMPLE_TENANT);
            replace.putAll(dev.crm.devkit.SampleTokens.mint(new dev.crm.shared.tenant.TenantId(tenant), secrets.apply(tenant), contact,
                    java.time.Instant.now()));
        }
        if (secrets != null && replace.containsKey("cs_example0000000000000") && !replace.containsKey("tok_example_case")) {
            String tenant = replace.get(SampleEvents.EXAMPLE_TENANT);
            replace.putAll(dev.crm.devkit.SampleTokens.mintCase(new dev.crm.shared.tenant.TenantId(tenant), secrets.apply(tenant),
                    replace, java.time.Instant.now()));
        }
    }

    /** Runs the API samples the filter accepts; the tenant's admin key authenticates (operator samples: the operator key). */
    public List<Exchange> walk(Map<String, String> replace, String adminKey, Predicate<Path> include) throws Exception {
        List<Exchange> out = new ArrayList<>();
        for (Path p : inRunOrder(SampleEvents.all())) {
            if (!include.test(p)) {
                continue;
            }
            Exchange e = run(p, replace, adminKey);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Sends one sample with the replacements (minting tokens first once a contact is known) and learns
     * the id its response carries.
     *
     * @return the exchange, or null when the sample is not an API request
     */
    public Exchange run(Path sample, Map<String, String> replace, String adminKey) throws Exception {
        Exchange e = run(sample, replace, adminKey, json -> json);
        if (e != null) {
            learn(e.response().body(), replace);
        }
        return e;
    }

    /**
     * Sends one sample as {@code change} alters it (the sample's event JSON: body, headers, …), with the
     * replacements and tokens of {@link #run(Path, Map, String)}; learns nothing from the answer.
     *
     * @return the exchange, or null when the sample is not an API request
     */
    public Exchange run(Path sample, Map<String, String> replace, String adminKey,
            java.util.function.UnaryOperator<Map<String, Object>> change) throws Exception {
        mintTokens(replace);
        Map<String, Object> json = SampleEvents.read(sample, replace);
        if (!SampleEvents.isApiEvent(json)) {
            return null;
        }
        boolean operator = isOperator(json);
        return send(sample, change.apply(json), operator ? operatorKey : adminKey);
    }

    public static boolean isOperator(Map<String, Object> sample) {
        Map<String, Object> rc = SamTemplate.map(sample.get("requestContext"));
        return "operator".equals(SamTemplate.map(rc.get("authorizer")).get("scope"));
    }

    /** Sends a sample's request with {@code bearer} (null: no Authorization). */
    public Exchange send(Path sample, Map<String, Object> json, String bearer) throws Exception {
        String method = (String) json.get("httpMethod");
        String path = (String) json.get("path");
        StringBuilder query = new StringBuilder();
        Map<String, Object> q = SamTemplate.map(json.get("queryStringParameters"));
        for (var e : q.entrySet()) {
            query.append(query.length() == 0 ? "" : "&").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (var h : SamTemplate.map(json.get("headers")).entrySet()) {
            String name = h.getKey();
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Authorization") && !name.equalsIgnoreCase("User-Agent")) {
                headers.put(name, String.valueOf(h.getValue()));
            }
        }
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        String body = (String) json.get("body");
        return send(sample, method, (String) json.get("resource"), path, query.toString(), headers, body);
    }

    public Exchange send(Path sample, String method, String template, String path, String query, Map<String, String> headers,
            String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(baseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Exchange(sample, method, template, path, query, headers, body, r);
    }
}
