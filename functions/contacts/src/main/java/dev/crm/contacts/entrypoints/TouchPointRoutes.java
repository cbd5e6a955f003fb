package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.domain.Interaction;
import dev.crm.contacts.domain.InteractionImport;
import dev.crm.contacts.domain.TimelineEntry;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A contact's touch points: recording them, the timeline, and the 360° view of the contact. */
final class TouchPointRoutes {
    static final int RECENT_INTERACTIONS = 10;

    private final ContactService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    TouchPointRoutes(ContactService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    void addTo(ApiRouter router) {
        router.json("POST", "/v1/contacts/{id}/interactions", Scope.WRITE, this::recordInteraction)
                .bare("GET", "/v1/contacts/{id}/timeline", Scope.READ, this::timeline);
    }

    private ApiResponse recordInteraction(ApiRequest request) {
        String id = ContactRoutes.contactId(request);
        Tenant tenant = request.callerTenant(tenants);
        JsonObject body = request.jsonObject();
        Interaction i = Interaction.read(body, clock.instant(), tenant.settings().defaultCurrency());
        if (i != null && i.id() != null && i.id().startsWith(InteractionImport.ID_PREFIX)) {
            // an import's touch point ({jobId}:{line}) is its own guard: no request may take its id
            body.violations().pointer("/id", "must not start with " + InteractionImport.ID_PREFIX + " (reserved for imported touch points)");
        }
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            ContactService.RecordResult r = service.record(t, id, i, tenant.settings().zone(), tenant.settings().defaultCurrency());
            switch (r.outcome()) {
                case CREATED:
                    return ApiResponse.created("/v1/contacts/" + id + "/timeline", r.interaction());
                case REPLAYED:
                    return ApiResponse.ok(r.interaction()).header("Idempotent-Replayed", "true");
                case ID_CONFLICT:
                    throw ApiProblem.of(ProblemType.CONFLICT, "interaction id '" + i.id() + "' is already used for another touch point")
                            .with("errors", List.of(Map.of("pointer", "/id", "detail", "already used with different content")));
                default:
                    throw ApiProblem.notFound("the contact");
            }
        });
    }

    private ApiResponse timeline(ApiRequest request) {
        Contact c = ContactRoutes.existing(service, request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "timeline:" + c.id();
        Cursor from = Page.from(request, request.tenant(), tenant.secrets(), query, clock.instant());
        var slice = service.timeline(request.tenant(), c.id(), limit, from);
        return ApiResponse.ok(Page.body(slice.items().stream().map(TimelineEntry::toJson).toList(),
                Page.cursor(request.tenant(), tenant.secrets(), query, slice.next(), clock.instant())));
    }

    /** GET /v1/contacts/{id}?view=360: the contact with everything known about it. */
    ApiResponse view360(ApiRequest request) {
        String currency = request.callerTenant(tenants).settings().defaultCurrency();
        ContactRepository.View360 v = service.view360(request.tenant(), ContactRoutes.contactId(request),
                RECENT_INTERACTIONS, currency);
        if (v == null) {
            throw ApiProblem.notFound("the contact");
        }
        Map<String, Object> out = v.contact().toJson();
        out.put("preferences", v.preferences() != null ? v.preferences() : emptyPreferences());
        out.put("latestSurveyScores", v.surveyScores() == null ? Map.of() : v.surveyScores());
        out.put("churnScore", v.churnScore());
        Map<String, Object> purchases = v.purchases() == null ? PurchaseSummary.empty(currency).toJson() : v.purchases().toJson();
        purchases.put("complaints", v.complaints());
        out.put("purchaseSummary", purchases);
        out.put("recentInteractions", v.recentInteractions().stream().map(TimelineEntry::toJson).toList());
        out.put("openCases", v.openCases().stream().map(dev.crm.shared.contact.CaseLink::toJson).toList());
        return ApiResponse.ok(out).etag(v.contact().version());
    }

    /** A contact whose preferences were never written has the empty state, version 0 (conventions). */
    static Map<String, Object> emptyPreferences() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", Map.of());
        m.put("frequencyCaps", Map.of());
        m.put("quietHours", null);
        m.put("pausedUntil", null);
        m.put("version", 0);
        return m;
    }
}
