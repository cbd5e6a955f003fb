package dev.crm.webhooks.store.memory;

import dev.crm.devkit.memory.InMemoryIdempotencyRepository;
import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link EndpointRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code EndpointRepositoryContract}: endpoints ordered by id within their tenant, as the partition sorts them.
 */
public final class InMemoryEndpointRepository implements EndpointRepository {
    private final Map<TenantId, TreeMap<String, WebhookEndpoint>> endpoints = new HashMap<>();
    private final InMemoryIdempotencyRepository idempotency;

    public InMemoryEndpointRepository() {
        this(null);
    }

    /** @param idempotency where keyed writes complete a request's record "in the same transaction" */
    public InMemoryEndpointRepository(InMemoryIdempotencyRepository idempotency) {
        this.idempotency = idempotency;
    }

    private TreeMap<String, WebhookEndpoint> of(TenantId t) {
        return endpoints.computeIfAbsent(t, k -> new TreeMap<>());
    }

    private void complete(IdempotencyCompletion completion) {
        if (completion == null) {
            return;
        }
        if (idempotency == null) {
            throw new IllegalStateException("this fake was built without an idempotency repository");
        }
        if (!idempotency.completeHeld(completion)) {
            throw new StoreException.Contention();
        }
    }

    @Override
    public synchronized void create(WebhookEndpoint endpoint, IdempotencyCompletion completion) {
        var mine = of(endpoint.tenant());
        if (mine.size() >= MAX_PER_TENANT) {
            throw new StoreException.LimitReached("at most " + MAX_PER_TENANT + " webhook endpoints per tenant");
        }
        if (mine.containsKey(endpoint.id())) {
            throw new IllegalStateException("endpoint id taken");
        }
        complete(completion);
        mine.put(endpoint.id(), endpoint);
    }

    @Override
    public synchronized Optional<WebhookEndpoint> find(TenantId tenant, String id) {
        return Optional.ofNullable(of(tenant).get(id));
    }

    @Override
    public synchronized Slice<WebhookEndpoint> list(TenantId tenant, Cursor after, int limit) {
        var mine = of(tenant);
        List<WebhookEndpoint> found = new ArrayList<>((after == null ? mine : mine.tailMap(after.value(), false)).values());
        if (found.size() <= limit) {
            return Slice.last(found);
        }
        List<WebhookEndpoint> page = found.subList(0, limit);
        return new Slice<>(page, new Cursor(page.get(limit - 1).id()));
    }

    @Override
    public synchronized List<WebhookEndpoint> all(TenantId tenant) {
        return List.copyOf(of(tenant).values());
    }

    @Override
    public synchronized WebhookEndpoint replace(WebhookEndpoint u, long expectedVersion, IdempotencyCompletion completion) {
        WebhookEndpoint stored = of(u.tenant()).get(u.id());
        if (stored == null) {
            throw new StoreException.NotFound();
        }
        if (stored.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        complete(completion);
        // failingSince is the deliverer's: kept as stored unless the update clears it.
        WebhookEndpoint next = new WebhookEndpoint(u.tenant(), u.id(), u.url(), u.eventTypes(), u.description(), u.enabled(),
                u.disabledReason(), u.disabledAt(), u.secrets(), u.failingSince() == null ? null : stored.failingSince(),
                stored.createdAt(), u.updatedAt(), expectedVersion + 1);
        of(u.tenant()).put(u.id(), next);
        return next;
    }

    @Override
    public synchronized boolean delete(TenantId tenant, String id, long expectedVersion) {
        WebhookEndpoint stored = of(tenant).get(id);
        if (stored == null) {
            return false;
        }
        if (stored.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        of(tenant).remove(id);
        return true;
    }

    @Override
    public synchronized void deliveredTo(TenantId tenant, String id) {
        WebhookEndpoint e = of(tenant).get(id);
        if (e != null && e.failingSince() != null) {
            of(tenant).put(id, withFailingSince(e, null));
        }
    }

    @Override
    public synchronized Instant failedAt(TenantId tenant, String id, Instant at) {
        WebhookEndpoint e = of(tenant).get(id);
        if (e == null) {
            return at;
        }
        if (e.failingSince() != null) {
            return e.failingSince();
        }
        of(tenant).put(id, withFailingSince(e, at));
        return at;
    }

    private static WebhookEndpoint withFailingSince(WebhookEndpoint e, Instant since) {
        return new WebhookEndpoint(e.tenant(), e.id(), e.url(), e.eventTypes(), e.description(), e.enabled(),
                e.disabledReason(), e.disabledAt(), e.secrets(), since, e.createdAt(), e.updatedAt(), e.version());
    }

    @Override
    public synchronized boolean disable(TenantId tenant, String id, String reason, Instant at) {
        WebhookEndpoint e = of(tenant).get(id);
        if (e == null || !e.enabled()) {
            return false;
        }
        of(tenant).put(id, new WebhookEndpoint(e.tenant(), e.id(), e.url(), e.eventTypes(), e.description(), false, reason,
                at, e.secrets(), e.failingSince(), e.createdAt(), at, e.version() + 1));
        return true;
    }
}
