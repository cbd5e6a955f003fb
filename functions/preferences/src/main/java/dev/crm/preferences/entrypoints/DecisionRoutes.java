package dev.crm.preferences.entrypoints;

import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ContactDecisionRequest;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.Send;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code /v1/contacts/{id}/contact-decisions} and {@code …/sends}: may we message the contact, and what was sent. */
final class DecisionRoutes {
    private final PreferencesService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    DecisionRoutes(PreferencesService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** The tenant's default caps as the domain's types (the settings hold them by channel wire name). */
    static Map<Channel, FrequencyCap> defaultCaps(TenantSettings settings) {
        return FrequencyCap.tenantDefaults(settings);
    }

    ApiResponse decide(ApiRequest request) {
        Object body = Json.parse(request.body());
        Violations v = new Violations();
        ContactDecisionRequest decisionRequest = ContactDecisionRequest.parse(body, clock.instant(), v);
        ApiProblem.throwIfAny(v);
        String contactId = RouteParameters.contactId(request);
        Tenant tenant = request.callerTenant(tenants);
        Decision d;
        try {
            d = service.decide(tenant.id(), contactId, decisionRequest, tenant.settings().zone(),
                    defaultCaps(tenant.settings()), tenant.secrets());
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.ok(d.toJson());
    }

    ApiResponse recordSend(ApiRequest request) {
        String id = RouteParameters.contactId(request);
        JsonObject body = request.jsonObject();
        Send send = Send.parse(body, clock.instant());
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            RecordedSend recorded;
            try {
                recorded = service.recordSend(t, id, send);
            } catch (StoreException.Contention e) {
                throw ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the send is being recorded by others; retry")
                        .header("Retry-After", "1");
            }
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
}
