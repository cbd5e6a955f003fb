package dev.crm.shared.http;

import java.util.Collection;
import java.util.Map;

/**
 * CORS headers for an allowed Origin. Authenticated routes allow the dashboard origins (a template
 * parameter); public routes allow the origins the tenant lists in its settings.
 */
public final class Cors {
    public static final String ALLOW_HEADERS =
            "Authorization, Content-Type, If-Match, Idempotency-Key";
    public static final String EXPOSE_HEADERS =
            "ETag, Location, Retry-After, Idempotent-Replayed";

    private Cors() {}

    public static void apply(Map<String, String> headers, String origin, Collection<String> allowed) {
        if (origin == null || allowed == null || allowed.isEmpty()) {
            return;
        }
        if (allowed.contains(origin) || allowed.contains("*")) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Expose-Headers", EXPOSE_HEADERS);
            headers.put("Vary", "Origin");
        }
    }

    public static void preflight(Map<String, String> headers, String origin, Collection<String> allowed,
            String methods) {
        apply(headers, origin, allowed);
        if (headers.containsKey("Access-Control-Allow-Origin")) {
            headers.put("Access-Control-Allow-Methods", methods);
            headers.put("Access-Control-Allow-Headers", ALLOW_HEADERS);
            headers.put("Access-Control-Max-Age", "600");
        }
    }
}
