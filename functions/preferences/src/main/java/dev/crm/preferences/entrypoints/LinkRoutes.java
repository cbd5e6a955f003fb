package dev.crm.preferences.entrypoints;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /v1/contacts/{id}/links}: the signed preference-centre and unsubscribe links to put in a message. */
final class LinkRoutes {
    static final Set<String> PARAMETERS = Set.of("channel", "topic");

    private final PreferencesService service;
    private final TenantCache tenants;
    private final PublicLinks links;
    private final Clock clock;

    LinkRoutes(PreferencesService service, TenantCache tenants, PublicLinks links, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.links = links;
        this.clock = clock;
    }

    ApiResponse links(ApiRequest request) {
        RouteParameters.onlyParameters(request, PARAMETERS);
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
        String contactId = RouteParameters.contactId(request);
        Tenant tenant = request.callerTenant(tenants);
        PreferencesService.LinkSubject subject;
        try {
            subject = service.linkSubject(tenant.id(), contactId, channel, topic);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        }
        if (!subject.topicKnown()) {
            throw ApiProblem.parameter("topic", "not one of the tenant's topics");
        }
        var now = clock.instant();
        String base = links.base(request);
        Map<String, Object> unsubscribeUrls = new LinkedHashMap<>();
        for (var e : subject.preferences().channel(channel).topics().entrySet()) {
            if (e.getValue() == ConsentStatus.OPTED_IN) {
                unsubscribeUrls.put(e.getKey(), links.unsubscribe(base,
                        PreferenceTokens.unsubscribeTopic(tenant, contactId, channel, e.getKey(), now)));
            }
        }
        String unsubscribeAll = links.unsubscribe(base, PreferenceTokens.unsubscribeAll(tenant, contactId, channel, now));
        String headerTarget = topic == null ? unsubscribeAll
                : unsubscribeUrls.containsKey(topic) ? (String) unsubscribeUrls.get(topic)
                : links.unsubscribe(base, PreferenceTokens.unsubscribeTopic(tenant, contactId, channel, topic, now));
        Map<String, Object> headers = new LinkedHashMap<>(dev.crm.shared.consent.MarketingLinks.listUnsubscribeHeaders(headerTarget));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", channel.wire());
        out.put("preferenceCentreUrl", links.preferenceCentre(base, PreferenceTokens.preferences(tenant, contactId, now)));
        out.put("unsubscribeAllUrl", unsubscribeAll);
        out.put("unsubscribeUrls", unsubscribeUrls);
        out.put("headers", headers);
        return ApiResponse.ok(out).header("Cache-Control", "no-store");
    }
}
