package dev.crm.preferences.entrypoints;

import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.Topic;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code /v1/topics}: the tenant's topics (create, list). */
final class TopicRoutes {
    private final PreferencesService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    TopicRoutes(PreferencesService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Topic topic = Topic.parse(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, attempt -> {
            try {
                // A re-run after a lost completion finds its own topic under the key: the first result.
                Topic created = service.createTopic(t, topic, attempt.isRerun());
                return ApiResponse.json(201, created.toJson());
            } catch (StoreException.UniqueViolation e) {
                throw ApiProblem.of(ProblemType.DUPLICATE, "a topic with the key '" + topic.key() + "' already exists")
                        .with("errors", List.of(Map.of("pointer", "/key", "detail", "already used by another topic")));
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most " + Topic.MAX_PER_TENANT + " topics");
            } catch (StoreException.Contention e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "another topic is being created at this moment; retry")
                        .header("Retry-After", "1");
            }
        });
    }

    ApiResponse list(ApiRequest request) {
        RouteParameters.onlyParameters(request, RouteParameters.PAGE);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "topics";
        var from = Page.from(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var slice = service.topics(tenant.id(), limit, from);
        List<Object> items = slice.items().stream().<Object>map(Topic::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(tenant.id(), tenant.secrets(), query, slice.next(),
                clock.instant())));
    }
}
