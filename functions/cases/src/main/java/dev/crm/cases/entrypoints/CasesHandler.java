package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.config.CasesComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.tenant.TenantCache;

/**
 * API entry point of the cases function (template.yaml, CasesFunction): one router over the case
 * routes, which parse, call the domain and map the result.
 */
public final class CasesHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public CasesHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public CasesHandler(Infrastructure infra) {
        this(new CasesComponents(infra));
    }

    public CasesHandler(CasesComponents components) {
        this(components, components.messageSender());
    }

    /** With the sender the product's own email goes through (SES, or the local outbox). */
    public CasesHandler(CasesComponents components, MessageSender sender) {
        Infrastructure infra = components.infrastructure();
        ApiRouter r = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        TenantCache tenants = new TenantCache(infra.tenants(), infra.clock());
        var agents = components.agents();
        r = new AgentRoutes(agents, tenants, infra.idempotency(), infra.clock()).addTo(r);
        r = new CaseRoutes(components.cases(), tenants, infra.idempotency(), infra.clock()).addTo(r);
        // service measures, forecast and history import: their own routing classes
        r = new ServiceMeasureRoutes(components.measures(), components.forecast(), infra.clock()).addTo(r);
        r = new CaseImportRoutes(components.imports(), infra.idempotency()).addTo(r);
        this.router = new PublicCaseRoutes(components.publicCases(), new PublicCaseAccess(tenants, infra.tenants(),
                infra.settings(), infra.clock()), infra.idempotency(), sender, infra.clock()).addTo(r);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }
}
