package dev.crm.shared.publicaccess;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tokens.SignedTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The tenant of a public request (no API key): from the slug in the path or from a token in the query
 * string; only once it is known do the tenant's CORS origins apply. Only an active tenant is found.
 * Each public function holds one (its slug cache lives as long as the function's instance).
 */
public final class PublicTenantLookup {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final TenantCache tenants;
    private final TenantRepository tenantRepository;
    private final Clock clock;
    /** Slug to tenant id, briefly: every public request by slug resolves one, and slugs almost never change. */
    private final Map<String, SlugEntry> slugs = new ConcurrentHashMap<>();

    private record SlugEntry(TenantId tenantId, long loadedAt) {}

    public PublicTenantLookup(TenantCache tenants, TenantRepository tenantRepository, Clock clock) {
        this.tenants = tenants;
        this.tenantRepository = tenantRepository;
        this.clock = clock;
    }

    /** The active tenant of the slug in the path (else a 404), whose CORS origins apply from here on. */
    public Tenant bySlug(ApiRequest request) {
        Tenant tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        if (tenant == null) {
            throw ApiProblem.notFound("the tenant");
        }
        request.corsOrigins(tenant.settings().allowedOrigins());
        return tenant;
    }

    /** @return the active tenant with this slug, or null */
    public Tenant activeTenantOfSlug(String slug) {
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
        return id == null ? null : activeTenant(id);
    }

    /** @return the tenant if it exists and is active, else null */
    public Tenant activeTenant(TenantId id) {
        Tenant tenant = tenants.get(id);
        return tenant == null || tenant.status() != Tenant.Status.ACTIVE ? null : tenant;
    }

    /**
     * The origins a public request may come from, resolved before anything else (the router answers
     * preflights itself): the slug's tenant's, or those of the tenant a token in the query string names.
     * The token is not verified here (the origins a tenant allows are not secret); the route verifies it
     * before it reads anything. Anything unrecognised allows no origin.
     */
    public Collection<String> allowedOrigins(ApiRequest request) {
        Tenant tenant;
        if (request.pathParameter("tenantSlug") != null) {
            tenant = activeTenantOfSlug(request.pathParameter("tenantSlug"));
        } else {
            TenantId named = tenantNamedBy(request.queryParameters().get("token"));
            tenant = named == null ? null : activeTenant(named);
        }
        return tenant == null ? List.of() : tenant.settings().allowedOrigins();
    }

    /**
     * The tenant a signed token's payload names ({@link SignedTokens}' {@code t}), without verifying
     * anything: enough to pick that tenant's CORS origins for a preflight, never to act on. Null for
     * anything that is not shaped like our tokens.
     */
    public static TenantId tenantNamedBy(String token) {
        if (token == null || token.length() > SignedTokens.MAX_LENGTH) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        byte[] payload = parts.length == 3 ? Hashes.fromBase64Url(parts[1]) : null;
        if (payload == null) {
            return null;
        }
        try {
            Object parsed = Json.parse(new String(payload, StandardCharsets.UTF_8));
            return parsed instanceof Map<?, ?> m && m.get("t") instanceof String t && TenantId.isValid(t)
                    ? new TenantId(t) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
