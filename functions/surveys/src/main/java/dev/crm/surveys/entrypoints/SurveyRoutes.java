package dev.crm.surveys.entrypoints;

import static dev.crm.surveys.entrypoints.SurveyRequests.existing;
import static dev.crm.surveys.entrypoints.SurveyRequests.onlyParameters;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The survey definitions: {@code /v1/surveys} and {@code /v1/surveys/{id}}. */
final class SurveyRoutes {
    static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");

    private final SurveyService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    SurveyRoutes(SurveyService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/surveys", Scope.WRITE, this::create)
                .bare("GET", "/v1/surveys", Scope.READ, this::list)
                .bare("GET", "/v1/surveys/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/surveys/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch));
    }

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Tenant tenant = request.callerTenant(tenants);
        TenantId t = tenant.id();
        Survey survey = Survey.create(body, Survey.newId(), t, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        return idempotency.execute(request, attempt -> {
            // With an Idempotency-Key the id derives from it: a re-run after a lost completion answers
            // with the survey the first run created.
            Survey stored = service.create(new StoredSurvey(survey.withId(attempt.newId(Survey.ID_PREFIX)),
                    tenant.settings().zone())).survey();
            return ApiResponse.created("/v1/surveys/" + stored.id(), stored.toJson()).etag(stored.version());
        });
    }

    private ApiResponse get(ApiRequest request) {
        Survey s = existing(service, request).survey();
        return ApiResponse.ok(s.toJson()).etag(s.version());
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        StoredSurvey current = existing(service, request);
        if (current.survey().version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the survey has changed (version "
                    + current.survey().version() + "); read it again");
        }
        Survey merged = current.survey().merge(patch, clock.instant());
        ApiProblem.throwIfAny(patch.violations());
        try {
            service.replace(current, merged);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the survey has changed; read it again");
        }
        return ApiResponse.ok(merged.toJson()).etag(merged.version());
    }

    private ApiResponse list(ApiRequest request) {
        onlyParameters(request, LIST_PARAMETERS);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        String query = "surveys";
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<StoredSurvey> slice = service.list(t, limit, from);
        List<Object> items = new ArrayList<>();
        for (StoredSurvey s : slice.items()) {
            items.add(s.survey().toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), query, slice.next(), clock.instant())));
    }
}
