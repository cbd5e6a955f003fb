package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.Send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bodies of POST /v1/topics, /sends and the public subscribe. */
class RequestBodiesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static JsonObject body(String json, Violations v) {
        return JsonObject.of(Json.parse(json), v);
    }

    private static List<Object> pointers(Violations v) {
        return v.items().stream().map(m -> m.get("pointer")).toList();
    }

    @Test
    void topics() {
        Violations v = new Violations();
        assertEquals(new Topic("b2b-news", "B2B news", null, NOW),
                Topic.parse(body("{\"key\": \"b2b-news\", \"name\": \"B2B news\"}", v), NOW));
        assertTrue(v.isEmpty());
        assertNull(Topic.parse(body("{\"key\": \"-bad\", \"name\": \"" + "n".repeat(101) + "\", \"description\": 5}", v), NOW));
        assertEquals(List.of("/key", "/name", "/description"), pointers(v));
    }

    @Test
    void sends() {
        Violations v = new Violations();
        Send s = Send.parse(body("{\"id\": \"c-1\", \"channel\": \"sms\", \"at\": \"2026-11-23T10:04:00.1234Z\"}", v), NOW);
        assertEquals(new Send("c-1", Channel.SMS, null, Instant.parse("2026-11-23T10:04:00.123Z")), s, "milliseconds");
        assertEquals(NOW, Send.parse(body("{\"id\": \"c-2\", \"channel\": \"email\"}", v), NOW).at());
        assertEquals(s.fingerprint(), new Send("c-1", Channel.SMS, null, NOW).fingerprint(), "the instant is not content");
        assertTrue(v.isEmpty());
        assertNull(Send.parse(body("{\"id\": \"c-3\", \"channel\": \"email\", \"at\": \"2025-11-22T10:00:00Z\"}", v), NOW));
        assertNull(Send.parse(body("{\"id\": \"c-4\", \"channel\": \"email\", \"at\": \"2026-11-23T10:05:01Z\"}", v), NOW));
        assertNull(Send.parse(body("{\"channel\": \"email\", \"topic\": \"Not A Key\"}", v), NOW));
        assertEquals(List.of("/at", "/at", "/id", "/topic"), pointers(v));
    }

    @Test
    void subscriptions() {
        Violations v = new Violations();
        SubscribeRequest r = SubscribeRequest.parse(body("{\"email\": \" Jane@Example.com \", \"topics\": [\"news\", \"news\"]}", v),
                Set.of("news"));
        assertEquals(new SubscribeRequest("Jane@Example.com", Channel.EMAIL, List.of("news")), r);
        assertEquals(List.of(), SubscribeRequest.parse(body("{\"email\": \"a@b.example\", \"channel\": null}", v), Set.of()).topics());
        assertTrue(v.isEmpty());
        assertNull(SubscribeRequest.parse(body("{\"topics\": \"news\", \"channel\": \"post\"}", v), Set.of("news")));
        assertEquals(List.of("/email", "/channel", "/topics"), pointers(v));
    }

    @Test
    void aSubscriptionWithNullTopicsIsRefusedNotTakenForNone() {
        Violations v = new Violations();
        assertNull(SubscribeRequest.parse(body("{\"email\": \"a@b.example\", \"topics\": null}", v), Set.of("news")));
        assertEquals(List.of("/topics"), pointers(v));
    }
}
