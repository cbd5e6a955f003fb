package dev.crm.webhooks.entrypoints;

import dev.crm.shared.events.EventTypes;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.UrlPolicy;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.domain.WebhookEndpoints;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The webhook endpoints: {@code /v1/webhooks}, {@code /v1/webhooks/{id}} and
 * {@code /v1/webhooks/{id}/rotate-secret}. Every route needs the admin scope: an endpoint holds a
 * signing secret, like a key. Secrets appear only in the answers of create and rotate-secret.
 */
final class EndpointRoutes {
    static final int MAX_DESCRIPTION = 500;
    private static final String LIST_QUERY = "webhooks";
    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");
    private static final Set<String> CLIENT_FIELDS = Set.of("url", "eventTypes", "description", "enabled");
    /** Shown by a GET; sent back unchanged they are ignored, changed they are a 400. */
    private static final Set<String> READ_ONLY = Set.of("id", "version", "createdAt", "updatedAt", "disabledReason",
            "disabledAt", "failingSince");

    private final WebhookEndpoints service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    EndpointRoutes(WebhookEndpoints service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/webhooks", Scope.ADMIN, this::create)
                .bare("GET", "/v1/webhooks", Scope.ADMIN, this::list)
                .bare("GET", "/v1/webhooks/{id}", Scope.ADMIN, this::get)
                .add(new Route("PATCH", "/v1/webhooks/{id}", Scope.ADMIN,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch))
                .bare("DELETE", "/v1/webhooks/{id}", Scope.ADMIN, this::delete)
                .bare("POST", "/v1/webhooks/{id}/rotate-secret", Scope.ADMIN, this::rotate);
    }

