package dev.crm.webhooks.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.webhooks.config.WebhooksComponents;

/**
 * API entry point of the webhooks function (template.yaml, WebhooksFunction): one router over the
 * routes of each resource (the endpoints; their deliveries), each of which parses, calls the domain
 * and maps the result. Every route needs the admin scope.
 */
public final class WebhooksHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public WebhooksHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public WebhooksHandler(Infrastructure infra) {
        this(new WebhooksComponents(infra));
    }

    /** For tests that replace name resolution (a resolver that leads names to refused addresses). */
    public WebhooksHandler(WebhooksComponents components) {
        Infrastructure infra = components.infrastructure();
        TenantCache tenants = new TenantCache(infra.tenants(), infra.clock());
        ApiRouter r = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        r = new EndpointRoutes(components.endpoints(), tenants, infra.idempotency(), infra.clock()).addTo(r);
        r = new DeliveryRoutes(components.deliveries(), tenants, infra.idempotency(), infra.clock()).addTo(r);
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
