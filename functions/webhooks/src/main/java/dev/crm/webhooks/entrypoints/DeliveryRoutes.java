package dev.crm.webhooks.entrypoints;

import dev.crm.shared.events.EventIds;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.webhooks.domain.Deliveries;
import dev.crm.webhooks.domain.Delivery;
import dev.crm.webhooks.domain.DeliveryRepository;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/webhooks/{id}/…}: an endpoint's deliveries, retrying one, replaying from an instant, and a
 * test message. Admin scope, as the endpoints: another tenant's endpoint is not found, exactly like a
 * missing one.
 */
public final class DeliveryRoutes {
    private static final String ENDPOINT = "the webhook endpoint";

    private final Deliveries deliveries;
    private final TenantCache tenants;
    private final Clock clock;
    private final IdempotentRequests idempotency;

    public DeliveryRoutes(Deliveries deliveries, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.idempotency = idempotency;
        this.deliveries = deliveries;
        this.tenants = tenants;
        this.clock = clock;
    }

    public ApiRouter addTo(ApiRouter router) {
        return router
                .bare("GET", "/v1/webhooks/{id}/deliveries", Scope.ADMIN, this::list)
                .json("POST", "/v1/webhooks/{id}/replay", Scope.ADMIN, this::replay)
                .bare("POST", "/v1/webhooks/{id}/deliveries/{messageId}/retry", Scope.ADMIN, this::retry)
                .bare("POST", "/v1/webhooks/{id}/test", Scope.ADMIN, this::test);
    }

    private static String endpointId(ApiRequest request) {
        return request.idParameter("id", WebhookEndpoint.ID_PREFIX, ENDPOINT);
    }

    private ApiResponse list(ApiRequest request) {
        String id = endpointId(request);
        int limit = Page.limit(request);
        for (String p : request.queryParameters().keySet()) {
            if (!List.of("limit", "cursor").contains(p)) {
                throw ApiProblem.parameter(p, "unknown parameter");
            }
        }
        Tenant tenant = request.callerTenant(tenants);
        String query = "webhook-deliveries:" + id;
        Cursor from = Page.from(request, tenant.id(), tenant.secrets(), query, clock.instant());
        try {
            var page = deliveries.list(tenant.id(), id, from, limit);
            List<Object> items = page.items().stream().<Object>map(Delivery::toJson).toList();
            return ApiResponse.ok(Page.body(items, Page.cursor(tenant.id(), tenant.secrets(), query, page.next(),
                    clock.instant())));
        } catch (Deliveries.UnknownEndpoint e) {
            throw ApiProblem.notFound(ENDPOINT);
        }
    }

    private ApiResponse retry(ApiRequest request) {
        String id = endpointId(request);
        String messageId = request.pathParameter("messageId");
        if (!EventIds.isValid(messageId)) {
            throw ApiProblem.notFound("the message");
        }
        // A keyed retry answers its first answer again instead of sending once more.
        return idempotency.execute(request, () -> {
            try {
                return ApiResponse.json(202, deliveries.retry(request.tenant(), id, messageId).toJson());
            } catch (Deliveries.UnknownEndpoint e) {
                throw ApiProblem.notFound(ENDPOINT);
            } catch (Deliveries.UnknownMessage e) {
                throw ApiProblem.notFound("the message");
            }
        });
    }

    private ApiResponse replay(ApiRequest request) {
        String id = endpointId(request);
        JsonObject body = request.jsonObject();
        body.allowOnly("since", "after");
        Instant since = body.requiredInstant("since");
        String after = body.optionalString("after", 1, 64);
        Violations v = body.violations();
        if (after != null && !EventIds.isValid(after)) {
            v.pointer("/after", "must be a message id (evt_…) from an earlier replay's resumeAfter");
        }
        if (since != null && since.isAfter(clock.instant())) {
            v.pointer("/since", "must not be in the future");
        }
        ApiProblem.throwIfAny(v);
        return idempotency.execute(request, () -> {
            try {
                DeliveryRepository.Replay r = deliveries.replay(request.tenant(), id, since, after);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("replayed", r.resent());
                out.put("resumeAfter", r.resumeAfter());
                return ApiResponse.json(202, out);
            } catch (Deliveries.UnknownEndpoint e) {
                throw ApiProblem.notFound(ENDPOINT);
            }
        });
    }

    private ApiResponse test(ApiRequest request) {
        String id = endpointId(request);
        // A keyed test answers its first message again instead of sending a second one.
        return idempotency.execute(request, () -> {
            try {
                return ApiResponse.json(202, deliveries.test(request.tenant(), id).toJson());
            } catch (Deliveries.UnknownEndpoint e) {
                throw ApiProblem.notFound(ENDPOINT);
            }
        });
    }
}
