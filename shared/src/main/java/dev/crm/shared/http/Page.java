package dev.crm.shared.http;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * List paging as the conventions define it: {@code ?limit=} (default 50, at most 200) and an opaque
 * {@code ?cursor=}. A cursor is the store's resume key, signed with the tenant's signing key and
 * bound to the tenant and the query; forged, expired or foreign cursors are a 400.
 */
public final class Page {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final Duration CURSOR_LIFETIME = Duration.ofHours(24);

    private Page() {}

    public static int limit(ApiRequest request) {
        String l = request.query("limit");
        if (l == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(l);
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiProblem.parameter("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    /** The list response shape every list route returns. */
    public static Map<String, Object> body(List<?> items, String nextCursor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("nextCursor", nextCursor);
        return m;
    }

    /**
     * The client's {@code cursor} for the store's {@code next}: the store's cursor signed with the
     * tenant's current signing key, bound to the tenant and the query, valid 24 h.
     *
     * @param query a canonical description of the query (route and filters), so a cursor from one
     *              query cannot be replayed against another
     * @return null when there is no next page
     */
    public static String cursor(TenantId tenant, TenantSecrets secrets, String query, Cursor next, Instant now) {
        if (next == null) {
            return null;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("c", next.value());
        payload.put("x", now.plus(CURSOR_LIFETIME).getEpochSecond());
        return sign(tenant, secrets, query, payload);
    }

    /**
     * The store's cursor from the request's {@code cursor} parameter, or null when none was given.
     * Forged, expired, another tenant's or another query's cursors are a 400 {@code invalid-cursor}.
     */
    public static Cursor from(ApiRequest request, TenantId tenant, TenantSecrets secrets, String query, Instant now) {
        Map<String, Object> payload = verified(request, tenant, secrets, query, now);
        if (payload == null) {
            return null;
        }
        if (!(payload.get("c") instanceof String c) || c.isEmpty()) {
            throw invalid();
        }
        return new Cursor(c);
    }

    private static String sign(TenantId tenant, TenantSecrets secrets, String query, Map<String, Object> payload) {
        var signingKey = secrets.current();
        String body = Hashes.base64Url(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        String mac = Hashes.base64Url(Hashes.hmac(signingKey.secret(), macInput(tenant, query, signingKey.kid(), body)));
        return signingKey.kid() + "." + body + "." + mac;
    }

    /** The cursor's payload once its signature, tenant, query and expiry hold; null when none was given. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> verified(ApiRequest request, TenantId tenant, TenantSecrets secrets,
            String query, Instant now) {
        String cursor = request.query("cursor");
        if (cursor == null) {
            return null;
        }
        String[] parts = cursor.length() > 4096 ? new String[0] : cursor.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid();
        }
        var key = secrets.find(parts[0]);
        byte[] mac = Hashes.fromBase64Url(parts[2]);
        if (key == null || mac == null
                || !Hashes.equal(mac, Hashes.hmac(key.secret(), macInput(tenant, query, parts[0], parts[1])))) {
            throw invalid();
        }
        byte[] json = Hashes.fromBase64Url(parts[1]);
        Map<String, Object> payload;
        try {
            payload = (Map<String, Object>) Json.parse(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw invalid();
        }
        Object exp = payload.get("x");
        if (!(exp instanceof Number n) || n.longValue() < now.getEpochSecond()) {
            throw ApiProblem.of(ProblemType.INVALID_CURSOR, "the cursor has expired; start the list again");
        }
        return payload;
    }

    private static byte[] macInput(TenantId tenant, String query, String kid, String body) {
        return ("cursor|" + tenant.value() + "|" + query + "|" + kid + "|" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static ApiProblem invalid() {
        return ApiProblem.of(ProblemType.INVALID_CURSOR, "the cursor is not valid for this list")
                .with("errors", List.of(Map.of("parameter", "cursor", "detail", "not a cursor this list issued")));
    }
}
