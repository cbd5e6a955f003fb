package dev.crm.preferences.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.preferences.domain.Channel;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.ConsentStatus;
import dev.crm.preferences.domain.ContactDecisionRequest;
import dev.crm.preferences.domain.Decision;
import dev.crm.preferences.domain.FrequencyCap;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.Preferences;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.PreferencesUpdate;
import dev.crm.preferences.domain.Send;
import dev.crm.preferences.domain.Topic;
import dev.crm.preferences.outbound.MessageSenders;
import dev.crm.preferences.store.PreferencesRepository;
import dev.crm.preferences.store.dynamodb.DynamoDbPreferencesRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * API entry point of the preferences function: topics, a contact's preferences and consent history,
 * contact decisions, recorded sends and signed links (authenticated), and the public double opt-in,
 * preference-centre and one-click unsubscribe routes ({@link PublicRoutes}). Parse, call
 * {@link PreferencesService}, map the result.
 */
public final class PreferencesHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");
    static final Set<String> LINK_PARAMETERS = Set.of("channel", "topic");
    /** Public form bodies are a token and a field or two. */
    static final int FORM_MAX_BODY = 4 * 1024;

    private final PreferencesService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final PublicLinks links;
    private final ApiRouter router;

    public PreferencesHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public PreferencesHandler(Infrastructure infra) {
        this(infra, MessageSenders.forSettings(infra.settings()));
    }

    /** With the sender the product's own email goes through (SES, or the local outbox). */
    public PreferencesHandler(Infrastructure infra, MessageSender sender) {
        this.service = new PreferencesService(new DynamoDbPreferencesRepository(infra.table()), infra.clock());
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.idempotency = infra.idempotency();
        this.clock = infra.clock();
        this.links = new PublicLinks(infra.settings());
        PublicRoutes publicRoutes = new PublicRoutes(service, tenants, infra.tenants(), idempotency, links, sender, clock);
        Set<String> forms = Set.of(Forms.URLENCODED, Forms.MULTIPART);
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/topics", Scope.WRITE, this::createTopic)
                .bare("GET", "/v1/topics", Scope.READ, this::listTopics)
                .bare("GET", "/v1/contacts/{id}/preferences", Scope.READ, this::getPreferences)
                .json("PUT", "/v1/contacts/{id}/preferences", Scope.WRITE, this::putPreferences)
                .bare("GET", "/v1/contacts/{id}/consent-history", Scope.READ, this::consentHistory)
                .json("POST", "/v1/contacts/{id}/contact-decisions", Scope.READ, this::decide)
                .json("POST", "/v1/contacts/{id}/sends", Scope.WRITE, this::recordSend)
                .bare("GET", "/v1/contacts/{id}/links", Scope.WRITE, this::links)
                // public: no authorizer; the tenant comes from the slug or the signed token
                .json("POST", "/v1/public/t/{tenantSlug}/subscribe", null, publicRoutes::subscribe)
                .bare("GET", "/v1/public/confirm", null, publicRoutes::confirmationPage)
                .add(new Route("POST", "/v1/public/confirm", null, Set.of(Forms.URLENCODED), FORM_MAX_BODY,
                        publicRoutes::confirm))
                .bare("GET", "/v1/public/preferences", null, publicRoutes::getPreferences)
                .json("PUT", "/v1/public/preferences", null, publicRoutes::putPreferences)
                .add(new Route("POST", "/v1/public/unsubscribe", null, forms, FORM_MAX_BODY, publicRoutes::unsubscribe))
                // Declared so the template routes browsers' preflights here (a JSON POST and a PUT with
                // If-Match are not simple requests); the router answers them with the tenant's origins.
                .add(new Route("OPTIONS", "/v1/public/t/{tenantSlug}/subscribe", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .add(new Route("OPTIONS", "/v1/public/preferences", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .publicOrigins(publicRoutes::allowedOrigins);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    static String contactId(ApiRequest request) {
        return request.idParameter("id", Contact.ID_PREFIX, "the contact");
    }

    private Contact existingContact(ApiRequest request) {
        Contact c = service.repository().findContact(request.tenant(), contactId(request));
        if (c == null) {
            throw ApiProblem.notFound("the contact");
        }
        return c;
    }

    static void onlyParameters(ApiRequest request, Set<String> allowed) {
        Violations v = new Violations();
        for (String p : request.queryParameters().keySet()) {
            if (!allowed.contains(p)) {
                v.parameter(p, "unknown parameter");
            }
        }
        ApiProblem.throwIfAny(v);
    }

    /** The tenant's default caps as the domain's types (the settings hold them by channel wire name). */
    static Map<Channel, FrequencyCap> defaultCaps(TenantSettings settings) {
        Map<Channel, FrequencyCap> caps = new EnumMap<>(Channel.class);
        settings.defaultFrequencyCaps().forEach((channel, cap) ->
                caps.put(Channel.fromWire(channel), new FrequencyCap(cap.max(), cap.periodDays())));
        return caps;
    }

    // ---- topics ----

    private ApiResponse createTopic(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Topic topic = Topic.parse(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            try {
                service.repository().createTopic(t, topic);
                return ApiResponse.json(201, topic.toJson());
            } catch (StoreException.UniqueViolation e) {
                throw ApiProblem.of(ProblemType.DUPLICATE, "a topic with the key '" + topic.key() + "' already exists")
                        .with("errors", List.of(Map.of("pointer", "/key", "detail", "already used by another topic")));
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most " + Topic.MAX_PER_TENANT + " topics");
            } catch (PreferencesRepository.Contention e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "another topic is being created at this moment; retry")
                        .header("Retry-After", "1");
            }
        });
    }

    private ApiResponse listTopics(ApiRequest request) {
        onlyParameters(request, PAGE_PARAMETERS);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "topics";
        Map<String, Object> from = Page.decodePlain(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var slice = service.repository().topics(tenant.id(), limit, from);
        List<Object> items = new ArrayList<>();
        for (Topic topic : slice.items()) {
            items.add(topic.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(tenant.id(), tenant.secrets(), query, slice.next(),
                clock.instant())));
    }

    // ---- preferences ----

    private ApiResponse getPreferences(ApiRequest request) {
        onlyParameters(request, Set.of());
        Preferences p = service.get(request.tenant(), contactId(request));
        if (p == null) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.ok(p.toJson()).etag(p.version());
    }

    private ApiResponse putPreferences(ApiRequest request) {
        long expected = request.requireIfMatch();
        Object body = Json.parse(request.body());
        String keyId = request.caller() == null ? null : request.caller().keyId();
        return replace(service, request.tenant(), contactId(request), expected, body,
                u -> ConsentEvidence.apiKey(keyId, u.legalBasis(), u.source()));
    }

    /** The PUT of the complete state, shared by the authenticated route and the preference centre. */
    static ApiResponse replace(PreferencesService service, TenantId t, String contactId, long expected, Object body,
            Function<PreferencesUpdate, ConsentEvidence> evidence) {
        Violations v = new Violations();
        PreferencesService.Written written;
        try {
            written = service.replace(t, contactId, expected, body, v, evidence);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the preferences have changed; read them again");
        } catch (PreferencesRepository.Contention e) {
            throw ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the preferences are being changed by others; retry")
                    .header("Retry-After", "1");
        }
        if (written == null) {
            throw ApiProblem.validation(v);
        }
        return ApiResponse.ok(written.preferences().toJson()).etag(written.preferences().version());
    }

    private ApiResponse consentHistory(ApiRequest request) {
        onlyParameters(request, PAGE_PARAMETERS);
        Contact c = existingContact(request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "consent-history:" + c.id();
        Map<String, Object> from = Page.decodePlain(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var slice = service.repository().history(tenant.id(), c.id(), limit, from);
        List<Object> items = new ArrayList<>();
        for (LedgerEntry e : slice.items()) {
            items.add(e.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(tenant.id(), tenant.secrets(), query, slice.next(),
                clock.instant())));
    }

    // ---- decisions and sends ----

    private ApiResponse decide(ApiRequest request) {
        Object body = Json.parse(request.body());
        Violations v = new Violations();
        ContactDecisionRequest decisionRequest = ContactDecisionRequest.parse(body, clock.instant(), v);
        ApiProblem.throwIfAny(v);
        Contact contact = existingContact(request);
        Tenant tenant = request.callerTenant(tenants);
        Decision d = service.decide(tenant.id(), contact, decisionRequest, tenant.settings().zone(),
                defaultCaps(tenant.settings()), contact.data().email() == null ? null
                        : AddressSuppression.ofEmail(tenant.secrets(), contact.data().email()));
        return ApiResponse.ok(d.toJson());
    }

    private ApiResponse recordSend(ApiRequest request) {
        String id = contactId(request);
        JsonObject body = request.jsonObject();
        Send send = Send.parse(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            var recorded = service.recordSend(t, id, send);
            switch (recorded.outcome()) {
                case CREATED:
                    return ApiResponse.json(201, recorded.send().toJson());
                case REPLAYED:
                    return ApiResponse.ok(recorded.send().toJson()).header("Idempotent-Replayed", "true");
                case ID_CONFLICT:
                    throw ApiProblem.of(ProblemType.CONFLICT, "send id '" + send.id() + "' is already used for another send")
                            .with("errors", List.of(Map.of("pointer", "/id", "detail", "already used with another channel or topic")));
                default:
                    throw ApiProblem.notFound("the contact");
            }
        });
    }

    // ---- signed links ----

    private ApiResponse links(ApiRequest request) {
        onlyParameters(request, LINK_PARAMETERS);
        Violations v = new Violations();
        String channelWire = request.query("channel");
        Channel channel = channelWire == null ? Channel.EMAIL : Channel.fromWire(channelWire);
        if (channel == null) {
            v.parameter("channel", "must be one of " + Channel.wireNames());
        }
        String topic = request.query("topic");
        if (topic != null && !Preferences.isTopicKey(topic)) {
            v.parameter("topic", "not a topic key");
        }
        ApiProblem.throwIfAny(v);
        Contact contact = existingContact(request);
        Tenant tenant = request.callerTenant(tenants);
        Preferences p = service.repository().find(tenant.id(), contact.id());
        if (topic != null && p.topicStatus(channel, topic) == null
                && !service.repository().topicKeys(tenant.id()).contains(topic)) {
            throw ApiProblem.parameter("topic", "not one of the tenant's topics");
        }
        var now = clock.instant();
        String base = links.base(request);
        Map<String, Object> unsubscribeUrls = new LinkedHashMap<>();
        for (var e : p.channel(channel).topics().entrySet()) {
            if (e.getValue() == ConsentStatus.OPTED_IN) {
                unsubscribeUrls.put(e.getKey(), links.unsubscribe(base,
                        PreferenceTokens.unsubscribeTopic(tenant, contact.id(), channel, e.getKey(), now)));
            }
        }
        String unsubscribeAll = links.unsubscribe(base, PreferenceTokens.unsubscribeAll(tenant, contact.id(), channel, now));
        String headerTarget = topic == null ? unsubscribeAll
                : unsubscribeUrls.containsKey(topic) ? (String) unsubscribeUrls.get(topic)
                : links.unsubscribe(base, PreferenceTokens.unsubscribeTopic(tenant, contact.id(), channel, topic, now));
        Map<String, Object> headers = new LinkedHashMap<>();
        // RFC 8058: an HTTPS URI the mail client POSTs "List-Unsubscribe=One-Click" to, without a page.
        headers.put("List-Unsubscribe", "<" + headerTarget + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", channel.wire());
        out.put("preferenceCentreUrl", links.preferenceCentre(base, PreferenceTokens.preferences(tenant, contact.id(), now)));
        out.put("unsubscribeAllUrl", unsubscribeAll);
        out.put("unsubscribeUrls", unsubscribeUrls);
        out.put("headers", headers);
        return ApiResponse.ok(out).header("Cache-Control", "no-store");
    }
}
