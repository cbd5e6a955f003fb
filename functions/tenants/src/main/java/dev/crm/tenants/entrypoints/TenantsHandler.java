package dev.crm.tenants.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.tenants.domain.TenantService;

/**
 * API entry point of the tenants function (the Lambda handler template.yaml names): one router over
 * the routes of each resource, which parse, call {@link TenantService} and map the result.
 */
public final class TenantsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public TenantsHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public TenantsHandler(Infrastructure infra) {
        TenantService service = new TenantService(infra.tenants(), infra.jobs(), infra.clock());
        ApiRouter r = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        new ProvisioningRoutes(service, infra.idempotency()).register(r);
        new TenantRoutes(service).register(r);
        new KeyRoutes(service, infra.idempotency(), infra.clock()).register(r);
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
}
