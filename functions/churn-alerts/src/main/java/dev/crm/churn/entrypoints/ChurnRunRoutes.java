package dev.crm.churn.entrypoints;

import dev.crm.churn.domain.ChurnRuns;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

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
                .bare("GET", "/v1/churn-runs/{id}", Scope.READ, this::get);
    }

    private ApiResponse start(ApiRequest request) {
        JsonObject body = ChurnAlertsHandler.optionalBody(request);
        body.allowOnly("asOf");
        String asOfRaw = body.optionalLine("asOf", 10, 10);
        Tenant tenant = request.callerTenant(tenants);
        LocalDate asOf = null;
        if (asOfRaw != null) {
            try {
                asOf = LocalDate.parse(asOfRaw);
                if (asOf.isAfter(LocalDate.now(clock.withZone(tenant.settings().zone())))) {
                    body.violations().pointer("/asOf", "must not be in the future");
                }
            } catch (DateTimeParseException e) {
                body.violations().pointer("/asOf", "must be a date YYYY-MM-DD");
            }
        }
        ApiProblem.throwIfAny(body.violations());
        LocalDate day = asOf;
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the queued run.
            Job run = runs.start(request.tenant(), day, attempt.newId(ChurnRuns.ID_PREFIX));
            return ApiResponse.accepted("/v1/churn-runs/" + run.id(), run.toJson());
        });
    }

    private ApiResponse get(ApiRequest request) {
        Job job = runs.find(request.tenant(), request.pathParameter("id"));
        if (job == null) {
            throw ApiProblem.notFound("the churn run");
        }
        return ApiResponse.ok(job.toJson());
    }
}
