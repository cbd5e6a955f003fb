package dev.crm.churn.entrypoints;

import dev.crm.churn.domain.ChurnRuns;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/churn-runs}: starting a run (or a backtest) and reading it. */
final class ChurnRunRoutes {
    private final ChurnRuns runs;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    ChurnRunRoutes(ChurnRuns runs, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.runs = runs;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/churn-runs", Scope.WRITE, this::start)
                .bare("GET", "/v1/churn-runs/{id}", Scope.READ, this::get)
                .bare("GET", "/v1/churn-runs/{id}/predictions", Scope.READ, this::predictions);
    }

    private ApiResponse start(ApiRequest request) {
        JsonObject body = ChurnAlertsHandler.optionalBody(request);
        body.allowOnly("asOf", "evaluateUntil");
        String asOfRaw = body.optionalLine("asOf", 10, 10);
        String untilRaw = body.optionalLine("evaluateUntil", 10, 10);
        Tenant tenant = request.callerTenant(tenants);
        LocalDate today = LocalDate.now(clock.withZone(tenant.settings().zone()));
        LocalDate asOf = day(body, "asOf", asOfRaw, today);
        LocalDate until = day(body, "evaluateUntil", untilRaw, today);
        if (untilRaw != null && asOfRaw == null) {
            body.violations().pointer("/evaluateUntil", "needs asOf (a backtest's day)");
        } else if (asOf != null && until != null && !until.isAfter(asOf)) {
            body.violations().pointer("/evaluateUntil", "must be after asOf");
        }
        ApiProblem.throwIfAny(body.violations());
        LocalDate day = asOf;
        LocalDate evaluateUntil = until;
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the queued run.
            Job run = runs.start(request.tenant(), day, evaluateUntil, attempt.newId(ChurnRuns.ID_PREFIX));
            return ApiResponse.accepted("/v1/churn-runs/" + run.id(), run.toJson());
        });
    }

    /** A day of the body: a date, not after today; null when absent or invalid (recorded). */
    private static LocalDate day(JsonObject body, String field, String raw, LocalDate today) {
        if (raw == null) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(raw);
            if (day.isAfter(today)) {
                body.violations().pointer("/" + field, "must not be in the future");
            }
            return day;
        } catch (DateTimeParseException e) {
            body.violations().pointer("/" + field, "must be a date YYYY-MM-DD");
            return null;
        }
    }

    private ApiResponse predictions(ApiRequest request) {
        int limit = Page.limit(request);
        for (String p : request.queryParameters().keySet()) {
            if (!List.of("limit", "cursor").contains(p)) {
                throw ApiProblem.parameter(p, "unknown parameter");
            }
        }
        String id = request.pathParameter("id");
        Tenant tenant = request.callerTenant(tenants);
        if (runs.find(tenant.id(), id) == null) {
            throw ApiProblem.notFound("the churn run");
        }
        String query = "predictions:" + id;
        Cursor from = Page.from(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var page = runs.predictions(tenant.id(), id, from, limit);
        return ApiResponse.ok(Page.body(new ArrayList<>(page.items()),
                Page.cursor(tenant.id(), tenant.secrets(), query, page.next(), clock.instant())));
    }

    private ApiResponse get(ApiRequest request) {
        Job job = runs.find(request.tenant(), request.pathParameter("id"));
        if (job == null) {
            throw ApiProblem.notFound("the churn run");
        }
        return ApiResponse.ok(job.toJson());
    }
}
