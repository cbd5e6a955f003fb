package dev.crm.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.memory.InMemoryEventRepository;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.store.memory.InMemoryDeliveryRepository;
import dev.crm.webhooks.store.memory.InMemoryEndpointRepository;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deliverer's decisions, with in-memory stores and a sender that answers what the test says. */
class DeliveriesTest {
    /** Near the real time: the official library checks a request's timestamp against the wall clock. */
    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemoryDeliveryRepository deliveries = new InMemoryDeliveryRepository();
    private final InMemoryEndpointRepository endpoints = new InMemoryEndpointRepository();
    private final InMemoryEventRepository events = new InMemoryEventRepository();
    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of("hooks.example.com", "93.184.216.34"));
    private final UrlPolicy policy = new UrlPolicy(host -> List.of(InetAddress.getByName(dns.getOrDefault(host, host))), false);
    private final TenantId tenant = TenantId.generate();

    /** Answers from a queue (then 200), and keeps every request it was asked to send. */
    private static final class ScriptedSender implements WebhookSender {
        record Sent(URI uri, List<InetAddress> addresses, Map<String, String> headers, String body) {}

        final LinkedList<Response> script = new LinkedList<>();
        final List<Sent> sent = new ArrayList<>();

        @Override
        public synchronized Response send(URI uri, List<InetAddress> addresses, Map<String, String> headers, String body) {
            sent.add(new Sent(uri, addresses, headers, body));
            return script.isEmpty() ? new Response(200, null, null, 3) : script.removeFirst();
        }
    }

    private final ScriptedSender sender = new ScriptedSender();
    private final Deliveries deliverer = new Deliveries(deliveries, endpoints, events, policy, sender,
            new RetrySchedule(1, () -> 0.0), clock);

    private WebhookEndpoint endpoint(List<SigningSecret> secrets) {
        Instant now = clock.instant();
        WebhookEndpoint e = new WebhookEndpoint(tenant, Ids.random(WebhookEndpoint.ID_PREFIX, 20),
                "https://hooks.example.com/crm", List.of("*"), null, true, null, null, secrets, null, now, now, 1);
        endpoints.create(e);
        return e;
    }

    private DeliveryRef pendingEvent(WebhookEndpoint e, String contactId) {
        Instant now = clock.instant();
        Event ev = new Event(EventIds.derive(now, "test", Ids.random("", 8)), EventTypes.CONTACT_CREATED, "crm.contacts",
                now, tenant, contactId, Map.of("id", "c_1"));
        events.record(ev);
        Delivery d = Delivery.pending(tenant, e.id(), ev.id(), ev.type(), contactId, now, now.plus(Delivery.RETENTION));
        deliveries.createPending(d);
        return d.ref();
    }

    private static Map<String, List<String>> multi(Map<String, String> headers) {
        Map<String, List<String>> m = new HashMap<>();
        headers.forEach((k, v) -> m.put(k, List.of(v)));
        return m;
    }

    @Test
    void aDeliveryIsSignedAsTheStandardSaysAndCarriesNothingElse() throws Exception {
        SigningSecret secret = SigningSecret.generate();
        WebhookEndpoint e = endpoint(List.of(secret));
        DeliveryRef ref = pendingEvent(e, null);
        assertEquals(Deliveries.Outcome.DELIVERED, deliverer.attempt(ref).outcome());
        var sent = sender.sent.get(0);
        assertEquals(events.envelope(tenant, ref.eventId(), null).orElseThrow(), sent.body(), "the stored envelope exactly");
        new Webhook(secret.value()).verify(sent.body(), multi(sent.headers()));
        assertEquals(ref.eventId(), sent.headers().get("webhook-id"));
        assertEquals(List.of("webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "user-agent"),
                List.copyOf(sent.headers().keySet()), "no other header: no key, no cookie");
        assertEquals(List.of(InetAddress.getByName("93.184.216.34")), sent.addresses(), "the checked addresses only");
        assertEquals(Delivery.Status.DELIVERED, deliveries.find(ref).orElseThrow().status());
    }

    @Test
    void failuresFollowTheScheduleUntilExhaustedWithTheSameId() {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        DeliveryRef ref = pendingEvent(e, null);
        for (int i = 0; i < RetrySchedule.MAX_ATTEMPTS; i++) {
            sender.script.add(new WebhookSender.Response(500, null, null, 1));
        }
        Instant previous = null;
        for (int attempt = 1; attempt <= RetrySchedule.MAX_ATTEMPTS; attempt++) {
            Delivery before = deliveries.find(ref).orElseThrow();
            clock.set(before.nextAttemptAt());
            if (previous != null) {
                assertEquals(RetrySchedule.baseDelayAfter(attempt - 1), Duration.between(previous, clock.instant()),
                        "gap before attempt " + attempt);
            }
            previous = clock.instant();
            Deliveries.Outcome o = deliverer.attempt(ref).outcome();
            assertEquals(attempt < RetrySchedule.MAX_ATTEMPTS ? Deliveries.Outcome.RETRYING : Deliveries.Outcome.EXHAUSTED, o);
        }
        Delivery d = deliveries.find(ref).orElseThrow();
        assertEquals(Delivery.Status.EXHAUSTED, d.status());
        assertEquals(8, d.attempts().size());
        assertNull(d.nextAttemptAt());
        assertEquals(1, sender.sent.stream().map(s -> s.headers().get("webhook-id")).distinct().count());
        assertTrue(deliveries.due(clock.instant().plus(Duration.ofDays(2)), 10).isEmpty());
    }

    @Test
    void jitterAddsUpToTenPercentAndTheScaleMultipliesEveryDelay() {
        Instant t = Instant.parse("2026-12-06T00:00:00Z");
        assertEquals(t.plusMillis(5250), new RetrySchedule(1, () -> 0.5).next(1, t, null).orElseThrow());
        assertEquals(t.plus(Duration.ofMinutes(33)), new RetrySchedule(1, () -> 1.0).next(3, t, null).orElseThrow());
        assertEquals(t.plusMillis(300), new RetrySchedule(0.001, () -> 0.0).next(2, t, null).orElseThrow());
        assertTrue(new RetrySchedule(1, () -> 0.0).next(8, t, null).isEmpty(), "after the 8th attempt: exhausted");
    }

    @Test
    void retryAfterOn503Or429IsHonouredInSecondsOrAsADate() {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        DeliveryRef ref = pendingEvent(e, null);
        sender.script.add(new WebhookSender.Response(503, null, "120", 1));
        Instant now = clock.instant();
        deliverer.attempt(ref);
        assertEquals(now.plusSeconds(120), deliveries.find(ref).orElseThrow().nextAttemptAt());

        DeliveryRef other = pendingEvent(e, null);
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                now.plusSeconds(3600).atZone(java.time.ZoneOffset.UTC));
        sender.script.add(new WebhookSender.Response(429, null, date, 1));
        deliverer.attempt(other);
        assertFalse(deliveries.find(other).orElseThrow().nextAttemptAt().isBefore(now.plusSeconds(3599)));
    }

    @Test
    void gone410DisablesTheEndpointAndItsOtherDeliveriesFail() {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        DeliveryRef first = pendingEvent(e, null);
        DeliveryRef second = pendingEvent(e, null);
        sender.script.add(new WebhookSender.Response(410, null, null, 1));
        assertEquals(Deliveries.Outcome.FAILED, deliverer.attempt(first).outcome());
        WebhookEndpoint after = endpoints.find(tenant, e.id()).orElseThrow();
        assertFalse(after.enabled());
        assertEquals("gone", after.disabledReason());
        assertEquals(Deliveries.Outcome.FAILED, deliverer.attempt(second).outcome());
        assertEquals("endpoint disabled", deliveries.find(second).orElseThrow().attempts().get(0).error());
        assertEquals(1, sender.sent.size(), "nothing more was sent");
    }

    @Test
    void anEndpointFailingEveryAttemptForFiveDaysIsDisabled() {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        for (int i = 0; i < 10; i++) {
            sender.script.add(new WebhookSender.Response(500, null, null, 1));
        }
        deliverer.attempt(pendingEvent(e, null));
        assertTrue(endpoints.find(tenant, e.id()).orElseThrow().enabled());
        clock.advance(Duration.ofDays(5));
        DeliveryRef late = pendingEvent(e, null);
        assertEquals(Deliveries.Outcome.FAILED, deliverer.attempt(late).outcome());
        WebhookEndpoint after = endpoints.find(tenant, e.id()).orElseThrow();
        assertFalse(after.enabled());
        assertEquals("failing", after.disabledReason());
    }

    @Test
    void anErasedContactsEventIsNotSent() {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        DeliveryRef ref = pendingEvent(e, "c_erased");
        events.erase(tenant, "c_erased");
        assertEquals(Deliveries.Outcome.FAILED, deliverer.attempt(ref).outcome());
        assertEquals("the event's data was erased or has expired", deliveries.find(ref).orElseThrow().attempts().get(0).error());
        assertTrue(sender.sent.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.7", "172.16.3.4", "192.168.0.10", "100.64.1.1", "169.254.169.254",
            "169.254.10.10", "0.0.0.0", "224.0.0.251", "::1", "fe80::1", "fc00::5", "fd00:ec2::254", "ff02::1",
            "::ffff:169.254.169.254", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1"})
    void aNameThatResolvesToARefusedAddressAfterCreationIsRefusedAtDelivery(String address) {
        WebhookEndpoint e = endpoint(List.of(SigningSecret.generate()));
        assertTrue(policy.check(e.url()).allowed(), "public when it was created");
        DeliveryRef ref = pendingEvent(e, null);
        dns.put("hooks.example.com", address);
        assertEquals(Deliveries.Outcome.RETRYING, deliverer.attempt(ref).outcome(), "a failure like any other");
        Delivery d = deliveries.find(ref).orElseThrow();
        assertEquals("refused: the host resolves to an address that is not public", d.attempts().get(0).error());
        assertTrue(sender.sent.isEmpty(), "nothing reached " + address);
    }

    @Test
    void duringARotationBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
        SigningSecret now = SigningSecret.generate();
        SigningSecret old = SigningSecret.generate().retiringAt(clock.instant().plus(Duration.ofHours(24)));
        WebhookEndpoint e = endpoint(List.of(now, old));
        deliverer.attempt(pendingEvent(e, null));
        var overlap = sender.sent.get(0);
        assertEquals(2, overlap.headers().get("webhook-signature").split(" ").length);
        new Webhook(old.value()).verify(overlap.body(), multi(overlap.headers()));
        new Webhook(now.value()).verify(overlap.body(), multi(overlap.headers()));
        assertEquals(List.of(now), e.signingSecrets(clock.instant().plus(Duration.ofHours(24))),
                "24 h after the rotation the old secret no longer signs");
    }
}
