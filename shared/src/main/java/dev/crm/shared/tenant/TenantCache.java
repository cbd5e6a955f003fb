package dev.crm.shared.tenant;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant records (settings, signing keys) cached per execution environment for a short time:
 * public routes and list cursors need them on every call, and they change rarely. A settings
 * change is visible everywhere within {@link #TTL_MILLIS}.
 */
public final class TenantCache {
    public static final long TTL_MILLIS = 30_000;

    private record Entry(Tenant tenant, long loadedAt) {}

    private final TenantRepository tenants;
    private final Clock clock;
    private final ConcurrentHashMap<TenantId, Entry> entries = new ConcurrentHashMap<>();

    public TenantCache(TenantRepository tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    /** @return the tenant, or null when it does not exist (absence is not cached) */
    public Tenant get(TenantId id) {
        long now = clock.millis();
        Entry e = entries.get(id);
        if (e != null && now - e.loadedAt() < TTL_MILLIS && now >= e.loadedAt()) {
            return e.tenant();
        }
        Tenant t = tenants.find(id);
        if (t != null) {
            if (entries.size() > 10_000) {
                entries.clear();
            }
            entries.put(id, new Entry(t, now));
        }
        return t;
    }

    /**
     * The tenant's secrets, for adapters that key items by them (email guards).
     *
     * @throws IllegalStateException when the tenant does not exist: callers act for a known tenant
     */
    public TenantSecrets secretsOf(TenantId id) {
        Tenant t = get(id);
        if (t == null) {
            throw new IllegalStateException("no tenant " + id.value());
        }
        return t.secrets();
    }

    public void put(Tenant t) {
        entries.put(t.id(), new Entry(t, clock.millis()));
    }
}
