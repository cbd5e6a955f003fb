package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the proxy events API Gateway sends for a REST API with a REQUEST authorizer: resource
 * template, path and query parameters, headers, body and the authorizer's context.
 */
public final class ApiEvents {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final String method;
    private final String resource;
    private final Map<String, String> pathParams = new LinkedHashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private Map<String, Object> authorizer;
    private String sourceIp = "203.0.113.7";

    private ApiEvents(String method, String resource) {
        this.method = method;
        this.resource = resource;
    }

    /** @param resource the route template, e.g. {@code /v1/contacts/{id}} */
    public static ApiEvents request(String method, String resource) {
        return new ApiEvents(method, resource);
    }

    public ApiEvents path(String name, String value) {
        pathParams.put(name, value);
        return this;
    }

    public ApiEvents query(String name, String value) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    public ApiEvents header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ApiEvents json(String json) {
        headers.putIfAbsent("Content-Type", "application/json");
        this.body = json;
        return this;
    }

    public ApiEvents body(String contentType, String body) {
        headers.put("Content-Type", contentType);
        this.body = body;
        return this;
    }

    public ApiEvents as(TenantId tenant, Scope scope) {
        authorizer = new HashMap<>();
        authorizer.put("tenantId", tenant == null ? "" : tenant.value());
        authorizer.put("scope", scope.wire());
        authorizer.put("keyId", "key_test");
        return this;
    }

    public ApiEvents operator() {
        return as(null, Scope.OPERATOR);
    }

    public ApiEvents sourceIp(String ip) {
        this.sourceIp = ip;
        return this;
    }

    public APIGatewayProxyRequestEvent build() {
        APIGatewayProxyRequestEvent e = new APIGatewayProxyRequestEvent();
        e.setHttpMethod(method);
        e.setResource(resource);
        StringBuilder path = new StringBuilder();
        Matcher m = PARAM.matcher(resource);
        while (m.find()) {
            String v = pathParams.get(m.group(1));
            m.appendReplacement(path, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(path);
        e.setPath(path.toString());
        e.setPathParameters(pathParams.isEmpty() ? null : new HashMap<>(pathParams));
        if (!query.isEmpty()) {
            Map<String, String> single = new HashMap<>();
            query.forEach((k, v) -> single.put(k, v.get(v.size() - 1)));
            e.setQueryStringParameters(single);
            e.setMultiValueQueryStringParameters(new HashMap<>(query));
        }
        e.setHeaders(new HashMap<>(headers));
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        e.setMultiValueHeaders(multi);
        e.setBody(body);
        e.setIsBase64Encoded(false);
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(sourceIp);
        identity.setUserAgent(headers.getOrDefault("User-Agent", "test"));
        var ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setIdentity(identity);
        ctx.setHttpMethod(method);
        ctx.setResourcePath(resource);
        ctx.setPath("/v1" + path);
        ctx.setStage("v1");
        ctx.setAuthorizer(authorizer);
        e.setRequestContext(ctx);
        return e;
    }
}
