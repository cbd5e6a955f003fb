package dev.crm.preferences.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The tenant of a public request (no API key): from the slug in the path or from the token in the
 * query string; only once it is known do the tenant's CORS origins apply.
 */
final class PublicTenants {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final TenantCache tenants;
    private final TenantRepository tenantRepository;
    private final Clock clock;
    /** Slug to tenant id, briefly: every public sign-up resolves one, and slugs almost never change. */
    private final Map<String, SlugEntry> slugs = new ConcurrentHashMap<>();

    private record SlugEntry(TenantId tenantId, long loadedAt) {}

    PublicTenants(TenantCache tenants, TenantRepository tenantRepository, Clock clock) {
        this.tenants = tenants;
        this.tenantRepository = tenantRepository;
        this.clock = clock;
    }

    /** The active tenant of the slug in the path (else a 404), whose CORS origins apply from here on. */
    Tenant bySlug(ApiRequest request) {
        Tenant tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        if (tenant == null) {
            throw ApiProblem.notFound("the tenant");
        }
        request.corsOrigins(tenant.settings().allowedOrigins());
        return tenant;
    }

    /** @return the active tenant with this slug, or null */
    private Tenant activeTenantOfSlug(String slug) {
        if (slug == null || slug.length() < 3 || slug.length() > 63 || !SLUG.matcher(slug).matches()) {
            return null;
        }
        long now = clock.millis();
        SlugEntry cached = slugs.get(slug);
        TenantId id;
        if (cached != null && now >= cached.loadedAt() && now - cached.loadedAt() < TenantCache.TTL_MILLIS) {
            id = cached.tenantId();
        } else {
            id = tenantRepository.findBySlug(slug);
            if (id != null) {
                if (slugs.size() > 10_000) {
                    slugs.clear();
                }
                slugs.put(slug, new SlugEntry(id, now));
            }
        }
        // A deprovisioned tenant loses its slug at once; a cached mapping still finds it, not active.
        Tenant tenant = id == null ? null : tenants.get(id);
        return tenant == null || tenant.status() != Tenant.Status.ACTIVE ? null : tenant;
    }

    /**
     * The origins a public request may come from, resolved before anything else (the router answers
     * preflights itself): the slug's tenant's, or the tenant a token in the query string names. The
     * token is not verified here: the origins a tenant allows are not secret, and the route verifies the
     * token before it does anything. Anything unrecognised allows no origin.
     */
    Collection<String> allowedOrigins(ApiRequest request) {
        Tenant tenant;
        if (request.pathParameter("tenantSlug") != null) {
            tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        } else {
            TenantId named = PreferenceTokens.tenantNamedBy(request.queryParameters().get("token"));
            tenant = named == null ? null : tenants.get(named);
        }
        return tenant == null || tenant.status() != Tenant.Status.ACTIVE ? List.of() : tenant.settings().allowedOrigins();
    }
}
