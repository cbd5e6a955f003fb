package dev.crm.contacts.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.ContactPrivacy;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.config.ContactsComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.RoutedHandler;

/**
 * API entry point of the contacts function (template.yaml, ContactsFunction): composes the
 * services over their DynamoDB adapters and one routing class per resource behind one router.
 */
public final class ContactsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ApiRouter router;

    public ContactsHandler() {
        this(Infrastructure.lambda());
        Priming.register(ContactsComponents::buildSchemas); // its stores build their schemas on first use
        router().primeOnCheckpoint();
    }

    public ContactsHandler(Infrastructure infra) {
        var components = new ContactsComponents(infra);
        var service = components.service();
        var imports = components.imports(null);
        var privacy = components.privacy();
        var tenants = components.tenants();
        var idempotency = infra.idempotency();
        var touchPoints = new TouchPointRoutes(service, tenants, idempotency, infra.clock());
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"));
        new ContactRoutes(service, tenants, idempotency, infra.clock(), touchPoints::view360).addTo(router);
        touchPoints.addTo(router);
        new PrivacyRoutes(service, privacy, idempotency).addTo(router);
        new ImportRoutes(imports, idempotency).addTo(router);
        new InteractionImportRoutes(components.interactionImports(null), idempotency).addTo(router);
        new SegmentRoutes(service, tenants, idempotency, infra.clock()).addTo(router);
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
