package dev.crm.webhooks.domain;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The tenants' webhook endpoints (docs/data-model.md, "Webhooks"). */
public interface EndpointRepository {
    /** The most endpoints one tenant may have: the fan-out reads them all for every event. */
    int MAX_PER_TENANT = 20;

    /** Stores a new endpoint; {@code StoreException.LimitReached} when the tenant has {@link #MAX_PER_TENANT}. */
    default void create(WebhookEndpoint endpoint) {
        create(endpoint, null);
    }

    /**
     * As {@link #create(WebhookEndpoint)}, completing a keyed request's idempotency record in the same
     * transaction (the answer holds the one-time secret: the endpoint exists only with the record that
     * replays it).
     *
     * @param completion the record's completion, or null for a request without an Idempotency-Key
     * @throws dev.crm.shared.store.StoreException.Contention when the completion no longer holds; nothing is written
     */
    void create(WebhookEndpoint endpoint, IdempotencyCompletion completion);

    Optional<WebhookEndpoint> find(TenantId tenant, String id);

    Slice<WebhookEndpoint> list(TenantId tenant, Cursor after, int limit);

    /** Every endpoint of the tenant (at most {@link #MAX_PER_TENANT}), enabled or not: what the fan-out reads. */
    List<WebhookEndpoint> all(TenantId tenant);

    /**
     * Replaces the endpoint's client-settable state and secrets if its version is still
     * {@code expectedVersion} (then version + 1); {@code StoreException.VersionConflict} otherwise,
     * {@code StoreException.NotFound} when it is gone.
     *
     * <p>{@code failingSince} belongs to the deliverer ({@link #deliveredTo}, {@link #failedAt}, which
     * leave the version alone): replace never sets it, and removes it when {@code updated} has none
     * (a re-enabled endpoint starts clean).
     */
    default WebhookEndpoint replace(WebhookEndpoint updated, long expectedVersion) {
        return replace(updated, expectedVersion, null);
    }

    /**
     * As {@link #replace(WebhookEndpoint, long)}, completing a keyed request's idempotency record in the
     * same transaction (a rotation's answer holds the new secret).
     *
     * @param completion the record's completion, or null for a request without an Idempotency-Key
     * @throws dev.crm.shared.store.StoreException.Contention when the completion no longer holds; nothing is written
     */
    WebhookEndpoint replace(WebhookEndpoint updated, long expectedVersion, IdempotencyCompletion completion);

    /**
     * Deletes it if its version is still {@code expectedVersion}; false when it was already gone,
     * {@code StoreException.VersionConflict} when it changed.
     */
    boolean delete(TenantId tenant, String id, long expectedVersion);

    /** A delivery succeeded: the endpoint's run of failures (if any) ends. Does not change its version. */
    void deliveredTo(TenantId tenant, String id);

    /**
     * A delivery attempt failed at {@code at}: starts a run of failures if none is running; returns its
     * start ({@code at} itself when the endpoint is gone). Does not change its version.
     */
    Instant failedAt(TenantId tenant, String id, Instant at);

    /**
     * Disables an enabled endpoint for {@code reason} ({@code gone}, {@code failing}); version + 1.
     * True when this call disabled it (so exactly one {@code webhook.endpoint_disabled} follows).
     */
    boolean disable(TenantId tenant, String id, String reason, Instant at);
}
