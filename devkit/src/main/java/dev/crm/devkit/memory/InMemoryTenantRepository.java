package dev.crm.devkit.memory;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link TenantRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code TenantRepositoryContract}. Deprovisioning queues its job in the given job repository.
 */
public final class InMemoryTenantRepository implements TenantRepository {
    private record KeyRef(TenantId tenant, String keyId) {}

    private final JobRepository jobs;
    private final Map<TenantId, Tenant> tenants = new HashMap<>();
    private final Map<TenantId, int[]> activeKeys = new HashMap<>(); // {all, admin}
    private final Map<String, TenantId> slugs = new HashMap<>();
    private final TreeSet<String> registry = new TreeSet<>();
    private final Map<TenantId, TreeMap<String, ApiKeyRecord>> keys = new HashMap<>();
    private final Map<String, KeyRef> keyLookups = new HashMap<>();
    private final InMemoryIdempotencyRepository idempotency;

    /** @param jobs where {@link #beginDeprovisioning} queues its job */
    public InMemoryTenantRepository(JobRepository jobs) {
        this(jobs, null);
    }

    /**
     * @param jobs where {@link #beginDeprovisioning} queues its job
     * @param idempotency where the creates complete a request's record "in the same transaction"
     */
    public InMemoryTenantRepository(JobRepository jobs, InMemoryIdempotencyRepository idempotency) {
        this.jobs = jobs;
        this.idempotency = idempotency;
    }

    /** The completion's part of a transaction, checked and written before anything else is. */
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
    public synchronized void create(Tenant tenant, ApiKeyRecord firstKey, IdempotencyCompletion completion) {
        if (slugs.containsKey(tenant.slug())) {
            throw new StoreException.UniqueViolation("slug", null);
        }
        if (tenants.containsKey(tenant.id())) {
            throw new IllegalStateException("tenant exists");
        }
        complete(completion);
        slugs.put(tenant.slug(), tenant.id());
        registry.add(tenant.id().value());
        tenants.put(tenant.id(), stored(tenant));
        activeKeys.put(tenant.id(), new int[] {1, firstKey.scope() == Scope.ADMIN ? 1 : 0});
        putKey(firstKey);
    }

    @Override
    public synchronized Tenant find(TenantId id) {
        return tenants.get(id);
    }

    @Override
    public synchronized TenantId findBySlug(String slug) {
        return slugs.get(slug);
    }

