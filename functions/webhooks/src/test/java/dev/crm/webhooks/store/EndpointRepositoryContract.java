package dev.crm.webhooks.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.IdempotencyKey;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.SigningSecret;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link EndpointRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class EndpointRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    protected abstract EndpointRepository repository();

    /** The idempotency records the keyed writes complete in their own transaction. */
    protected abstract IdempotencyRepository idempotency();

    private final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();

    protected static WebhookEndpoint endpoint(TenantId t) {
        return new WebhookEndpoint(t, Ids.random(WebhookEndpoint.ID_PREFIX, 20), "https://hooks.example.com/crm",
                List.of("contact.created", "contact.updated"), "the shop", true, null, null,
                List.of(SigningSecret.generate()), null, NOW, NOW, 1);
    }

    private static WebhookEndpoint changed(WebhookEndpoint e, boolean enabled, List<SigningSecret> secrets,
            Instant failingSince) {
        return new WebhookEndpoint(e.tenant(), e.id(), "https://hooks.example.com/v2", List.of(WebhookEndpoint.ALL_TYPES),
                null, enabled, enabled ? null : null, null, secrets, failingSince, e.createdAt(), NOW.plusSeconds(60),
                e.version());
    }

    @Test
    void anEndpointIsStoredWithEveryFieldAndOnlyItsTenantFindsIt() {
        SigningSecret current = SigningSecret.generate();
        SigningSecret previous = SigningSecret.generate().retiringAt(NOW.plus(Duration.ofHours(24)));
        WebhookEndpoint e = new WebhookEndpoint(tenant, Ids.random(WebhookEndpoint.ID_PREFIX, 20),
                "https://hooks.example.com/crm?x=1", List.of("contact.created"), "desc", false, "gone",
                NOW.minusSeconds(5), List.of(current, previous), NOW.minusSeconds(60), NOW.minusSeconds(90), NOW, 3);
        repository().create(e);

        WebhookEndpoint found = repository().find(tenant, e.id()).orElseThrow();
        assertEquals(e.toJson(), found.toJson());
        assertEquals(2, found.secrets().size());
        assertEquals(current.value(), found.secrets().get(0).value());
        assertNull(found.secrets().get(0).retiresAt());
        assertEquals(previous.value(), found.secrets().get(1).value());
        assertEquals(previous.retiresAt(), found.secrets().get(1).retiresAt());
        assertArrayEquals(current.key(), found.secrets().get(0).key());

        assertTrue(repository().find(other, e.id()).isEmpty());
        assertTrue(repository().find(tenant, "whe_missing").isEmpty());
        assertEquals(List.of(), repository().all(other));
    }

    @Test
    void aTenantHasAtMostTwentyEndpoints() {
        for (int i = 0; i < EndpointRepository.MAX_PER_TENANT; i++) {
            repository().create(endpoint(tenant));
        }
        assertThrows(StoreException.LimitReached.class, () -> repository().create(endpoint(tenant)));
        assertEquals(EndpointRepository.MAX_PER_TENANT, repository().all(tenant).size());
        repository().create(endpoint(other)); // another tenant's cap is its own
        WebhookEndpoint first = repository().all(tenant).get(0);
        assertTrue(repository().delete(tenant, first.id(), first.version()));
        repository().create(endpoint(tenant)); // room again
    }

    @Test
    void listsPageInIdOrderAndTheLastPageSaysSo() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WebhookEndpoint e = endpoint(tenant);
            repository().create(e);
            ids.add(e.id());
        }
        repository().create(endpoint(other));
        ids.sort(null);
        List<String> seen = new ArrayList<>();
        Cursor after = null;
        int pages = 0;
        do {
            Slice<WebhookEndpoint> page = repository().list(tenant, after, 2);
            page.items().forEach(e -> seen.add(e.id()));
            after = page.next();
            pages++;
        } while (after != null);
        assertEquals(ids, seen);
        assertEquals(3, pages);
        Slice<WebhookEndpoint> exact = repository().list(tenant, null, 5);
        assertEquals(5, exact.items().size());
        assertFalse(exact.hasMore(), "no cursor to an empty page");
        assertEquals(ids, repository().all(tenant).stream().map(WebhookEndpoint::id).toList());
    }

    @Test
    void replaceHoldsTheVersionAndKeepsTheDeliverersRunOfFailures() {
        WebhookEndpoint e = endpoint(tenant);
        repository().create(e);
        repository().failedAt(tenant, e.id(), NOW);

        WebhookEndpoint stored = repository().find(tenant, e.id()).orElseThrow();
        WebhookEndpoint updated = repository().replace(changed(stored, true, stored.secrets(), stored.failingSince()), 1);
        assertEquals(2, updated.version());
        assertEquals("https://hooks.example.com/v2", updated.url());
        assertEquals(List.of("*"), updated.eventTypes());
        assertNull(updated.description());
        assertEquals(NOW, updated.failingSince(), "a client's change leaves the run of failures alone");
        assertEquals(NOW, updated.createdAt());
        assertEquals(updated.toJson(), repository().find(tenant, e.id()).orElseThrow().toJson());

        assertThrows(StoreException.VersionConflict.class,
                () -> repository().replace(changed(stored, true, stored.secrets(), null), 1));
        WebhookEndpoint cleared = repository().replace(changed(updated, true, updated.secrets(), null), 2);
        assertNull(cleared.failingSince());
        assertNull(repository().find(tenant, e.id()).orElseThrow().failingSince());
        assertThrows(StoreException.NotFound.class,
                () -> repository().replace(changed(endpoint(tenant), true, e.secrets(), null), 1));
        assertThrows(StoreException.NotFound.class,
                () -> repository().replace(new WebhookEndpoint(other, e.id(), e.url(), e.eventTypes(), null, true, null,
                        null, e.secrets(), null, NOW, NOW, 3), 3));
    }

    @Test
    void deleteHoldsTheVersionAndSaysWhetherItWasThere() {
        WebhookEndpoint e = endpoint(tenant);
        repository().create(e);
        assertFalse(repository().delete(other, e.id(), 1));
        assertThrows(StoreException.VersionConflict.class, () -> repository().delete(tenant, e.id(), 7));
        assertTrue(repository().delete(tenant, e.id(), 1));
        assertFalse(repository().delete(tenant, e.id(), 1));
        assertTrue(repository().find(tenant, e.id()).isEmpty());
    }

    @Test
    void aRunOfFailuresStartsAtTheFirstAndEndsWithASuccessWithoutChangingTheVersion() {
        WebhookEndpoint e = endpoint(tenant);
        repository().create(e);
        assertEquals(NOW, repository().failedAt(tenant, e.id(), NOW));
        assertEquals(NOW, repository().failedAt(tenant, e.id(), NOW.plusSeconds(300)));
        WebhookEndpoint failing = repository().find(tenant, e.id()).orElseThrow();
        assertEquals(NOW, failing.failingSince());
        assertEquals(1, failing.version());
        repository().deliveredTo(tenant, e.id());
        repository().deliveredTo(tenant, e.id());
        WebhookEndpoint healthy = repository().find(tenant, e.id()).orElseThrow();
        assertNull(healthy.failingSince());
        assertEquals(1, healthy.version());
        assertEquals(NOW.plusSeconds(900), repository().failedAt(tenant, e.id(), NOW.plusSeconds(900)));

        Instant gone = NOW.plusSeconds(1000);
        assertEquals(gone, repository().failedAt(other, e.id(), gone));
        repository().deliveredTo(other, e.id()); // nothing there: nothing happens
        assertTrue(repository().find(other, e.id()).isEmpty());
    }

    @Test
    void disableFlipsAnEnabledEndpointOnceAndCountsAVersion() {
        WebhookEndpoint e = endpoint(tenant);
        repository().create(e);
        assertFalse(repository().disable(other, e.id(), "gone", NOW));
        assertTrue(repository().disable(tenant, e.id(), "gone", NOW.plusSeconds(5)));
        assertFalse(repository().disable(tenant, e.id(), "failing", NOW.plusSeconds(6)), "already disabled");
        WebhookEndpoint d = repository().find(tenant, e.id()).orElseThrow();
        assertFalse(d.enabled());
        assertEquals("gone", d.disabledReason());
        assertEquals(NOW.plusSeconds(5), d.disabledAt());
        assertEquals(NOW.plusSeconds(5), d.updatedAt());
        assertEquals(2, d.version());
        assertFalse(repository().disable(tenant, "whe_missing", "gone", NOW));
    }

    private IdempotencyCompletion held(TenantId t, String name) {
        IdempotencyKey key = IdempotencyKey.ofTenant(t, null, Ids.random("k", 20) + name);
        Instant lock = NOW.plusSeconds(60);
        assertTrue(idempotency().acquire(key, "fp", NOW, lock, NOW.plus(Duration.ofHours(24))));
        return new IdempotencyCompletion(key, lock, new byte[] {1, 2, 3});
    }

    @Test
    void keyedWritesCompleteTheirRecordWithTheirEffectOrWriteNothing() {
        IdempotencyCompletion completion = held(tenant, "create");
        WebhookEndpoint e = endpoint(tenant);
        repository().create(e, completion);
        assertTrue(idempotency().find(completion.key()).completed());
        assertArrayEquals(new byte[] {1, 2, 3}, idempotency().find(completion.key()).sealedResponse());

        IdempotencyCompletion lost = new IdempotencyCompletion(held(tenant, "lost").key(), NOW.plusSeconds(1), new byte[] {9});
        WebhookEndpoint notStored = endpoint(tenant);
        assertThrows(StoreException.Contention.class, () -> repository().create(notStored, lost));
        assertTrue(repository().find(tenant, notStored.id()).isEmpty());

        IdempotencyCompletion rotation = held(tenant, "rotate");
        WebhookEndpoint rotated = repository().replace(changed(e, true, List.of(SigningSecret.generate()), null), 1, rotation);
        assertEquals(2, rotated.version());
        assertTrue(idempotency().find(rotation.key()).completed());
        IdempotencyCompletion stale = new IdempotencyCompletion(held(tenant, "stale").key(), NOW.plusSeconds(1), new byte[] {9});
        assertThrows(StoreException.Contention.class,
                () -> repository().replace(changed(rotated, false, rotated.secrets(), null), 2, stale));
        assertEquals(2, repository().find(tenant, e.id()).orElseThrow().version());
        assertTrue(repository().find(tenant, e.id()).orElseThrow().enabled());
    }
}
