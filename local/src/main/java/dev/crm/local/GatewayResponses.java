package dev.crm.local;

import dev.crm.devkit.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway's own error responses as template.yaml declares them (GatewayResponses), rendered the
 * way API Gateway renders them, so local clients see the same status, headers and problem+json.
 */
final class GatewayResponses {
    record Rendered(int status, Map<String, String> headers, String body) {}

    private final Map<String, Object> responses;

    GatewayResponses(SamTemplate template) {
        this.responses = SamTemplate.map(template.apiProperties().get("GatewayResponses"));
    }

    /**
     * @param type       the gateway response type (UNAUTHORIZED, MISSING_AUTHENTICATION_TOKEN, …)
     * @param status     API Gateway's default status for it, used when the template does not override it
     * @param message    what API Gateway would put in $context.error.message
     */
    Rendered render(String type, int status, String message, String requestId) {
        Map<String, Object> r = SamTemplate.map(responses.get(type));
        String family = status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
        Map<String, Object> fallback = SamTemplate.map(responses.get(family));
        if (r.isEmpty()) {
            r = fallback;
        }
        Object code = r.get("StatusCode");
        int finalStatus = code == null ? status : Integer.parseInt(String.valueOf(code));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        for (var h : SamTemplate.map(SamTemplate.map(r.get("ResponseParameters")).get("Headers")).entrySet()) {
            headers.put(h.getKey(), unquote(String.valueOf(h.getValue())));
        }
        Object template = SamTemplate.map(r.get("ResponseTemplates")).get("application/json");
        String body = template == null ? "{\"message\":" + jsonString(message) + "}"
                : String.valueOf(template)
                        .replace("$context.requestId", requestId)
                        .replace("$context.error.messageString", jsonString(message))
                        .replace("$context.error.message", message);
        return new Rendered(finalStatus, headers, body);
    }

    /** Response parameters are static values in single quotes: {@code "'application/problem+json'"}. */
    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("'") && v.endsWith("'") ? v.substring(1, v.length() - 1) : v;
    }

    static String jsonString(String s) {
        return dev.crm.shared.json.Json.write(s);
    }
}
