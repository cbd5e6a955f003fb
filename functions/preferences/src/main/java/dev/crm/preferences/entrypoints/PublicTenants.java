package dev.crm.preferences.entrypoints;

import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.publicaccess.PublicTenantLookup;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantRepository;
import java.time.Clock;
import java.util.Collection;

/**
 * The tenant of a public request (no API key): from the slug in the path or from the token in the
 * query string; only once it is known do the tenant's CORS origins apply. The lookup is the one the
 * public case routes use too ({@link PublicTenantLookup}).
 */
final class PublicTenants {
    private final PublicTenantLookup lookup;

    PublicTenants(TenantCache tenants, TenantRepository tenantRepository, Clock clock) {
        this.lookup = new PublicTenantLookup(tenants, tenantRepository, clock);
    }

    /** The active tenant of the slug in the path (else a 404), whose CORS origins apply from here on. */
    Tenant bySlug(ApiRequest request) {
        return lookup.bySlug(request);
    }

    /** The origins a public request may come from (the slug's or the token's tenant's; else none). */
    Collection<String> allowedOrigins(ApiRequest request) {
        return lookup.allowedOrigins(request);
    }
}
