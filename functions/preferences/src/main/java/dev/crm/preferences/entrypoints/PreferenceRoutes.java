package dev.crm.preferences.entrypoints;

import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.preferences.domain.PreferencesUpdate;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** {@code /v1/contacts/{id}/preferences} and {@code …/consent-history}: a contact's state and its ledger. */
final class PreferenceRoutes {
    private final PreferencesService service;
    private final TenantCache tenants;
    private final Clock clock;

    PreferenceRoutes(PreferencesService service, TenantCache tenants, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.clock = clock;
    }

    ApiResponse get(ApiRequest request) {
        RouteParameters.onlyParameters(request, Set.of());
        Preferences p = service.get(request.tenant(), RouteParameters.contactId(request));
        if (p == null) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.ok(p.toJson()).etag(p.version());
    }

    ApiResponse put(ApiRequest request) {
        long expected = request.requireIfMatch();
        Object body = Json.parse(request.body());
        String keyId = request.caller() == null ? null : request.caller().keyId();
        return replace(service, request.tenant(), RouteParameters.contactId(request), expected, body,
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
        } catch (StoreException.Contention e) {
            throw ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the preferences are being changed by others; retry")
                    .header("Retry-After", "1");
        }
        if (written == null) {
            throw ApiProblem.validation(v);
        }
        return ApiResponse.ok(written.preferences().toJson()).etag(written.preferences().version());
    }

    ApiResponse history(ApiRequest request) {
        RouteParameters.onlyParameters(request, RouteParameters.PAGE);
        String contactId = RouteParameters.contactId(request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "consent-history:" + contactId;
        var from = Page.from(request, tenant.id(), tenant.secrets(), query, clock.instant());
        Slice<LedgerEntry> slice;
        try {
            slice = service.history(tenant.id(), contactId, limit, from);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        }
        List<Object> items = slice.items().stream().<Object>map(LedgerEntry::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(tenant.id(), tenant.secrets(), query, slice.next(),
                clock.instant())));
    }
}