    // ---- create ----

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        body.allowOnly(Set.of("url", "eventTypes", "description"));
        String url = body.requiredString("url", 1, UrlPolicy.MAX_URL_LENGTH);
        List<String> types = eventTypes(body, true);
        String description = body.optionalString("description", 0, MAX_DESCRIPTION);
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        var cmd = new WebhookEndpoints.NewEndpoint(url, types, description);
        return idempotency.execute(request, attempt -> {
            try {
                // The answer (with the secret) is sealed into the idempotency record in the endpoint's own transaction.
                return created(service.create(tenant, cmd, c -> attempt.completion(created(c))));
            } catch (WebhookEndpoints.UrlRefused e) {
                throw refused(e);
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most " + EndpointRepository.MAX_PER_TENANT
                        + " webhook endpoints; delete one first");
            }
        });
    }

    private static ApiResponse created(WebhookEndpoints.WithSecret c) {
        Map<String, Object> out = new LinkedHashMap<>(c.endpoint().toJson());
        out.put("secret", c.secret().value());
        return ApiResponse.created("/v1/webhooks/" + c.endpoint().id(), out).etag(c.endpoint().version());
    }

    /** The catalogue types, or exactly {@code ["*"]}; unknown types are reported by position. */
    private static List<String> eventTypes(JsonObject body, boolean required) {
        if (!body.has("eventTypes") || body.isNull("eventTypes")) {
            if (required || body.isNull("eventTypes")) {
                body.violations().pointer(body.pointer("eventTypes"), "required: catalogue event types, or [\"*\"]");
            }
            return null;
        }
        List<Object> list = body.optionalArray("eventTypes", 100);
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            body.violations().pointer(body.pointer("eventTypes"), "must name at least one event type, or [\"*\"]");
            return null;
        }
        Set<String> subscribable = EventTypes.subscribable();
        Set<String> out = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            String pointer = body.pointer("eventTypes") + "/" + i;
            if (WebhookEndpoint.ALL_TYPES.equals(o)) {
                if (list.size() != 1) {
                    body.violations().pointer(pointer, "\"*\" stands alone: [\"*\"] subscribes to every type");
                    ok = false;
                }
                out.add(WebhookEndpoint.ALL_TYPES);
            } else if (o instanceof String s && subscribable.contains(s)) {
                out.add(s);
            } else {
                body.violations().pointer(pointer, "not a subscribable event type (see docs/events.md)");
                ok = false;
            }
        }
        return ok ? List.copyOf(out) : null;
    }

    private static ApiProblem refused(WebhookEndpoints.UrlRefused e) {
        return ApiProblem.of(ProblemType.WEBHOOK_URL_REFUSED, e.getMessage())
                .with("errors", List.of(Map.of("pointer", "/url", "detail", e.getMessage())));
    }

    // ---- read ----

    private static String endpointId(ApiRequest request) {
        return request.idParameter("id", WebhookEndpoint.ID_PREFIX, "the webhook endpoint");
    }

    /** Another tenant's endpoint is not found, exactly like a missing one: the store cannot reach it. */
    private WebhookEndpoint existing(ApiRequest request) {
        return service.find(request.tenant(), endpointId(request))
                .orElseThrow(() -> ApiProblem.notFound("the webhook endpoint"));
    }

    private ApiResponse get(ApiRequest request) {
        WebhookEndpoint e = existing(request);
        return ApiResponse.ok(e.toJson()).etag(e.version());
    }

    private ApiResponse list(ApiRequest request) {
        Violations unknown = new Violations();
        request.queryParameters().keySet().stream().filter(p -> !LIST_PARAMETERS.contains(p))
                .forEach(p -> unknown.parameter(p, "unknown parameter"));
        ApiProblem.throwIfAny(unknown);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        Cursor from = Page.from(request, t, tenant.secrets(), LIST_QUERY, clock.instant());
        Slice<WebhookEndpoint> page = service.list(t, from, limit);
        List<Object> items = page.items().stream().<Object>map(WebhookEndpoint::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), LIST_QUERY, page.next(), clock.instant())));
    }

    // ---- change ----

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        WebhookEndpoint current = existing(request);
        if (current.version() != expected) {
            throw stale(current.version());
        }
        Set<String> allowed = new LinkedHashSet<>(CLIENT_FIELDS);
        allowed.addAll(READ_ONLY);
        patch.allowOnly(allowed);
        patch.readOnly("id", current.id());
        patch.readOnly("version", current.version());
        patch.readOnly("createdAt", current.createdAt());
        patch.readOnly("updatedAt", current.updatedAt());
        patch.readOnly("disabledReason", current.disabledReason());
        patch.readOnly("disabledAt", current.disabledAt());
        patch.readOnly("failingSince", current.failingSince());
        String url = patch.has("url") ? patch.requiredString("url", 1, UrlPolicy.MAX_URL_LENGTH) : null;
        List<String> types = patch.has("eventTypes") ? eventTypes(patch, true) : null;
        boolean changesDescription = patch.has("description");
        String description = patch.optionalString("description", 0, MAX_DESCRIPTION);
        Boolean enabled = null;
        if (patch.has("enabled")) {
            enabled = patch.optionalBoolean("enabled");
            if (patch.isNull("enabled")) {
                patch.violations().pointer(patch.pointer("enabled"), "must be true or false");
            }
        }
        ApiProblem.throwIfAny(patch.violations());
        WebhookEndpoint updated;
        try {
            updated = service.change(current, new WebhookEndpoints.Change(url, types, changesDescription, description, enabled));
        } catch (WebhookEndpoints.UrlRefused e) {
            throw refused(e);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the webhook endpoint has changed; read it again");
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the webhook endpoint");
        }
        return ApiResponse.ok(updated.toJson()).etag(updated.version());
    }

    private static ApiProblem stale(long version) {
        return ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the webhook endpoint has changed (version " + version
                + "); read it again");
    }

    /** If-Match is optional here: with it, only that version is deleted (412 otherwise). */
    private ApiResponse delete(ApiRequest request) {
        String id = endpointId(request);
        Long expected = request.header("If-Match") == null ? null : request.requireIfMatch();
        boolean deleted;
        try {
            deleted = service.delete(request.tenant(), id, expected);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the webhook endpoint has changed; read it again");
        }
        if (!deleted) {
            throw ApiProblem.notFound("the webhook endpoint");
        }
        return ApiResponse.noContent();
    }

    // ---- rotate ----

    private ApiResponse rotate(ApiRequest request) {
        String id = endpointId(request);
        TenantId tenant = request.tenant();
        return idempotency.execute(request, attempt -> {
            try {
                // As at creation: the new secret's answer is sealed into the record in the rotation's own transaction.
                return rotated(service.rotate(tenant, id, r -> attempt.completion(rotated(r))));
            } catch (StoreException.NotFound e) {
                throw ApiProblem.notFound("the webhook endpoint");
            }
        });
    }

    private static ApiResponse rotated(WebhookEndpoints.Rotated r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", r.secret().value());
        out.put("previousSecretRetiresAt", Times.format(r.previousSecretRetiresAt()));
        return ApiResponse.ok(out);
    }
}