    @Override
    public synchronized Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings, Instant now) {
        Tenant t = tenants.get(id);
        if (t == null || t.version() != expectedVersion || t.status() != Tenant.Status.ACTIVE) {
            throw new StoreException.VersionConflict();
        }
        Tenant updated = stored(new Tenant(t.id(), t.name(), t.slug(), t.status(), settings, t.secrets(), t.createdAt(),
                now, t.version() + 1));
        tenants.put(id, updated);
        return updated;
    }

    @Override
    public synchronized boolean markEmailGuardsKeyed(TenantId id) {
        Tenant t = tenants.get(id);
        if (t == null) {
            return false;
        }
        TenantSecrets s = t.secrets();
        tenants.put(id, new Tenant(t.id(), t.name(), t.slug(), t.status(), t.settings(),
                new TenantSecrets(s.signingKeys(), s.pseudonymKey(), true), t.createdAt(), t.updatedAt(), t.version()));
        return true;
    }

    @Override
    public synchronized void createKey(ApiKeyRecord key, IdempotencyCompletion completion) {
        Tenant t = tenants.get(key.tenantId());
        int[] active = activeKeys.get(key.tenantId());
        if (t == null || t.status() != Tenant.Status.ACTIVE || active[0] >= MAX_ACTIVE_KEYS) {
            throw new StoreException.LimitReached("at most " + MAX_ACTIVE_KEYS + " active keys per tenant");
        }
        if (keys.getOrDefault(key.tenantId(), new TreeMap<>()).containsKey(key.keyId()) || keyLookups.containsKey(key.keyHash())) {
            throw new IllegalStateException("key exists");
        }
        complete(completion);
        active[0]++;
        if (key.scope() == Scope.ADMIN) {
            active[1]++;
        }
        putKey(key);
    }

    @Override
    public synchronized List<ApiKeyRecord> listKeys(TenantId id) {
        return List.copyOf(keys.getOrDefault(id, new TreeMap<>()).values());
    }

    @Override
    public synchronized void revokeKey(TenantId id, String keyId, Instant now) {
        ApiKeyRecord key = keys.getOrDefault(id, new TreeMap<>()).get(keyId);
        if (key == null) {
            throw new StoreException.NotFound();
        }
        if (key.revokedAt() != null) {
            return;
        }
        int[] active = activeKeys.get(id);
        boolean admin = key.scope() == Scope.ADMIN;
        if (active == null || !tenants.containsKey(id) || admin && active[1] <= 1) {
            throw new StoreException.LimitReached("the last admin key cannot be revoked");
        }
        active[0]--;
        if (admin) {
            active[1]--;
        }
        keys.get(id).put(keyId, new ApiKeyRecord(key.tenantId(), key.keyId(), key.name(), key.scope(), key.displayPrefix(),
                key.keyHash(), key.createdAt(), key.expiresAt(), millis(now)));
        keyLookups.remove(key.keyHash());
    }

    @Override
    public synchronized ApiKeyRecord findByKeyHash(String keyHash) {
        KeyRef ref = keyLookups.get(keyHash);
        ApiKeyRecord key = ref == null ? null : keys.getOrDefault(ref.tenant(), new TreeMap<>()).get(ref.keyId());
        return key != null && key.revokedAt() == null && keyHash.equals(key.keyHash()) ? key : null;
    }

    @Override
    public synchronized boolean beginDeprovisioning(TenantId id, Instant now, NewJob job) {
        Tenant t = tenants.get(id);
        if (t == null || t.status() != Tenant.Status.ACTIVE) {
            return false;
        }
        jobs.create(job); // first: when it fails, nothing else changes (as in one transaction)
        tenants.put(id, new Tenant(t.id(), t.name(), t.slug(), Tenant.Status.DEPROVISIONING, t.settings(), t.secrets(),
                t.createdAt(), millis(now), t.version()));
        slugs.remove(t.slug());
        keyLookups.values().removeIf(ref -> ref.tenant().equals(id));
        return true;
    }

    @Override
    public synchronized List<TenantId> listTenantIds() {
        return registry.stream().map(TenantId::new).toList();
    }

    /** Deletes up to {@code pageSize} records per page; the cursor only says that more remain. */
    @Override
    public synchronized DeprovisionSweep sweep(TenantId id, Cursor from, int pageSize) {
        List<Runnable> deletions = new ArrayList<>();
        if (tenants.containsKey(id)) {
            deletions.add(() -> {
                tenants.remove(id);
                activeKeys.remove(id);
            });
        }
        if (registry.contains(id.value())) {
            deletions.add(() -> registry.remove(id.value()));
        }
        slugs.forEach((slug, owner) -> {
            if (owner.equals(id)) {
                deletions.add(() -> slugs.remove(slug));
            }
        });
        keyLookups.forEach((hash, ref) -> {
            if (ref.tenant().equals(id)) {
                deletions.add(() -> keyLookups.remove(hash));
            }
        });
        for (String keyId : keys.getOrDefault(id, new TreeMap<>()).keySet()) {
            deletions.add(() -> {
                keys.get(id).remove(keyId);
                if (keys.get(id).isEmpty()) {
                    keys.remove(id);
                }
            });
        }
        int n = Math.min(pageSize, deletions.size());
        deletions.subList(0, n).forEach(Runnable::run);
        return new DeprovisionSweep(n, deletions.size() > n ? new Cursor("more") : null);
    }

    private void putKey(ApiKeyRecord key) {
        keys.computeIfAbsent(key.tenantId(), t -> new TreeMap<>()).put(key.keyId(), key);
        keyLookups.put(key.keyHash(), new KeyRef(key.tenantId(), key.keyId()));
    }

    /** As the store gives a tenant back: settings through their stored form, instants to the millisecond. */
    private static Tenant stored(Tenant t) {
        return new Tenant(t.id(), t.name(), t.slug(), t.status(), TenantSettings.fromStored(
                InMemoryJobRepository.copy(t.settings().toJson())), t.secrets(), millis(t.createdAt()),
                millis(t.updatedAt()), t.version());
    }

    private static Instant millis(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.MILLIS);
    }
}
