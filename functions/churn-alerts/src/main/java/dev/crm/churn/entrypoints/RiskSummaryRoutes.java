package dev.crm.churn.entrypoints;

import dev.crm.churn.domain.RiskSummaries;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.tenant.Scope;

/** {@code /v1/churn-scores/summary}: the dashboard's risk summary of the latest run. */
final class RiskSummaryRoutes {
    private final RiskSummaries summaries;

    RiskSummaryRoutes(RiskSummaries summaries) {
        this.summaries = summaries;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.bare("GET", "/v1/churn-scores/summary", Scope.READ, this::summary);
    }

    private ApiResponse summary(ApiRequest request) {
        return ApiResponse.ok(summaries.latest(request.tenant()));
    }
}
