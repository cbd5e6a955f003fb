package dev.crm.journeys.entrypoints;

import dev.crm.journeys.domain.Enrolment;
import dev.crm.journeys.domain.Journey;
import dev.crm.journeys.domain.JourneyDefinition;
import dev.crm.journeys.domain.Journeys;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.http.Page;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/journeys} and {@code /v1/journeys/{id}} with its status moves, figures and enrolments.
 * Writes need the write scope, reads the read scope (docs/api.md, "Journeys").
 */
final class JourneyRoutes {
    private static final Set<String> READ_ONLY = Set.of("id", "status", "definitionVersion", "createdAt", "updatedAt", "version");

    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "status");

    private final Journeys service;
    private final IdempotentRequests idempotency;
    private final TenantCache tenants;
    private final Clock clock;

    JourneyRoutes(Journeys service, IdempotentRequests idempotency, TenantCache tenants, Clock clock) {
        this.service = service;
        this.idempotency = idempotency;
        this.tenants = tenants;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/journeys", Scope.WRITE, this::create)
                .bare("GET", "/v1/journeys", Scope.READ, this::list)
                .bare("GET", "/v1/journeys/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/journeys/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch))
                .bare("POST", "/v1/journeys/{id}/activate", Scope.WRITE, r -> move(r, Journey.Status.ACTIVE))
                .bare("POST", "/v1/journeys/{id}/pause", Scope.WRITE, r -> move(r, Journey.Status.PAUSED))
                .bare("POST", "/v1/journeys/{id}/archive", Scope.WRITE, r -> move(r, Journey.Status.ARCHIVED))
                .bare("GET", "/v1/journeys/{id}/stats", Scope.READ, this::stats)
                .bare("GET", "/v1/journeys/{id}/enrollments", Scope.READ, this::enrolments);
    }

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Set<String> allowed = new HashSet<>(JourneyDefinition.FIELDS);
        allowed.add("name");
        body.allowOnly(allowed);
        String name = body.requiredLine("name", 1, Journey.MAX_NAME);
        TenantId t = request.tenant();
        JourneyDefinition definition = JourneyDefinition.parse(body, service.topics(t));
        ApiProblem.throwIfAny(body.violations());
        return idempotency.execute(request, attempt -> {
            String id = attempt.newId(Journey.ID_PREFIX);
            Journey j;
            try {
                j = service.create(t, id, name, definition);
            } catch (StoreException.UniqueViolation e) {
                j = service.find(t, id).orElseThrow(() -> e); // a re-run of the same keyed request
            }
            return ApiResponse.created("/v1/journeys/" + j.id(), j.toJson()).etag(j.version());
        });
    }

    /** {@code GET /v1/journeys?status=&limit=&cursor=}: newest first; the cursor is bound to the status filter. */
    private ApiResponse list(ApiRequest request) {
        Violations v = new Violations();
        request.queryParameters().keySet().stream().filter(p -> !LIST_PARAMETERS.contains(p))
                .forEach(p -> v.parameter(p, "unknown parameter (limit, cursor, status)"));
        String statusText = request.query("status");
        Journey.Status status = statusText == null ? null : JsonObject.enumValue(Journey.Status.class, statusText);
        if (statusText != null && status == null) {
            v.parameter("status", "must be one of " + JsonObject.wireNames(Journey.Status.class));
        }
        ApiProblem.throwIfAny(v);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        String query = "journeys:status=" + (status == null ? "" : status.wire());
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<Journey> page = service.list(t, status, limit, from);
        List<Object> items = page.items().stream().<Object>map(Journey::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), query, page.next(), clock.instant())));
    }

    private Journey existing(ApiRequest request) {
        String id = request.idParameter("id", Journey.ID_PREFIX, "the journey");
        return service.find(request.tenant(), id).orElseThrow(() -> ApiProblem.notFound("the journey"));
    }

    private ApiResponse get(ApiRequest request) {
        Journey j = existing(request);
        return ApiResponse.ok(j.toJson()).etag(j.version());
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        Journey current = existing(request);
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the journey has changed (version " + current.version()
                    + "); read it again");
        }
        if (current.status() == Journey.Status.ARCHIVED) {
            throw ApiProblem.of(ProblemType.CONFLICT, "an archived journey does not change");
        }
        Set<String> allowed = new HashSet<>(JourneyDefinition.FIELDS);
        allowed.add("name");
        allowed.addAll(READ_ONLY);
        patch.allowOnly(allowed);
        Map<String, Object> shown = current.toJson();
        for (String f : READ_ONLY) {
            patch.readOnly(f, shown.get(f));
        }
        String name = patch.has("name") ? patch.requiredLine("name", 1, Journey.MAX_NAME) : null;
        JourneyDefinition definition = null;
        boolean changesDefinition = patch.fields().stream().anyMatch(JourneyDefinition.FIELDS::contains);
        if (changesDefinition) {
            // merge-patch over the current definition, then validated whole, like a create
            Map<String, Object> merged = new LinkedHashMap<>(current.definition().json());
            for (String f : JourneyDefinition.FIELDS) {
                if (patch.has(f)) {
                    if (patch.isNull(f)) {
                        merged.remove(f);
                    } else {
                        merged.put(f, patch.raw().get(f));
                    }
                }
            }
            definition = JourneyDefinition.parse(JsonObject.of(merged, "", patch.violations()),
                    service.topics(request.tenant()));
        }
        ApiProblem.throwIfAny(patch.violations());
        try {
            Journey next = service.change(request.tenant(), current, expected, name, definition);
            return ApiResponse.ok(next.toJson()).etag(next.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the journey has changed; read it again");
        }
    }

    private ApiResponse move(ApiRequest request, Journey.Status to) {
        Journey current = existing(request);
        if (!Journeys.canMove(current.status(), to)) {
            throw ApiProblem.of(ProblemType.CONFLICT, "a " + current.status().wire() + " journey cannot become " + to.wire());
        }
        try {
            Journey next = service.move(request.tenant(), current, to);
            return ApiResponse.ok(next.toJson()).etag(next.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.CONFLICT, "the journey changed meanwhile; retry").header("Retry-After", "1");
        }
    }

    private ApiResponse stats(ApiRequest request) {
        Journey j = existing(request);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journeyId", j.id());
        out.putAll(service.stats(request.tenant(), j.id()));
        return ApiResponse.ok(out);
    }

    private ApiResponse enrolments(ApiRequest request) {
        Journey j = existing(request);
        for (String p : request.queryParameters().keySet()) {
            if (!p.equals("contactId")) {
                throw ApiProblem.parameter(p, "unknown parameter (only contactId)");
            }
        }
        String contactId = request.query("contactId");
        if (contactId == null || !contactId.matches("c_[A-Za-z0-9_-]{1,64}")) {
            throw ApiProblem.parameter("contactId", "required: the contact's id (c_…)");
        }
        List<Enrolment> items = service.enrolments(request.tenant(), j.id(), contactId);
        return ApiResponse.ok(Map.of("items", items.stream().map(Enrolment::toJson).toList()));
    }
}
