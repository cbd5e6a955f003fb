package dev.crm.tenants.entrypoints;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.tenants.domain.NewTenant;
import dev.crm.tenants.domain.TenantService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operator's routes: provisioning a tenant ({@code /v1/tenants}) and deprovisioning it. */
final class ProvisioningRoutes {
    private final TenantService service;
    private final IdempotentRequests idempotency;

    ProvisioningRoutes(TenantService service, IdempotentRequests idempotency) {
        this.service = service;
        this.idempotency = idempotency;
    }

    ApiRouter register(ApiRouter router) {
        return router
                .json("POST", "/v1/tenants", Scope.OPERATOR, this::provision)
                .bare("DELETE", "/v1/tenants/{tenantId}", Scope.OPERATOR, this::deprovision)
                .bare("GET", "/v1/tenants/{tenantId}/deprovisioning", Scope.OPERATOR, this::deprovisioning);
    }

    private ApiResponse provision(ApiRequest request) {
        JsonObject body = request.jsonObject();
        NewTenant cmd = NewTenant.from(body);
        ApiProblem.throwIfAny(body.violations());
        return idempotency.execute(request, attempt -> {
            try {
                // The answer is sealed into the idempotency record in the tenant's own transaction: a
                // client that lost it gets it back from a retry with the same key, and no second tenant.
                return created(service.provision(cmd, p -> attempt.completion(created(p))));
            } catch (StoreException.UniqueViolation e) {
                throw ApiProblem.of(ProblemType.DUPLICATE, "the slug '" + cmd.slug() + "' is taken")
                        .with("errors", List.of(Map.of("pointer", "/slug", "detail", "already taken")));
            }
        });
    }

    private static ApiResponse created(TenantService.Provisioned p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenantId", p.tenant().id().value());
        out.put("name", p.tenant().name());
        out.put("slug", p.tenant().slug());
        out.put("apiKey", p.adminKey().secret());
        out.put("key", p.adminKey().record().toJson());
        out.put("createdAt", p.tenant().createdAt());
        return ApiResponse.created("/v1/tenants/" + p.tenant().id().value(), out);
    }

    private ApiResponse deprovision(ApiRequest request) {
        TenantId id = tenantIdParameter(request);
        Job job = service.deprovision(id);
        if (job == null) {
            throw ApiProblem.notFound("the tenant");
        }
        return ApiResponse.accepted("/v1/tenants/" + id.value() + "/deprovisioning", job.toJson());
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
}
