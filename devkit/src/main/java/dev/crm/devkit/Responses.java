package dev.crm.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.json.Json;
import java.util.List;
import java.util.Map;

/** Assertions on handler responses that every integration test needs. */
public final class Responses {
    private Responses() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> body(APIGatewayProxyResponseEvent r) {
        return (Map<String, Object>) Json.parse(r.getBody());
    }

    public static String header(APIGatewayProxyResponseEvent r, String name) {
        if (r.getHeaders() == null) {
            return null;
        }
        for (var e : r.getHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Asserts a problem+json response with that status and type slug; returns its body. */
    public static Map<String, Object> problem(APIGatewayProxyResponseEvent r, int status, String typeSlug) {
        assertEquals(status, r.getStatusCode(), () -> "status; body: " + r.getBody());
        assertEquals("application/problem+json", header(r, "Content-Type"));
        Map<String, Object> b = body(r);
        assertEquals("https://serverless-crm.dev/problems/" + typeSlug, b.get("type"), () -> "type; body: " + r.getBody());
        assertEquals(status, ((Number) b.get("status")).intValue());
        assertTrue(b.get("title") instanceof String);
        assertTrue(b.get("detail") instanceof String);
        assertFalse(r.getBody().contains("Exception"), "no exception names in problem bodies");
        assertFalse(r.getBody().contains("\tat "), "no stack traces in problem bodies");
        return b;
    }

    /** The JSON Pointers a validation problem names. */
    @SuppressWarnings("unchecked")
    public static List<String> pointers(APIGatewayProxyResponseEvent r) {
        Map<String, Object> b = body(r);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) b.getOrDefault("errors", List.of());
        return errors.stream().map(e -> String.valueOf(e.getOrDefault("pointer", e.get("parameter")))).toList();
    }

    public static void status(APIGatewayProxyResponseEvent r, int expected) {
        assertEquals(expected, r.getStatusCode(), () -> "status; body: " + r.getBody());
    }
}
