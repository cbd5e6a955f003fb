package dev.crm.journeys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;

/** API entry point of the journeys function (template.yaml, JourneysFunction). */
public final class JourneysHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public JourneysHandler() {
        this(Infrastructure.lambda());
        Priming.register(JourneysComponents::buildSchemas); // its stores build their schemas on first use
        router().primeOnCheckpoint();
    }

    public JourneysHandler(Infrastructure infra) {
        this(new JourneysComponents(infra));
    }

    public JourneysHandler(JourneysComponents components) {
        Infrastructure infra = components.infrastructure();
        this.router = new JourneyRoutes(components.journeys(), infra.idempotency(), components.tenants(), infra.clock())
                .addTo(new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS")));
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
