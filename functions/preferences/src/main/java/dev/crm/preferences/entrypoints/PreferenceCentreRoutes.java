package dev.crm.preferences.entrypoints;

import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.Topic;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v1/public/preferences}: the preference centre a signed link opens (read, and PUT the whole state). */
final class PreferenceCentreRoutes {
    private final PreferencesService service;
    private final PublicTokens tokens;
    private final TenantCache tenants;

    PreferenceCentreRoutes(PreferencesService service, PublicTokens tokens, TenantCache tenants) {
        this.service = service;
        this.tokens = tokens;
        this.tenants = tenants;
    }

    ApiResponse get(ApiRequest request) {
        RouteParameters.onlyParameters(request, Set.of("token"));
        Token token = tokens.verify(request, request.query("token"), TokenPurpose.PREFERENCES);
        var centre = service.preferenceCentre(token.tenantId(), token.subject());
        if (centre == null) {
            throw ApiProblem.notFound("the contact");
        }
        List<Object> topics = centre.topics().stream().<Object>map(Topic::toJson).toList();
        // The zone quiet hours are judged in (the contact's, else the company's), so the page can say so.
        var tenantZone = tenants.get(token.tenantId()).settings().zone();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preferences", centre.preferences().toJson());
        out.put("topics", topics);
        out.put("timeZone", centre.contact().zone(tenantZone).getId());
        return ApiResponse.ok(out).etag(centre.preferences().version()).header("Cache-Control", "no-store");
    }

    /**
     * The same body as the authenticated PUT. The contact is the actor and can only give or withdraw
     * consent from here: {@code legalBasis} may be omitted or {@code consent}, {@code source} omitted or
     * {@code preference_centre}.
     */
    ApiResponse put(ApiRequest request) {
        RouteParameters.onlyParameters(request, Set.of("token"));
        Token token = tokens.verify(request, request.query("token"), TokenPurpose.PREFERENCES);
        long expected = request.requireIfMatch();
        Object body = Json.parse(request.body());
        if (body instanceof Map<?, ?> m) {
            Violations v = new Violations();
            Object basis = m.get("legalBasis");
            if (basis != null && !LegalBasis.CONSENT.wire().equals(basis)) {
                v.pointer("/legalBasis", "a contact's own choice is recorded as consent; omit it or send consent");
            }
            Object source = m.get("source");
            if (source != null && !ConsentEvidence.SOURCE_PREFERENCE_CENTRE.equals(source)) {
                v.pointer("/source", "omit it or send " + ConsentEvidence.SOURCE_PREFERENCE_CENTRE);
            }
            ApiProblem.throwIfAny(v);
            @SuppressWarnings("unchecked")
            Map<String, Object> withDefaults = new LinkedHashMap<>((Map<String, Object>) m);
            withDefaults.put("legalBasis", LegalBasis.CONSENT.wire());
            withDefaults.put("source", ConsentEvidence.SOURCE_PREFERENCE_CENTRE);
            body = withDefaults;
        }
        Tenant tenant = tenants.get(token.tenantId());
        String wording = tenant.settings().consentWordingVersion();
        String ip = request.sourceIp();
        String userAgent = request.userAgent();
        return PreferenceRoutes.replace(service, token.tenantId(), token.subject(), expected, body,
                u -> ConsentEvidence.contact(ConsentEvidence.SOURCE_PREFERENCE_CENTRE, wording, ip, userAgent))
                .header("Cache-Control", "no-store");
    }
}
