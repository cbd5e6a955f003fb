package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks through the local runner, with nothing but API calls: deliveries go out from the stream and
 * retries from the runner's own timer (CRM_WEBHOOK_RETRY_SCALE makes the schedule milliseconds), over
 * real HTTP to a receiver on 127.0.0.1 (CRM_WEBHOOK_ALLOW_LOOPBACK) that verifies each request with
 * the official Standard Webhooks library.
 */
class LocalWebhooksIT {
    static LocalRunner runner;
    static HttpServer receiver;
    static final HttpClient http = HttpClient.newHttpClient();
    static final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    static final Map<String, ConcurrentLinkedQueue<Integer>> answers = new ConcurrentHashMap<>();
    static final Map<String, String> secrets = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        receiver.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            boolean verified;
            try {
                new Webhook(secrets.get(path)).verify(body, headers);
                verified = true;
            } catch (Exception e) {
                verified = false;
            }
            received.add(Map.of("path", path, "id", headers.get("webhook-id").get(0), "body", body, "verified", verified));
            Integer status = answers.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
            ex.sendResponseHeaders(status == null ? 200 : status, -1);
            ex.close();
        });
        receiver.start();
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_e2eoperatorkey0123456789abcdefghij",
                "CRM_WEBHOOK_ALLOW_LOOPBACK", "true", "CRM_WEBHOOK_RETRY_SCALE", "0.001"));
    }

    @AfterAll
    static void stop() {
        runner.close();
        receiver.stop(0);
    }

    static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    static String adminKey() throws Exception {
        String slug = "wh-" + UUID.randomUUID().toString().substring(0, 8);
        var r = send("POST", "/v1/tenants", runner.operatorKey(), "{\"name\": \"Webhooks\", \"slug\": \"" + slug + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("apiKey");
    }

    static String endpoint(String key, String path, List<Integer> script) throws Exception {
        answers.put(path, new ConcurrentLinkedQueue<>(script));
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        var r = send("POST", "/v1/webhooks", key, "{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"]}");
        assertEquals(201, r.statusCode(), r.body());
        secrets.put(path, (String) json(r).get("secret"));
        return (String) json(r).get("id");
    }

    /** Waits for what the runner does by itself (no call makes it happen); false if it never does. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    static List<Map<String, Object>> at(String path, String id) {
        return received.stream().filter(m -> m.get("path").equals(path) && m.get("id").equals(id)).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTestMessageFailingTwiceIsRetriedByTheRunnerAloneAndDeliveredWithOneId() throws Exception {
        String key = adminKey();
        String id = endpoint(key, "/flaky", List.of(503, 503));
        var r = send("POST", "/v1/webhooks/" + id + "/test", key, null);
        assertEquals(202, r.statusCode(), r.body());
        String message = (String) json(r).get("id");
        assertTrue(eventually(() -> at("/flaky", message).size() >= 3), "three attempts arrived: " + received);
        assertTrue(at("/flaky", message).stream().allMatch(m -> (Boolean) m.get("verified")), "each verifies");
        assertTrue(eventually(() -> {
            try {
                var list = json(send("GET", "/v1/webhooks/" + id + "/deliveries", key, null));
                var item = ((List<Map<String, Object>>) list.get("items")).stream().filter(d -> d.get("id").equals(message))
                        .findFirst().orElseThrow();
                return "delivered".equals(item.get("status")) && ((List<Object>) item.get("attempts")).size() == 3;
            } catch (Exception e) {
                return false;
            }
        }));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGoneEndpointIsDisabledAndItsEventReachesTheBusValidAgainstItsSchema() throws Exception {
        String key = adminKey();
        String id = endpoint(key, "/gone", List.of(410));
        assertEquals(202, send("POST", "/v1/webhooks/" + id + "/test", key, null).statusCode());
        assertTrue(eventually(() -> {
            try {
                return Boolean.FALSE.equals(json(send("GET", "/v1/webhooks/" + id, key, null)).get("enabled"));
            } catch (Exception e) {
                return false;
            }
        }), "disabled after the 410");
        assertEquals("gone", json(send("GET", "/v1/webhooks/" + id, key, null)).get("disabledReason"));
        List<Map<String, Object>> found = new ArrayList<>();
        assertTrue(eventually(() -> {
            try {
                var events = (List<Map<String, Object>>) json(send("GET", "/_local/events", null, null)).get("items");
                found.clear();
                events.stream().filter(e -> "webhook.endpoint_disabled".equals(e.get("detailType"))
                        && id.equals(((Map<String, Object>) ((Map<String, Object>) e.get("detail")).get("data")).get("id")))
                        .forEach(found::add);
                return !found.isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "webhook.endpoint_disabled on the bus");
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) found.get(0).get("detail")).get("data");
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("..", "docs", "events", "webhook.endpoint_disabled.json")));
        var errors = schema.validate(new ObjectMapper().readTree(Json.write(data)));
        assertEquals(java.util.Set.of(), errors, "the event's data matches its schema");
        assertFalse(Json.write(found.get(0)).contains(secrets.get("/gone").substring(6)), "no secret on the bus");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewContactReachesItsTenantsEndpointAndTheBusAndNeverAnotherTenants() throws Exception {
        String keyA = adminKey();
        String keyB = adminKey();
        endpoint(keyA, "/shop-a", List.of());
        endpoint(keyB, "/shop-b", List.of());
        var created = send("POST", "/v1/contacts", keyA, "{\"firstName\": \"Ada\", \"email\": \"ada-"
                + UUID.randomUUID().toString().substring(0, 8) + "@example.com\"}");
        assertEquals(201, created.statusCode(), created.body());
        String contactId = (String) json(created).get("id");
        assertTrue(eventually(() -> received.stream().anyMatch(m -> m.get("path").equals("/shop-a")
                && ((String) m.get("body")).contains(contactId))), "contact.created reached tenant A's endpoint");
        Map<String, Object> delivered = received.stream().filter(m -> m.get("path").equals("/shop-a")).findFirst().orElseThrow();
        assertTrue((Boolean) delivered.get("verified"));
        Map<String, Object> envelope = (Map<String, Object>) Json.parse((String) delivered.get("body"));
        assertEquals("contact.created", envelope.get("type"));
        assertEquals(delivered.get("id"), envelope.get("id"), "webhook-id is the event id");
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("..", "docs", "events", "contact.created.json")));
        assertEquals(java.util.Set.of(), schema.validate(new ObjectMapper().readTree(Json.write(envelope.get("data")))));
        assertTrue(eventually(() -> {
            try {
                var events = (List<Map<String, Object>>) json(send("GET", "/_local/events", null, null)).get("items");
                return events.stream().anyMatch(e -> "contact.created".equals(e.get("detailType"))
                        && envelope.get("id").equals(((Map<String, Object>) e.get("detail")).get("id")));
            } catch (Exception e) {
                return false;
            }
        }), "the same event on the bus");
        assertTrue(received.stream().noneMatch(m -> m.get("path").equals("/shop-b")), "tenant B's endpoint got nothing");
    }

    /** The functions that deliver: killed together midway, as if their containers died. */
    static final List<String> DELIVERERS = List.of("WebhookDeliveryFunction", "WebhookRetryFunction");

    /**
     * 1,000 contacts created by 20 concurrent writers, with the deliverers killed for 3 s after 30 % of
     * the writes (the runner drops the stream records they are given, as records whose retries ran out
     * are on AWS): the endpoint receives one id per contact, none missing (a duplicate of an id would be
     * allowed), every request verified; tenant B's endpoint receives exactly B's own contacts.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aThousandContactsFromTwentyWritersReachTheEndpointEachThroughAKilledDeliverer() throws Exception {
        int writers = 20;
        int contacts = 1000;
        String a = adminKey();
        String b = adminKey();
        endpoint(a, "/many-a", List.of());
        endpoint(b, "/many-b", List.of());
        String run = UUID.randomUUID().toString().substring(0, 6);
        java.util.Set<String> bContacts = new java.util.TreeSet<>();
        for (int i = 0; i < 3; i++) {
            bContacts.add(createContact(b, "b" + run + "." + i));
        }
        java.util.Set<String> aContacts = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < contacts / writers; i++) {
                    aContacts.add(createContact(a, run + "." + writer + "." + i));
                    created.incrementAndGet();
                }
                return null;
            }));
        }
        while (created.get() < contacts * 3 / 10) {
            Thread.sleep(20);
        }
        runner.kill(DELIVERERS);
        Thread.sleep(3000);
        runner.revive(DELIVERERS);
        for (var f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(contacts, aContacts.size());

        // bounded, so a lost event fails the test instead of hanging it
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (ids("/many-a").size() < contacts && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<Map<String, Object>> toA = received.stream().filter(m -> m.get("path").equals("/many-a")).toList();
        assertTrue(toA.stream().allMatch(m -> (Boolean) m.get("verified")), "every request verifies");
        assertEquals(contacts, ids("/many-a").size(), "one id per contact, none missing");
        java.util.Set<String> aSaw = new java.util.TreeSet<>();
        for (var m : toA) {
            Map<String, Object> envelope = (Map<String, Object>) Json.parse((String) m.get("body"));
            assertEquals("contact.created", envelope.get("type"));
            assertEquals(m.get("id"), envelope.get("id"), "webhook-id is the event id");
            aSaw.add((String) ((Map<String, Object>) envelope.get("data")).get("id"));
        }
        assertEquals(new java.util.TreeSet<>(aContacts), aSaw, "exactly the contacts created");

        assertTrue(eventually(() -> contactsAt("/many-b").containsAll(bContacts)), "B's own contacts reach B");
        assertEquals(bContacts, contactsAt("/many-b"), "tenant B's endpoint gets B's contacts and none of A's");
    }

    static String createContact(String key, String tag) throws Exception {
        var r = send("POST", "/v1/contacts", key, "{\"firstName\": \"W" + tag + "\", \"email\": \"w" + tag + "@example.com\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("id");
    }

    static java.util.Set<String> ids(String path) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        received.stream().filter(m -> m.get("path").equals(path)).forEach(m -> ids.add((String) m.get("id")));
        return ids;
    }

    @SuppressWarnings("unchecked")
    static java.util.Set<String> contactsAt(String path) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (var m : received.stream().filter(x -> x.get("path").equals(path)).toList()) {
            Map<String, Object> envelope = (Map<String, Object>) Json.parse((String) m.get("body"));
            if ("contact.created".equals(envelope.get("type"))) {
                out.add((String) ((Map<String, Object>) envelope.get("data")).get("id"));
            }
        }
        return out;
    }
}
