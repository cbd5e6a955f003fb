package dev.crm.tenants.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.tenants.domain.NewApiKey;
import dev.crm.tenants.domain.NewTenant;
import dev.crm.tenants.domain.TenantService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** API entry point of the tenants function: parse, call {@link TenantService}, map the result. */
public final class TenantsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, dev.crm.shared.http.RoutedHandler {
    private final TenantService service;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final ApiRouter router;

    public TenantsHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public TenantsHandler(Infrastructure infra) {
        this.service = new TenantService(infra.tenants(), infra.jobs(), infra.clock());
        this.idempotency = infra.idempotency();
        this.clock = infra.clock();
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/tenants", Scope.OPERATOR, this::provision)
                .bare("DELETE", "/v1/tenants/{tenantId}", Scope.OPERATOR, this::deprovision)
                .bare("GET", "/v1/tenants/{tenantId}/deprovisioning", Scope.OPERATOR, this::deprovisioning)
                .bare("GET", "/v1/tenant", Scope.ADMIN, this::getTenant)
                .bare("GET", "/v1/key", Scope.READ, this::currentKey)
                .add(new Route("PATCH", "/v1/tenant/settings", Scope.ADMIN,
                        Set.of("application/merge-patch+json", "application/json"), Route.DEFAULT_MAX_BODY,
                        this::patchSettings))
                .json("POST", "/v1/tenant/keys", Scope.ADMIN, this::createKey)
                .bare("GET", "/v1/tenant/keys", Scope.ADMIN, this::listKeys)
                .bare("DELETE", "/v1/tenant/keys/{keyId}", Scope.ADMIN, this::revokeKey);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    private ApiResponse provision(ApiRequest request) {
        JsonObject body = request.jsonObject();
        NewTenant cmd = NewTenant.from(body);
        ApiProblem.throwIfAny(body.violations());
        return idempotency.execute(request, () -> {
            try {
                TenantService.Provisioned p = service.provision(cmd);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("tenantId", p.tenant().id().value());
                out.put("name", p.tenant().name());
                out.put("slug", p.tenant().slug());
                out.put("apiKey", p.adminKey().secret());
                out.put("key", p.adminKey().record().toJson());
                out.put("createdAt", p.tenant().createdAt());
                return ApiResponse.created("/v1/tenants/" + p.tenant().id().value(), out);
            } catch (StoreException.UniqueViolation e) {
                throw ApiProblem.of(ProblemType.DUPLICATE, "the slug '" + cmd.slug() + "' is taken")
                        .with("errors", List.of(Map.of("pointer", "/slug", "detail", "already taken")));
            }
        });
    }

    private ApiResponse deprovision(ApiRequest request) {
        TenantId id = tenantIdParameter(request);
        String location = "/v1/tenants/" + id.value() + "/deprovisioning";
        if (!service.startDeprovisioning(id)) {
            Job existing = service.deprovisioning(id);
            if (existing == null) {
                throw ApiProblem.notFound("the tenant");
            }
            return ApiResponse.accepted(location, existing.toJson());
        }
        return ApiResponse.accepted(location, service.deprovisioning(id).toJson());
    }

    private ApiResponse deprovisioning(ApiRequest request) {
        Job job = service.deprovisioning(tenantIdParameter(request));
        if (job == null) {
            throw ApiProblem.notFound("the deprovisioning job");
        }
        return ApiResponse.ok(job.toJson());
    }

    private static TenantId tenantIdParameter(ApiRequest request) {
        String raw = request.pathParameter("tenantId");
        if (!TenantId.isValid(raw)) {
            throw ApiProblem.notFound("the tenant");
        }
        return new TenantId(raw);
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
        Tenant current = service.get(request.tenant());
        if (current == null) {
            throw ApiProblem.notFound("the tenant");
        }
        TenantSettings merged = current.settings().merge(patch);
        ApiProblem.throwIfAny(patch.violations());
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the tenant has changed; read it again");
        }
        try {
            Tenant updated = service.updateSettings(current.id(), expected, merged);
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the tenant has changed; read it again");
        }
    }

    private ApiResponse createKey(ApiRequest request) {
        JsonObject body = request.jsonObject();
        NewApiKey cmd = NewApiKey.from(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        return idempotency.execute(request, () -> {
            try {
                TenantService.IssuedKey key = service.createKey(tenant, cmd);
                Map<String, Object> out = new LinkedHashMap<>(key.record().toJson());
                out.put("apiKey", key.secret());
                return ApiResponse.created("/v1/tenant/keys/" + key.record().keyId(), out);
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most "
                        + dev.crm.shared.tenant.store.TenantRepository.MAX_ACTIVE_KEYS + " active keys; revoke one first");
            }
        });
    }

    private ApiResponse listKeys(ApiRequest request) {
        int limit = Page.limit(request);
        List<ApiKeyRecord> all = new ArrayList<>(service.keys(request.tenant()));
        all.sort(java.util.Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::keyId));
        // Keys are few (at most 50 active plus revoked ones); the cursor is a plain offset into the
        // sorted list, signed like every cursor.
        // The tenant (its cursor-signing keys) is read only when a cursor is given or another page follows.
        boolean moreThanOnePage = request.query("cursor") != null || all.size() > limit;
        Tenant t = moreThanOnePage ? service.get(request.tenant()) : null;
        var start = t == null ? null : Page.decode(request, t.id(), t.secrets(), "keys", clock.instant());
        int offset = start == null ? 0 : ((Number) dev.crm.shared.store.dynamodb.Attr.toPlain(start.get("offset"))).intValue();
        if (offset < 0 || offset > all.size()) {
            throw ApiProblem.of(ProblemType.INVALID_CURSOR, "the cursor is not valid for this list");
        }
        List<Object> items = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            items.add(all.get(i).toJson());
        }
        String next = offset + limit < all.size()
                ? Page.encode(t.id(), t.secrets(), "keys",
                        Map.of("offset", dev.crm.shared.store.dynamodb.Attr.n(offset + limit)), clock.instant())
                : null;
        return ApiResponse.ok(Page.body(items, next));
    }

    private ApiResponse revokeKey(ApiRequest request) {
        String keyId = request.pathParameter("keyId");
        if (keyId == null || !dev.crm.shared.tenant.Ids.isValid("key_", keyId)) {
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
