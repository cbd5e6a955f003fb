package dev.crm.tenants.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.tenants.domain.NewApiKey;
import dev.crm.tenants.domain.TenantService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tenant's API keys: {@code /v1/tenant/keys}. */
final class KeyRoutes {
    private static final String LIST_QUERY = "keys";

    private final TenantService service;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    KeyRoutes(TenantService service, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter register(ApiRouter router) {
        return router
                .json("POST", "/v1/tenant/keys", Scope.ADMIN, this::createKey)
                .bare("GET", "/v1/tenant/keys", Scope.ADMIN, this::listKeys)
                .bare("DELETE", "/v1/tenant/keys/{keyId}", Scope.ADMIN, this::revokeKey);
    }

    private ApiResponse createKey(ApiRequest request) {
        JsonObject body = request.jsonObject();
        NewApiKey cmd = NewApiKey.from(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        return idempotency.execute(request, attempt -> {
            try {
                // The answer (with the secret) is sealed into the idempotency record in the key's own transaction.
                return created(service.createKey(tenant, cmd, k -> attempt.completion(created(k))));
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most "
                        + TenantRepository.MAX_ACTIVE_KEYS + " active keys; revoke one first");
            }
        });
    }

    private static ApiResponse created(TenantService.IssuedKey key) {
        Map<String, Object> out = new LinkedHashMap<>(key.record().toJson());
        out.put("apiKey", key.secret());
        return ApiResponse.created("/v1/tenant/keys/" + key.record().keyId(), out);
    }

    private ApiResponse listKeys(ApiRequest request) {
        int limit = Page.limit(request);
        TenantId id = request.tenant();
        // The tenant (its cursor-signing keys) is read only when a cursor is given or another page follows.
        Tenant t = request.query("cursor") != null ? service.get(id) : null;
        Cursor from = t == null ? null : Page.from(request, t.id(), t.secrets(), LIST_QUERY, clock.instant());
        Slice<ApiKeyRecord> page;
        try {
            page = service.keys(id, from, limit);
        } catch (TenantService.InvalidCursor e) {
            throw ApiProblem.of(ProblemType.INVALID_CURSOR, "the cursor is not valid for this list");
        }
        if (page.hasMore() && t == null) {
            t = service.get(id);
        }
        List<Object> items = page.items().stream().<Object>map(ApiKeyRecord::toJson).toList();
        String next = page.hasMore() ? Page.cursor(t.id(), t.secrets(), LIST_QUERY, page.next(), clock.instant()) : null;
        return ApiResponse.ok(Page.body(items, next));
    }

    private ApiResponse revokeKey(ApiRequest request) {
        String keyId = request.pathParameter("keyId");
        if (keyId == null || !Ids.isValid("key_", keyId)) {
            throw ApiProblem.notFound("the key");
        }
        try {
            service.revokeKey(request.tenant(), keyId);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the key");
        } catch (StoreException.LimitReached e) {
            throw ApiProblem.of(ProblemType.CONFLICT, "the last admin key cannot be revoked; create another admin key first");
        }
        return ApiResponse.noContent();
    }
}
