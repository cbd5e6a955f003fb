package dev.crm.preferences.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.config.PreferencesComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantCache;
import java.util.Set;

/**
 * API entry point of the preferences function: topics ({@link TopicRoutes}), a contact's preferences and
 * consent history ({@link PreferenceRoutes}), contact decisions and recorded sends ({@link DecisionRoutes}),
 * signed links ({@link LinkRoutes}) (authenticated), and the public double opt-in ({@link SubscribeRoutes}),
 * preference centre ({@link PreferenceCentreRoutes}) and one-click unsubscribe ({@link UnsubscribeRoutes}).
 * Each routing class parses, calls {@link PreferencesService}, and maps the result.
 */
public final class PreferencesHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    /** Public form bodies are a token and a field or two. */
    static final int FORM_MAX_BODY = 4 * 1024;

    private final ApiRouter router;

    public PreferencesHandler() {
        this(Infrastructure.lambda());
        Priming.register(PreferencesComponents::buildSchemas); // its stores build their schemas on first use
        router().primeOnCheckpoint();
    }

    public PreferencesHandler(Infrastructure infra) {
        this(infra, PreferencesComponents.messageSender(infra));
    }

    /** With the sender the product's own email goes through (SES, or the local outbox). */
    public PreferencesHandler(Infrastructure infra, MessageSender sender) {
        var clock = infra.clock();
        var service = PreferencesComponents.service(infra);
        var tenants = new TenantCache(infra.tenants(), clock);
        var idempotency = infra.idempotency();
        var links = new PublicLinks(infra.settings());
        var topics = new TopicRoutes(service, tenants, idempotency, clock);
        var preferences = new PreferenceRoutes(service, tenants, clock);
        var decisions = new DecisionRoutes(service, tenants, idempotency, clock);
        var signedLinks = new LinkRoutes(service, tenants, links, clock);
        var publicTenants = new PublicTenants(tenants, infra.tenants(), clock);
        var tokens = new PublicTokens(tenants, clock);
        var subscriptions = new SubscribeRoutes(service, publicTenants, tokens, tenants, idempotency, links, sender, clock);
        var centre = new PreferenceCentreRoutes(service, tokens, tenants);
        var unsubscribe = new UnsubscribeRoutes(service, tokens);
        Set<String> forms = Set.of(Forms.URLENCODED, Forms.MULTIPART);
        var imports = new ConsentImportRoutes(PreferencesComponents.imports(infra), idempotency);
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/topics", Scope.WRITE, topics::create)
                .bare("GET", "/v1/topics", Scope.READ, topics::list)
                .bare("GET", "/v1/contacts/{id}/preferences", Scope.READ, preferences::get)
                .json("PUT", "/v1/contacts/{id}/preferences", Scope.WRITE, preferences::put)
                .bare("GET", "/v1/contacts/{id}/consent-history", Scope.READ, preferences::history)
                .json("POST", "/v1/contacts/{id}/contact-decisions", Scope.READ, decisions::decide)
                .json("POST", "/v1/contacts/{id}/sends", Scope.WRITE, decisions::recordSend)
                .bare("GET", "/v1/contacts/{id}/links", Scope.WRITE, signedLinks::links)
                // public: no authorizer; the tenant comes from the slug or the signed token
                .json("POST", "/v1/public/t/{tenantSlug}/subscribe", null, subscriptions::subscribe)
                .bare("GET", "/v1/public/confirm", null, subscriptions::confirmationPage)
                .add(new Route("POST", "/v1/public/confirm", null, Set.of(Forms.URLENCODED), FORM_MAX_BODY,
                        subscriptions::confirm))
                .bare("GET", "/v1/public/preferences", null, centre::get)
                .json("PUT", "/v1/public/preferences", null, centre::put)
                .add(new Route("POST", "/v1/public/unsubscribe", null, forms, FORM_MAX_BODY, unsubscribe::unsubscribe))
                // Declared so the template routes browsers' preflights here (a JSON POST and a PUT with
                // If-Match are not simple requests); the router answers them with the tenant's origins.
                .add(new Route("OPTIONS", "/v1/public/t/{tenantSlug}/subscribe", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .add(new Route("OPTIONS", "/v1/public/preferences", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .publicOrigins(publicTenants::allowedOrigins);
        imports.addTo(router);
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
