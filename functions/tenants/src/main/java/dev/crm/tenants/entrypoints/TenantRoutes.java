package dev.crm.tenants.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.tenants.domain.TenantService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The caller's own tenant: {@code /v1/tenant}, its settings, and {@code /v1/key} (the key in use). */
final class TenantRoutes {
    private final TenantService service;

    TenantRoutes(TenantService service) {
        this.service = service;
    }

    ApiRouter register(ApiRouter router) {
        return router
                .bare("GET", "/v1/tenant", Scope.ADMIN, this::getTenant)
                .bare("GET", "/v1/key", Scope.READ, this::currentKey)
                .add(new Route("PATCH", "/v1/tenant/settings", Scope.ADMIN,
                        Set.of("application/merge-patch+json", "application/json"), Route.DEFAULT_MAX_BODY,
                        this::patchSettings));
    }

    private ApiResponse getTenant(ApiRequest request) {
        Tenant t = service.get(request.tenant());
        if (t == null) {
            throw ApiProblem.notFound("the tenant");
        }
        return ApiResponse.ok(t.toJson()).etag(t.version());
    }

    /**
     * The key the request was made with, so a browser page can refuse a key that is more than
     * read-only (the dashboard never holds a write key) and greet the tenant by name.
     */
    private ApiResponse currentKey(ApiRequest request) {
        Tenant t = service.get(request.tenant());
        if (t == null) {
            throw ApiProblem.of(ProblemType.UNAUTHORIZED, "the tenant no longer exists");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyId", request.caller().keyId());
        out.put("scope", request.caller().scope().wire());
        out.put("tenantId", t.id().value());
        out.put("tenantName", t.name());
        out.put("defaultTimeZone", t.settings().defaultTimeZone());
        out.put("defaultCurrency", t.settings().defaultCurrency());
        return ApiResponse.ok(out);
    }

    private ApiResponse patchSettings(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        try {
            Tenant updated = service.changeSettings(request.tenant(), expected, current -> {
                var merged = current.merge(patch);
                ApiProblem.throwIfAny(patch.violations());
                return merged;
            });
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the tenant");
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the tenant has changed; read it again");
        }
    }
}
