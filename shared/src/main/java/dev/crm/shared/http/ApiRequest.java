package dev.crm.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Principal;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A read-only view of an API Gateway proxy event, with case-insensitive headers. */
public final class ApiRequest {
    private final APIGatewayProxyRequestEvent event;
    private final Map<String, String> headers;
    private String body;
    private boolean bodyDecoded;
    private Principal caller;
    private java.util.Collection<String> corsOrigins = List.of();

    public ApiRequest(APIGatewayProxyRequestEvent event) {
        this.event = event;
        this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            for (var e : event.getHeaders().entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    headers.put(e.getKey(), e.getValue());
                }
            }
        }
    }

    public APIGatewayProxyRequestEvent event() {
        return event;
    }

    public String method() {
        return event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(Locale.ROOT);
    }

    /** The route template, e.g. {@code /v1/contacts/{id}}. */
    public String resource() {
        return event.getResource() == null ? "" : event.getResource();
    }

    public String path() {
        return event.getPath();
    }

    public String pathParameter(String name) {
        Map<String, String> p = event.getPathParameters();
        return p == null ? null : p.get(name);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A query parameter given once; a repeated one is a 400 (the API has no list parameters). */
    public String query(String name) {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null) {
            List<String> values = multi.get(name);
            if (values != null && values.size() > 1) {
                throw ApiProblem.parameter(name, "must be given at most once");
            }
        }
        Map<String, String> q = event.getQueryStringParameters();
        return q == null ? null : q.get(name);
    }

    public Map<String, String> queryParameters() {
        Map<String, String> q = event.getQueryStringParameters();
        return q == null ? Map.of() : q;
    }

    /** The body as text, base64-decoded when API Gateway marked it so; null when absent. */
    public String body() {
        if (!bodyDecoded) {
            String raw = event.getBody();
            if (raw != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
                try {
                    raw = new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.of(ProblemType.MALFORMED_JSON, "the body is not valid base64");
                }
            }
            body = raw;
            bodyDecoded = true;
        }
        return body;
    }

    public int bodyLength() {
        String b = body();
        return b == null ? 0 : b.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The media type without parameters, lower-cased; null when there is no Content-Type. */
    public String mediaType() {
        String ct = header("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).trim().toLowerCase(Locale.ROOT);
    }

    public String requestId() {
        var ctx = event.getRequestContext();
        return ctx == null || ctx.getRequestId() == null ? "local" : ctx.getRequestId();
    }

    public String sourceIp() {
        var ctx = event.getRequestContext();
        if (ctx == null || ctx.getIdentity() == null) {
            return null;
        }
        return ctx.getIdentity().getSourceIp();
    }

    public String userAgent() {
        return header("User-Agent");
    }

    public String origin() {
        return header("Origin");
    }

    /** The caller as the authorizer saw it; null on public routes. */
    public Principal principal() {
        var ctx = event.getRequestContext();
        return ctx == null ? null : Principal.fromAuthorizerContext(ctx.getAuthorizer());
    }

    /** Set by the router once the route's scope check passed. */
    void caller(Principal p) {
        this.caller = p;
    }

    /** The authenticated tenant; only on routes that need a tenant key. */
    public TenantId tenant() {
        if (caller == null || caller.tenantId() == null) {
            throw ApiProblem.of(ProblemType.FORBIDDEN, "this route needs a tenant key");
        }
        return caller.tenantId();
    }

    /**
     * A path id the product issued (prefix and shape); anything else cannot exist, so it is simply
     * not found, without a read.
     *
     * @param what the thing's name in the 404's detail, e.g. "the contact"
     */
    public String idParameter(String name, String prefix, String what) {
        String id = pathParameter(name);
        if (!Ids.isValid(prefix, id)) {
            throw ApiProblem.notFound(what);
        }
        return id;
    }

    /**
     * The caller's tenant record (settings, signing keys), from the cache. A key that outlived its
     * tenant (deprovisioned while the authorizer's answer was still cached) is refused as unauthorized.
     */
    public Tenant callerTenant(TenantCache tenants) {
        Tenant t = tenants.get(tenant());
        if (t == null) {
            throw ApiProblem.of(ProblemType.UNAUTHORIZED, "the tenant no longer exists");
        }
        return t;
    }

    public Principal caller() {
        return caller;
    }

    /** Public routes set their tenant's origins once they know the tenant; errors carry them too. */
    public void corsOrigins(java.util.Collection<String> origins) {
        this.corsOrigins = origins == null ? List.of() : origins;
    }

    java.util.Collection<String> corsOrigins() {
        return corsOrigins;
    }

    /** The body parsed as a JSON object with a fresh violation collector. */
    public dev.crm.shared.json.JsonObject jsonObject() {
        Object parsed = dev.crm.shared.json.Json.parse(body());
        dev.crm.shared.json.Violations v = new dev.crm.shared.json.Violations();
        dev.crm.shared.json.JsonObject o = dev.crm.shared.json.JsonObject.of(parsed, v);
        ApiProblem.throwIfAny(v);
        return o;
    }

    /**
     * The version an If-Match header names: {@code "3"} (or W/"3"). Missing: 428. Not one of ours:
     * 412, since it cannot match any version.
     */
    public long requireIfMatch() {
        String h = header("If-Match");
        if (h == null || h.isBlank()) {
            throw ApiProblem.of(ProblemType.PRECONDITION_REQUIRED,
                    "send If-Match with the ETag from your last read");
        }
        String v = h.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            long version = Long.parseLong(v);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "If-Match does not name a current version");
        }
    }

    /** The Idempotency-Key header, validated (1 to 255 visible ASCII characters); null when absent. */
    public String idempotencyKey() {
        String k = header("Idempotency-Key");
        if (k == null) {
            return null;
        }
        if (k.isEmpty() || k.length() > 255 || !k.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ApiProblem.validation(new dev.crm.shared.json.Violations().header("Idempotency-Key",
                    "must be 1 to 255 printable ASCII characters"));
        }
        return k;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
