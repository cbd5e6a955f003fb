package dev.crm.webhooks.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.MutableClock;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.store.memory.InMemoryEndpointRepository;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookEndpointsTest {
    private final MutableClock clock = MutableClock.at("2026-12-06T12:00:00Z");
    private final InMemoryEndpointRepository repository = new InMemoryEndpointRepository();
    private final AddressResolver resolver = host -> {
        String a = Map.of("hooks.example.com", "93.184.216.34", "inside.example.com", "10.0.0.7").get(host);
        return List.of(InetAddress.getByName(a == null ? host : a));
    };
    private final WebhookEndpoints service = new WebhookEndpoints(repository, new UrlPolicy(resolver, false), clock);
    private final TenantId tenant = TenantId.generate();

    private WebhookEndpoints.WithSecret create() {
        return service.create(tenant, new WebhookEndpoints.NewEndpoint("https://hooks.example.com/crm",
                List.of("contact.created"), "shop"), c -> null);
    }

    @Test
    void createStoresAnEnabledEndpointSignedByTheSecretItReturns() {
        var created = create();
        assertTrue(created.secret().value().startsWith("whsec_"));
        assertEquals(32, created.secret().key().length);
        WebhookEndpoint stored = service.find(tenant, created.endpoint().id()).orElseThrow();
        assertTrue(stored.enabled());
        assertEquals(1, stored.version());
        assertEquals(List.of(created.secret().value()), stored.secrets().stream().map(SigningSecret::value).toList());
        assertFalse(stored.toJson().toString().contains(created.secret().value()), "the public form holds no secret");
        assertTrue(service.find(TenantId.generate(), created.endpoint().id()).isEmpty());
    }

    @Test
    void aRefusedUrlWritesNothingAndSaysWhyWithoutTheAddress() {
        var refused = assertThrows(WebhookEndpoints.UrlRefused.class, () -> service.create(tenant,
                new WebhookEndpoints.NewEndpoint("https://inside.example.com/x", List.of("*"), null), c -> null));
        assertEquals("the host resolves to an address that is not public", refused.getMessage());
        assertFalse(refused.getMessage().contains("10.0.0.7"));
        assertThrows(WebhookEndpoints.UrlRefused.class, () -> service.create(tenant,
                new WebhookEndpoints.NewEndpoint("http://hooks.example.com/x", List.of("*"), null), c -> null));
        assertEquals(List.of(), repository.all(tenant));

        var e = create().endpoint();
        assertThrows(WebhookEndpoints.UrlRefused.class, () -> service.change(e,
                new WebhookEndpoints.Change("https://169.254.169.254/latest", null, false, null, null)));
        assertEquals("https://hooks.example.com/crm", service.find(tenant, e.id()).orElseThrow().url());
    }

    @Test
    void theTwentyFirstEndpointIsRefused() {
        for (int i = 0; i < EndpointRepository.MAX_PER_TENANT; i++) {
            create();
        }
        assertThrows(StoreException.LimitReached.class, this::create);
    }

    @Test
    void reEnablingClearsWhatTheProductRecordedWhenItDisabledTheEndpoint() {
        var e = create().endpoint();
        repository.failedAt(tenant, e.id(), clock.instant());
        clock.advance(Duration.ofDays(5));
        assertTrue(repository.disable(tenant, e.id(), "failing", clock.instant()));
        WebhookEndpoint disabled = service.find(tenant, e.id()).orElseThrow();
        assertEquals("failing", disabled.disabledReason());

        WebhookEndpoint described = service.change(disabled, new WebhookEndpoints.Change(null, null, true, "new", null));
        assertFalse(described.enabled(), "a change that does not re-enable keeps it disabled");
        assertEquals("failing", described.disabledReason());

        clock.advance(Duration.ofMinutes(1));
        WebhookEndpoint enabled = service.change(described, new WebhookEndpoints.Change(null, List.of("*"), false, null, true));
        assertTrue(enabled.enabled());
        assertNull(enabled.disabledReason());
        assertNull(enabled.disabledAt());
        assertNull(enabled.failingSince());
        assertEquals(List.of("*"), enabled.eventTypes());
        assertEquals("new", enabled.description());
        assertEquals(4, enabled.version());

        WebhookEndpoint byClient = service.change(enabled, new WebhookEndpoints.Change(null, null, false, null, false));
        assertFalse(byClient.enabled());
        assertNull(byClient.disabledReason(), "a client's choice has no product reason");
        assertEquals(clock.instant(), byClient.disabledAt());
        assertThrows(StoreException.VersionConflict.class,
                () -> service.change(enabled, new WebhookEndpoints.Change(null, null, false, null, true)));
    }

    @Test
    void rotationKeepsThePreviousSecretSigningForADayThenDropsIt() {
        var created = create();
        String id = created.endpoint().id();
        Instant start = clock.instant();
        var first = service.rotate(tenant, id, r -> null);
        assertNotEquals(created.secret().value(), first.secret().value());
        assertEquals(start.plus(Duration.ofHours(24)), first.previousSecretRetiresAt());
        WebhookEndpoint stored = service.find(tenant, id).orElseThrow();
        assertEquals(List.of(first.secret().value(), created.secret().value()),
                stored.signingSecrets(clock.instant()).stream().map(SigningSecret::value).toList());
        assertEquals(List.of(first.secret().value()),
                stored.signingSecrets(start.plus(Duration.ofHours(24))).stream().map(SigningSecret::value).toList());

        clock.advance(Duration.ofHours(25));
        var second = service.rotate(tenant, id, r -> null);
        assertEquals(List.of(second.secret().value(), first.secret().value()),
                service.find(tenant, id).orElseThrow().secrets().stream().map(SigningSecret::value).toList(),
                "the secret retired an hour ago is dropped");
        assertThrows(StoreException.NotFound.class, () -> service.rotate(TenantId.generate(), id, r -> null));
    }

    @Test
    void deleteWithoutAVersionTakesWhateverIsThereAndAStaleOneIsRefused() {
        var e = create().endpoint();
        assertThrows(StoreException.VersionConflict.class, () -> service.delete(tenant, e.id(), 9L));
        assertTrue(service.delete(tenant, e.id(), null));
        assertFalse(service.delete(tenant, e.id(), null));
    }
}
