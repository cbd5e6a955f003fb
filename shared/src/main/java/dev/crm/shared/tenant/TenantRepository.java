package dev.crm.shared.tenant;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import java.time.Instant;
import java.util.List;

/** Tenants, their settings and their API keys. */
public interface TenantRepository {
    int MAX_ACTIVE_KEYS = 50;

    /**
     * Creates the tenant, its slug and registry entries and its first key in one transaction.
     *
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when the slug is taken
     */
    default void create(Tenant tenant, ApiKeyRecord firstKey) {
        create(tenant, firstKey, null);
    }

    /**
     * As {@link #create(Tenant, ApiKeyRecord)}, completing the provisioning request's idempotency record
     * in the same transaction: the first key's secret is answered once and kept only sealed in that
     * record, so the tenant must not exist without it.
     *
     * @param completion the record's completion, or null for a request without an Idempotency-Key
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when the slug is taken
     * @throws dev.crm.shared.store.StoreException.Contention when the completion no longer holds (the
     *         request's lock changed hands); nothing is written
     */
    void create(Tenant tenant, ApiKeyRecord firstKey, IdempotencyCompletion completion);

    /** @return the tenant, or null */
    Tenant find(TenantId id);

    /** @return the tenant the slug belongs to, or null */
    TenantId findBySlug(String slug);

    /**
     * @throws dev.crm.shared.store.StoreException.VersionConflict when {@code expectedVersion} is stale
     *         or the tenant is no longer active
     */
    Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings, Instant now);

    /**
     * Marks the tenant's email guards as all keyed ({@link TenantSecrets#keyedEmailGuards()}), once
     * its guard migration has moved every one; nothing else of the tenant changes (not its version).
     *
     * @return false when the tenant does not exist
     */
    boolean markEmailGuardsKeyed(TenantId id);

    /** @throws dev.crm.shared.store.StoreException.LimitReached over {@link #MAX_ACTIVE_KEYS} (or the tenant is not active) */
    default void createKey(ApiKeyRecord key) {
        createKey(key, null);
    }

    /**
     * As {@link #createKey(ApiKeyRecord)}, completing the request's idempotency record in the same
     * transaction (the key's secret is answered once and kept only sealed in that record).
     *
     * @param completion the record's completion, or null for a request without an Idempotency-Key
     * @throws dev.crm.shared.store.StoreException.LimitReached over {@link #MAX_ACTIVE_KEYS} (or the tenant is not active)
     * @throws dev.crm.shared.store.StoreException.Contention when the completion no longer holds; nothing is written
     */
    void createKey(ApiKeyRecord key, IdempotencyCompletion completion);

    /** Every key of the tenant, revoked ones included, in no particular order. */
    List<ApiKeyRecord> listKeys(TenantId id);

    /**
     * Revokes a key at once: it no longer authenticates once this returns. Revoking a revoked key
     * changes nothing.
     *
     * @throws dev.crm.shared.store.StoreException.NotFound when the tenant has no key with that id
     * @throws dev.crm.shared.store.StoreException.LimitReached when it is the tenant's last admin key
     */
    void revokeKey(TenantId id, String keyId, Instant now);

    /** The authorizer's lookup: key hash to key record. Null when unknown or revoked. */
    ApiKeyRecord findByKeyHash(String keyHash);

    /**
     * Marks the tenant as being deprovisioned, removes every way in (slug, key lookups) and queues
     * {@code job}, all atomically.
     *
     * @return false when the tenant does not exist or is already being deprovisioned
     */
    boolean beginDeprovisioning(TenantId id, Instant now, NewJob job);

    /** Every tenant id, for scheduled jobs that visit each tenant (operator path). */
    List<TenantId> listTenantIds();

    /**
     * Deletes one page of what the store holds for the tenant (its own records and the lookups that
     * name it), from {@code from} (null: the start). Job records are kept: the deprovisioning job
     * that runs the sweep reports on it afterwards.
     *
     * @param pageSize how many stored records one page looks at (not how many it deletes)
     */
    DeprovisionSweep sweep(TenantId id, Cursor from, int pageSize);
}
