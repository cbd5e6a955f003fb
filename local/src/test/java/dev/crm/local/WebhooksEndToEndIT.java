package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events to webhooks end to end through the local runner: contacts written over HTTP, announced from
 * the table stream, fanned out, delivered over real HTTP to a receiver that verifies every request
 * with the official Standard Webhooks library.
 */
class WebhooksEndToEndIT {
    /** The functions that deliver: killed together, as if their containers died. */
    static final List<String> DELIVERERS = List.of("WebhookDeliveryFunction", "WebhookRetryFunction");
    static final int WRITERS = 20;
    static final int CONTACTS = 1000;

    static LocalRunner runner;
    static StandardWebhooksReceiver receiver;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        receiver = StandardWebhooksReceiver.start();
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_webhooke2eoperatorkey0123456789",
                "CRM_WEBHOOK_ALLOW_LOOPBACK", "true", "CRM_WEBHOOK_RETRY_SCALE", "0.001"));
    }

    @AfterAll
    static void stop() {
        runner.close();
        receiver.close();
    }

    static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    static String provision(String slug) throws Exception {
        var r = send("POST", "/v1/tenants", runner.operatorKey(), "{\"name\": \"" + slug + "\", \"slug\": \"" + slug + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("apiKey");
    }

    /** Creates an endpoint for {@code path} of the receiver and has the receiver verify with its secret. */
    static void endpoint(String admin, String path, String types) throws Exception {
        var r = send("POST", "/v1/webhooks", admin, "{\"url\": \"" + receiver.url(path) + "\", \"eventTypes\": " + types + "}");
        assertEquals(201, r.statusCode(), r.body());
        receiver.secret(path, (String) json(r).get("secret"));
    }

    static String createContact(String key, String tag) throws Exception {
        var r = send("POST", "/v1/contacts", key, "{\"firstName\": \"W" + tag + "\", \"email\": \"w" + tag + "@example.com\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("id");
    }

    /** Waits (bounded, so a lost event fails the test instead of hanging it) until {@code path} saw {@code n} ids. */
    static void awaitDistinct(String path, int n, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (receiver.distinctIds(path).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    @Test
    void aThousandContactsFromTwentyWritersReachTheEndpointEachThroughAKilledDeliverer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String a = provision("wh-a-" + run);
        String b = provision("wh-b-" + run);
        endpoint(a, "/a", "[\"contact.created\"]");
        endpoint(b, "/b", "[\"*\"]");
        // Tenant B's own contacts: its endpoint works, and receives exactly these.
        Set<String> bContacts = new TreeSet<>();
        for (int i = 0; i < 3; i++) {
            bContacts.add(createContact(b, "b" + run + i));
        }

        Set<String> aContacts = ConcurrentHashMap.newKeySet();
        AtomicInteger created = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < CONTACTS / WRITERS; i++) {
                    aContacts.add(createContact(a, run + "." + writer + "." + i));
                    created.incrementAndGet();
                }
                return null;
            }));
        }
        // Midway, the deliverers die: every invocation fails (the stream retries, then gives up on a
        // record; deliveries stay in the table, due), until they come back.
        while (created.get() < CONTACTS * 3 / 10) {
            Thread.sleep(20);
        }
        runner.kill(DELIVERERS);
        Thread.sleep(3000);
        runner.revive(DELIVERERS);
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();
        assertEquals(CONTACTS, aContacts.size());

        awaitDistinct("/a", CONTACTS, Duration.ofMinutes(3));
        var toA = receiver.received("/a");
        assertTrue(toA.stream().allMatch(StandardWebhooksReceiver.Received::verified), "every request verifies");
        assertEquals(Set.of("contact.created"), toA.stream().map(StandardWebhooksReceiver.Received::type).collect(Collectors.toSet()));
        assertEquals(CONTACTS, receiver.distinctIds("/a").size(), "one id per contact, none missing");
        assertEquals(new TreeSet<>(aContacts),
                toA.stream().map(r -> (String) r.data().get("id")).collect(Collectors.toCollection(TreeSet::new)),
                "exactly the contacts created");
        toA.forEach(r -> assertEquals(r.webhookId(), r.envelope().get("id"), "webhook-id is the event id"));

        awaitDistinct("/b", bContacts.size(), Duration.ofSeconds(30));
        var toB = receiver.received("/b");
        Set<String> bSaw = toB.stream().filter(r -> "contact.created".equals(r.type()))
                .map(r -> (String) r.data().get("id")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(bContacts, bSaw, "tenant B's endpoint gets B's contacts and none of A's");
        assertTrue(toB.stream().allMatch(StandardWebhooksReceiver.Received::verified));
    }
}
