package dev.crm.shared.tenant.store;

import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
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
    void create(Tenant tenant, ApiKeyRecord firstKey);

    /** @return the tenant, or null */
    Tenant find(TenantId id);

    /** @return the tenant the slug belongs to, or null */
    TenantId findBySlug(String slug);

    /** @throws dev.crm.shared.store.StoreException.VersionConflict when {@code expectedVersion} is stale */
    Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings, Instant now);

    /** @throws dev.crm.shared.store.StoreException.LimitReached over {@link #MAX_ACTIVE_KEYS} */
    void createKey(ApiKeyRecord key);

    List<ApiKeyRecord> listKeys(TenantId id);

    /**
     * Revokes a key at once: its lookup entry is deleted in the same transaction.
     *
     * @throws dev.crm.shared.store.StoreException.NotFound when no active key has that id
     * @throws dev.crm.shared.store.StoreException.LimitReached when it is the tenant's last admin key
     */
    void revokeKey(TenantId id, String keyId, Instant now);

    /** The authorizer's lookup: key hash to key record. Null when unknown or revoked. */
    ApiKeyRecord findByKeyHash(String keyHash);

    /**
     * Marks the tenant as being deprovisioned, removes every way in (slug, key lookups) and creates
     * {@code job} (an opaque write from the job store), all in one transaction.
     *
     * @return false when the tenant does not exist or is already being deprovisioned
     */
    boolean beginDeprovisioning(TenantId id, Instant now, dev.crm.shared.jobs.NewJob job);

    /** Every tenant id, for scheduled jobs that visit each tenant (operator path). */
    List<TenantId> listTenantIds();

    /** One page of a deprovisioning sweep: how many items it deleted and where the next page starts. */
    record Sweep(long deleted, java.util.Map<String, Object> next) {}

    /**
     * Deletes one page of the tenant's items (its own partitions and the system lookups that name
     * it), scanning from {@code from} (null: the start). Operator path: a full-table scan.
     *
     * @return {@code next} null when the sweep is complete
     */
    Sweep sweep(TenantId id, java.util.Map<String, Object> from, int pageSize, String keepEntity);
}
