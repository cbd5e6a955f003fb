package dev.crm.webhooks.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PutEvents as EventBridge receives it, from a stand-in endpoint on 127.0.0.1. */
class EventBridgeBusTest {
    private final List<Map<String, Object>> calls = new CopyOnWriteArrayList<>();
    private volatile String answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";
    private final HttpServer server;

    EventBridgeBusTest() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", ex -> {
            calls.add(Map.of("target", String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target")),
                    "auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
                    "type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")),
                    "body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private EventBridgeBus bus() {
        return EventBridgeBus.fromSettings(new Settings(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "AWS_REGION", "eu-west-1", "EVENT_BUS_NAME", "crm-events")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEventIsOneSignedPutEventsEntryWithTheEnvelopeAsDetail() {
        String envelope = "{\"id\":\"evt_1\",\"type\":\"contact.created\",\"data\":{}}";
        bus().publish("crm.contacts", "contact.created", envelope);
        assertEquals(1, calls.size());
        Map<String, Object> call = calls.get(0);
        assertEquals("AWSEvents.PutEvents", call.get("target"));
        assertEquals("application/x-amz-json-1.1", call.get("type"));
        String auth = (String) call.get("auth");
        assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=local/") && auth.contains("/eu-west-1/events/aws4_request"), auth);
        var entries = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse((String) call.get("body"))).get("Entries");
        assertEquals(List.of(Map.of("Source", "crm.contacts", "DetailType", "contact.created", "Detail", envelope,
                "EventBusName", "crm-events")), entries);
    }

    @Test
    void aRefusedEntryFailsSoTheStreamRetries() {
        answer = "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"InternalFailure\"}]}";
        var e = assertThrows(IllegalStateException.class, () -> bus().publish("crm.contacts", "contact.created", "{}"));
        assertTrue(e.getMessage().contains("InternalFailure"));
    }
}
