package dev.crm.churn.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.churn.domain.ChurnAlerts;
import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnRuns;
import dev.crm.churn.domain.RiskSummaries;
import dev.crm.churn.config.ChurnComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.TenantCache;
import java.util.Map;

/**
 * API of the churn-alerts function, one Lambda for its resources: runs ({@link ChurnRunRoutes}),
 * alerts ({@link ChurnAlertRoutes}) and the risk summary for the dashboard ({@link RiskSummaryRoutes}); the
 * analytics (value, retention cohorts, targets, scorecard: {@link AnalyticsRoutes}) read what the run scored.
 */
public final class ChurnAlertsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public ChurnAlertsHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public ChurnAlertsHandler(Infrastructure infra) {
        var components = new ChurnComponents(infra);
        TenantCache tenants = new TenantCache(infra.tenants(), infra.clock());
        ApiRouter r = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        new ChurnRunRoutes(components.runs(), tenants, infra.idempotency(), infra.clock()).addTo(r);
        new ChurnAlertRoutes(components.alerts(), tenants, infra.clock()).addTo(r);
        new RiskSummaryRoutes(components.riskSummaries()).addTo(r);
        new AnalyticsRoutes(components.analytics(), tenants).addTo(r);
        this.router = r;
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    /** An optional JSON body: absent is an empty object. */
    static JsonObject optionalBody(ApiRequest request) {
        if (request.body() == null || request.body().isBlank()) {
            return JsonObject.of(Map.of(), "", new Violations());
        }
        return request.jsonObject();
    }
}
