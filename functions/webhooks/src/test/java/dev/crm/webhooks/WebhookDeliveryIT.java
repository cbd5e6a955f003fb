package dev.crm.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.Responses;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.config.WebhooksComponents;
import dev.crm.webhooks.domain.RetrySchedule;
import dev.crm.webhooks.domain.SigningSecret;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.entrypoints.DeliveryRetrySchedule;
import dev.crm.webhooks.entrypoints.DeliveryWorker;
import dev.crm.webhooks.entrypoints.EventFanoutHandler;
import dev.crm.webhooks.entrypoints.WebhooksHandler;
import dev.crm.webhooks.store.dynamodb.WebhookKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhooks end to end through the real handlers against DynamoDB Local: stored events fanned out by
 * the stream handler, sent over real HTTP by the stream worker and the retry schedule to a receiver
 * that verifies every request with the official Standard Webhooks library, and the deliveries API.
 * The clock is the test's (near real time: the library checks timestamps against the wall clock);
 * the retry schedule is scaled by 0.001 and its jitter fixed, so gaps are exact.
 */
class WebhookDeliveryIT {
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Infrastructure infra = TestInfrastructure.create(clock,
            Map.of(WebhooksComponents.ALLOW_LOOPBACK, "true", WebhooksComponents.RETRY_SCALE, "0.001"));
    /** What names resolve to: the test moves a name elsewhere after an endpoint was created. */
    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of("receiver.test", "127.0.0.1"));
    private final WebhooksComponents components = new WebhooksComponents(infra,
            host -> List.of(InetAddress.getByName(dns.getOrDefault(host, host))), null, () -> 0.0);
    private final EventFanoutHandler fanout = new EventFanoutHandler(components);
    private final DeliveryWorker worker = new DeliveryWorker(components);
    private final DeliveryRetrySchedule retries = new DeliveryRetrySchedule(components);
    private final WebhooksHandler api = new WebhooksHandler(components);
    private final EventRepository events = new DynamoDbEventRepository(infra.table(), clock);
    private final Table table = infra.table();
    private final Receiver receiver = new Receiver();

    /** A webhook consumer: each path has its secrets and scripted answers; every request is verified as it arrives. */
    static final class Receiver {
        record Request(String path, Map<String, List<String>> headers, String body, List<String> verifiedWith) {
            String id() {
                return headers.get("webhook-id").get(0);
            }
        }

        final HttpServer server;
        final Map<String, List<SigningSecret>> secrets = new ConcurrentHashMap<>();
        final Map<String, LinkedList<int[]>> script = new ConcurrentHashMap<>();
        final Map<String, String> retryAfter = new ConcurrentHashMap<>();
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                AtomicInteger now = inFlight.computeIfAbsent(path, k -> new AtomicInteger());
                maxInFlight.computeIfAbsent(path, k -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Map<String, List<String>> headers = new HashMap<>();
                    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                    List<String> verified = new ArrayList<>();
                    for (SigningSecret s : secrets.getOrDefault(path, List.of())) {
                        try {
                            new Webhook(s.value()).verify(body, headers);
                            verified.add(s.value());
                        } catch (WebhookVerificationException e) {
                            // not signed with this secret (or a bad timestamp): recorded as unverified
                        }
                    }
                    requests.add(new Request(path, headers, body, verified));
                    CountDownLatch hold = holds.get(path);
                    if (hold != null) {
                        hold.await(60, TimeUnit.SECONDS);
                    }
                    LinkedList<int[]> answers = script.get(path);
                    int status;
                    synchronized (this) {
                        status = answers == null || answers.isEmpty() ? 200 : answers.removeFirst()[0];
                    }
                    if (retryAfter.containsKey(path)) {
                        ex.getResponseHeaders().set("Retry-After", retryAfter.get(path));
                    }
                    ex.sendResponseHeaders(status, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    now.decrementAndGet();
                    ex.close();
                }
            });
            server.start();
        }

        String url(String host, String path) {
            return "http://" + host + ":" + server.getAddress().getPort() + path;
        }

        List<Request> at(String path) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }

        void answer(String path, int... statuses) {
            LinkedList<int[]> l = new LinkedList<>();
            for (int s : statuses) {
                l.add(new int[] {s});
            }
            script.put(path, l);
        }
    }

    @AfterEach
    void stop() {
        receiver.holds.values().forEach(CountDownLatch::countDown);
        receiver.server.stop(0);
    }

    // ---------------------------------------------------------------- helpers

    private WebhookEndpoint endpoint(TenantId tenant, String path, List<SigningSecret> secrets, String... types) {
        Instant now = clock.instant();
        WebhookEndpoint e = new WebhookEndpoint(tenant, Ids.random(WebhookEndpoint.ID_PREFIX, 20),
                receiver.url("receiver.test", path), types.length == 0 ? List.of("*") : List.of(types), null, true, null,
                null, secrets, null, now, now, 1);
        components.endpointRepository().create(e);
        receiver.secrets.put(path, secrets);
        return e;
    }

    private WebhookEndpoint endpoint(TenantId tenant, String path) {
        return endpoint(tenant, path, List.of(SigningSecret.generate()));
    }

    /** Stores an event (as a decoder would) and runs the fan-out on its stream record. */
    private Event publish(TenantId tenant, String type, String contactId) {
        Instant now = clock.instant();
        Event e = new Event(EventIds.derive(now, "it", Ids.random("", 12)), type, EventTypes.sourceOf(type), now, tenant,
                contactId, Map.of("id", contactId == null ? "x_1" : contactId));
        assertEquals(EventRepository.Outcome.RECORDED, events.record(e));
        var item = contactId == null ? table.get(tenant.value() + "#EV#" + e.id(), Keys.ITEM)
                : table.get(Keys.contact(tenant, contactId), "EV#" + e.id());
        assertNotNull(item, "the stored event item");
        var response = fanout.handleRequest(StreamRecords.change(Ids.random("rec_", 20), now, null, item), null);
        assertTrue(response.getBatchItemFailures().isEmpty());
        return e;
    }

    private Map<String, AttributeValue> deliveryItem(WebhookEndpoint ep, String eventId) {
        return table.get(WebhookKeys.deliveries(ep.tenant(), ep.id()), WebhookKeys.delivery(eventId));
    }

    /** The deliverer's stream batch for the endpoints' deliveries of these events (as their INSERT or re-send arrives). */
    private DynamodbEvent deliveryRecords(List<WebhookEndpoint> endpoints, List<String> eventIds) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (WebhookEndpoint ep : endpoints) {
            for (String id : eventIds) {
                var item = deliveryItem(ep, id);
                if (item != null) {
                    records.addAll(StreamRecords.change(Ids.random("rec_", 20), clock.instant(), null, item).getRecords());
                }
            }
        }
        DynamodbEvent e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private void deliver(WebhookEndpoint ep, String eventId) {
        worker.handleRequest(deliveryRecords(List.of(ep), List.of(eventId)), null);
    }

    private APIGatewayProxyResponseEvent call(String method, String resource, TenantId as, Map<String, String> path, String json) {
        ApiEvents r = ApiEvents.request(method, resource).as(as, Scope.ADMIN);
        path.forEach(r::path);
        if (json != null) {
            r.json(json);
        }
        return api.handleRequest(r.build(), null);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> deliveryView(TenantId tenant, WebhookEndpoint ep, String eventId) {
        var r = call("GET", "/v1/webhooks/{id}/deliveries", tenant, Map.of("id", ep.id()), null);
        Responses.status(r, 200);
        for (Object o : (List<Object>) Responses.body(r).get("items")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (eventId.equals(m.get("id"))) {
                return m;
            }
        }
        throw new AssertionError("no delivery of " + eventId);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attempts(Map<String, Object> view) {
        return (List<Map<String, Object>>) view.get("attempts");
    }

    // ---------------------------------------------------------------- tests

    @Test
    void anEventReachesItsTenantsEndpointSignedAndVerifiableAndNeverAnotherTenants() {
        TenantId a = TestInfrastructure.tenant(infra).id();
        TenantId b = TestInfrastructure.tenant(infra).id();
        SigningSecret secret = SigningSecret.generate();
        WebhookEndpoint ea = endpoint(a, "/a", List.of(secret));
        WebhookEndpoint eb = endpoint(b, "/b");
        WebhookEndpoint narrow = endpoint(a, "/narrow", List.of(SigningSecret.generate()), EventTypes.CONTACT_ERASED);

        Event e = publish(a, EventTypes.CONTACT_CREATED, null);
        assertNull(deliveryItem(eb, e.id()), "tenant B's endpoint gets no delivery of tenant A's event");
        assertNull(deliveryItem(narrow, e.id()), "an endpoint not subscribed to the type gets none");
        publish(a, EventTypes.CONTACT_CREATED, null); // a second event; a redelivered record of the first:
        fanout.handleRequest(StreamRecords.change("again", clock.instant(), null,
                table.get(a.value() + "#EV#" + e.id(), Keys.ITEM)), null);
        deliver(ea, e.id());
        deliver(eb, e.id());

        List<Receiver.Request> got = receiver.at("/a");
        assertEquals(1, got.size());
        assertEquals(List.of(secret.value()), got.get(0).verifiedWith(), "signature and timestamp verify");
        assertEquals(e.id(), got.get(0).id());
        assertEquals(events.envelope(a, e.id(), null).orElseThrow(), got.get(0).body());
        assertNull(got.get(0).headers().get("authorization"));
        assertEquals(List.of(), receiver.at("/b"));

        Map<String, Object> view = deliveryView(a, ea, e.id());
        assertEquals("delivered", view.get("status"));
        assertEquals(200L, ((Number) attempts(view).get(0).get("statusCode")).longValue());
        assertEquals(EventTypes.CONTACT_CREATED, view.get("eventType"));
        String listed = call("GET", "/v1/webhooks/{id}/deliveries", a, Map.of("id", ea.id()), null).getBody();
        assertFalse(listed.contains(secret.value()) || listed.contains(secret.value().substring(6)), "no secret in a GET");
        assertFalse(deliveryItem(ea, e.id()).toString().contains(secret.value().substring(6)), "no secret in a delivery record");
        Responses.problem(call("GET", "/v1/webhooks/{id}/deliveries", b, Map.of("id", ea.id()), null), 404, "not-found");
    }

    @Test
    void a503ThreeTimesThenTheFourthAttemptDeliversWithTheSameIdOnTheScaledSchedule() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint ep = endpoint(t, "/flaky");
        receiver.answer("/flaky", 503, 503, 503, 200);
        Event e = publish(t, EventTypes.CONTACT_UPDATED, null);
        deliver(ep, e.id());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> view = deliveryView(t, ep, e.id());
            assertEquals("pending", view.get("status"));
            clock.set(Instant.parse((String) view.get("nextAttemptAt")));
            retries.handleRequest(Map.of(), null); // the retry schedule finds it in the due index
        }
        Map<String, Object> view = deliveryView(t, ep, e.id());
        assertEquals("delivered", view.get("status"));
        List<Map<String, Object>> attempts = attempts(view);
        assertEquals(List.of(503L, 503L, 503L, 200L), attempts.stream().map(a -> ((Number) a.get("statusCode")).longValue()).toList());
        for (int i = 1; i < 4; i++) {
            Duration gap = Duration.between(Instant.parse((String) attempts.get(i - 1).get("at")),
                    Instant.parse((String) attempts.get(i).get("at")));
            assertEquals(Duration.ofMillis(Math.round(RetrySchedule.baseDelayAfter(i).toMillis() * 0.001)), gap,
                    "gap before attempt " + (i + 1));
        }
        List<Receiver.Request> got = receiver.at("/flaky");
        assertEquals(4, got.size());
        assertEquals(List.of(e.id()), got.stream().map(Receiver.Request::id).distinct().toList(), "one id on every attempt");
        assertTrue(got.stream().allMatch(r -> r.verifiedWith().size() == 1), "every attempt verifies");
    }

    @Test
    void retryAfterIsHonouredAnd410DisablesTheEndpointWithAnEvent() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint slow = endpoint(t, "/busy");
        receiver.answer("/busy", 503);
        receiver.retryAfter.put("/busy", "120");
        Event e = publish(t, EventTypes.CONTACT_CREATED, null);
        deliver(slow, e.id());
        Map<String, Object> view = deliveryView(t, slow, e.id());
        Instant at = Instant.parse((String) attempts(view).get(0).get("at"));
        assertFalse(Instant.parse((String) view.get("nextAttemptAt")).isBefore(at.plusSeconds(120)),
                "the next attempt waits at least the Retry-After");

        WebhookEndpoint gone = endpoint(t, "/gone");
        receiver.answer("/gone", 410);
        Event e2 = publish(t, EventTypes.CONTACT_CREATED, null);
        var before = table.get(WebhookKeys.endpoints(t), gone.id());
        deliver(gone, e2.id());
        var after = table.get(WebhookKeys.endpoints(t), gone.id());
        assertEquals("failed", deliveryView(t, gone, e2.id()).get("status"));
        assertFalse(Attr.bool(after, "enabled"));
        assertEquals("gone", Attr.str(after, "disabledReason"));

        // the endpoint's change on the stream: the fan-out function stores webhook.endpoint_disabled
        String change = Ids.random("rec_", 20);
        fanout.handleRequest(StreamRecords.change(change, clock.instant(), before, after), null);
        Instant disabledAt = Attr.instant(after, "disabledAt");
        String id = EventIds.derive(disabledAt, change, EventTypes.WEBHOOK_ENDPOINT_DISABLED);
        String envelope = events.envelope(t, id, null).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) Json.parse(envelope)).get("data");
        assertEquals(gone.id(), data.get("id"));
        assertEquals("gone", data.get("disabledReason"));
        assertFalse(envelope.contains(gone.secrets().get(0).value().substring(6)), "no secret in the event");

        Event e3 = publish(t, EventTypes.CONTACT_CREATED, null);
        assertNull(deliveryItem(gone, e3.id()), "a disabled endpoint gets no new deliveries");
    }

    @Test
    void aNameRebindToAPrivateAddressIsRefusedAtDeliveryAndNothingReachesIt() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        Instant now = clock.instant();
        WebhookEndpoint ep = new WebhookEndpoint(t, Ids.random(WebhookEndpoint.ID_PREFIX, 20),
                receiver.url("rebind.test", "/rebind"), List.of("*"), null, true, null, null,
                List.of(SigningSecret.generate()), null, now, now, 1);
        dns.put("rebind.test", "127.0.0.1");
        assertTrue(components.urlPolicy().check(ep.url()).allowed(), "allowed when created");
        components.endpointRepository().create(ep);
        for (String address : List.of("169.254.169.254", "10.0.0.8", "fd00:ec2::254", "::ffff:169.254.169.254")) {
            dns.put("rebind.test", address);
            Event e = publish(t, EventTypes.CONTACT_CREATED, null);
            deliver(ep, e.id());
            Map<String, Object> view = deliveryView(t, ep, e.id());
            assertEquals("refused: the host resolves to an address that is not public", attempts(view).get(0).get("error"),
                    address);
            assertEquals("pending", view.get("status"), "retried like any failure");
        }
        assertEquals(List.of(), receiver.at("/rebind"));
    }

    @Test
    void anErasedContactsEventIsNotSentNorReplayed() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint ep = endpoint(t, "/privacy");
        String contact = Ids.random("c_", 20);
        table.client().putItem(b -> b.tableName(table.name()).item(Map.of(Table.PK, Attr.s(Keys.contact(t, contact)),
                Table.SK, Attr.s(Keys.CONTACT_PROFILE), "status", Attr.s("active"))));
        Event e = publish(t, EventTypes.CONTACT_CREATED, contact);
        assertNotNull(deliveryItem(ep, e.id()));
        // the erasure deletes the contact's partition, its stored events with it
        table.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(Keys.contact(t, contact), "EV#" + e.id())));
        deliver(ep, e.id());
        Map<String, Object> view = deliveryView(t, ep, e.id());
        assertEquals("failed", view.get("status"));
        assertEquals("the event's data was erased or has expired", attempts(view).get(0).get("error"));
        Responses.status(call("POST", "/v1/webhooks/{id}/replay", t, Map.of("id", ep.id()),
                "{\"since\": \"" + clock.instant().minusSeconds(60) + "\"}"), 202);
        deliver(ep, e.id());
        assertEquals(List.of(), receiver.at("/privacy"), "nothing of an erased contact is ever sent");
    }

    @Test
    void duringARotationBothSecretsVerifyAndAfterTheOverlapOnlyTheNewOne() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        SigningSecret oldOne = SigningSecret.generate();
        SigningSecret newOne = SigningSecret.generate();
        WebhookEndpoint overlap = endpoint(t, "/overlap",
                List.of(newOne, oldOne.retiringAt(clock.instant().plus(Duration.ofHours(24)))));
        // rotated 25 h ago: the previous secret retired an hour ago
        SigningSecret oldTwo = SigningSecret.generate();
        SigningSecret newTwo = SigningSecret.generate();
        WebhookEndpoint past = endpoint(t, "/past", List.of(newTwo, oldTwo.retiringAt(clock.instant().minus(Duration.ofHours(1)))));
        Event e = publish(t, EventTypes.CONTACT_CREATED, null);
        deliver(overlap, e.id());
        deliver(past, e.id());
        assertEquals(List.of(newOne.value(), oldOne.value()), receiver.at("/overlap").get(0).verifiedWith(),
                "each secret verifies with its own signature");
        assertEquals(List.of(newTwo.value()), receiver.at("/past").get(0).verifiedWith(), "only the new one after 24 h");
        assertThrows(WebhookVerificationException.class, () -> {
            var r = receiver.at("/past").get(0);
            new Webhook(oldTwo.value()).verify(r.body(), r.headers());
        });
    }

    @Test
    void aHangingEndpointHoldsOnlyItsOwnTwoLanesWhileAnotherEndpointsDeliveriesAllComplete() throws Exception {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint stuck = endpoint(t, "/stuck");
        WebhookEndpoint fine = endpoint(t, "/fine");
        CountDownLatch release = new CountDownLatch(1);
        receiver.holds.put("/stuck", release);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(publish(t, EventTypes.CONTACT_CREATED, null).id());
        }
        DynamodbEvent batch = deliveryRecords(List.of(stuck, fine), ids);
        Thread run = new Thread(() -> worker.handleRequest(batch, null));
        run.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (receiver.at("/fine").size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(5, receiver.at("/fine").size(), "every delivery of the healthy endpoint went out");
        for (String id : ids) {
            assertEquals("delivered", deliveryView(t, fine, id).get("status"));
        }
        assertTrue(receiver.at("/stuck").size() <= 2, "the hanging endpoint has at most two requests in flight");
        release.countDown();
        run.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(run.isAlive());
        assertTrue(receiver.maxInFlight.get("/stuck").get() <= 2);
    }

    @Test
    void theTestMessageRetryAndReplayGoOutAgainWithTheSameIds() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint ep = endpoint(t, "/api");
        WebhookEndpoint other = endpoint(t, "/other");
        var r = call("POST", "/v1/webhooks/{id}/test", t, Map.of("id", ep.id()), null);
        Responses.status(r, 202);
        String testId = (String) Responses.body(r).get("id");
        var stored = table.get(t.value() + "#EV#" + testId, Keys.ITEM);
        assertEquals(EventTypes.WEBHOOK_TEST, Attr.str(stored, "eventType"));
        fanout.handleRequest(StreamRecords.change("test-insert", clock.instant(), null, stored), null);
        assertNull(deliveryItem(other, testId), "a test message goes to its endpoint only");
        deliver(ep, testId);
        assertEquals(1, receiver.at("/api").size());
        assertTrue(receiver.at("/api").get(0).body().contains("\"webhook.test\""));

        Event e = publish(t, EventTypes.CONTACT_CREATED, null);
        deliver(ep, e.id());
        Responses.status(call("POST", "/v1/webhooks/{id}/deliveries/{messageId}/retry", t,
                Map.of("id", ep.id(), "messageId", e.id()), null), 202);
        assertEquals("now", Attr.str(deliveryItem(ep, e.id()), "send"), "the re-send is marked for the deliverer's stream");
        deliver(ep, e.id());
        var replay = call("POST", "/v1/webhooks/{id}/replay", t, Map.of("id", ep.id()),
                "{\"since\": \"" + clock.instant().minusSeconds(60) + "\"}");
        Responses.status(replay, 202);
        assertEquals(2L, ((Number) Responses.body(replay).get("replayed")).longValue());
        assertNull(Responses.body(replay).get("resumeAfter"));
        deliver(ep, e.id());
        deliver(ep, testId);
        assertEquals(3, receiver.at("/api").stream().filter(q -> q.id().equals(e.id())).count(), "sent, retried, replayed");
        assertTrue(receiver.at("/api").stream().allMatch(q -> q.verifiedWith().size() == 1));
        Responses.problem(call("POST", "/v1/webhooks/{id}/deliveries/{messageId}/retry", t,
                Map.of("id", ep.id(), "messageId", EventIds.derive(clock.instant(), "none")), null), 404, "not-found");
        Responses.problem(call("POST", "/v1/webhooks/{id}/test", TenantId.generate(), Map.of("id", ep.id()), null), 404, "not-found");
    }

    @Test
    void aKeyedTestRepeatedAnswersTheFirstMessageAndStoresNoSecond() {
        TenantId t = TestInfrastructure.tenant(infra).id();
        WebhookEndpoint ep = endpoint(t, "/keyed");
        ApiEvents first = ApiEvents.request("POST", "/v1/webhooks/{id}/test").as(t, Scope.ADMIN).path("id", ep.id())
                .header("Idempotency-Key", "test-once-" + ep.id());
        var a = api.handleRequest(first.build(), null);
        var b = api.handleRequest(first.build(), null);
        Responses.status(a, 202);
        Responses.status(b, 202);
        assertEquals(Responses.body(a).get("id"), Responses.body(b).get("id"), "the same message");
        assertEquals("true", b.getHeaders().get("Idempotent-Replayed"));
        var other = api.handleRequest(ApiEvents.request("POST", "/v1/webhooks/{id}/test").as(t, Scope.ADMIN)
                .path("id", ep.id()).build(), null);
        assertTrue(!Responses.body(other).get("id").equals(Responses.body(a).get("id")), "without a key, a new message");
    }
}
