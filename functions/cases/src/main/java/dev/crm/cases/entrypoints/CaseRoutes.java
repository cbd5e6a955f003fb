package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.Set;

/** The cases: {@code /v1/cases} and {@code /v1/cases/{id}}. Writes need the write scope, reads the read scope. */
final class CaseRoutes {
    static final int MAX_SUBJECT = 200;
    static final int MAX_DESCRIPTION = 10_000;
    static final int MAX_NAME = 200;
    private static final Set<String> CREATE_FIELDS = Set.of("contactId", "channel", "category", "priority", "subject",
            "description", "assignee", "orderRef");
    private static final String UNKNOWN_CONTACT = "must name an active contact of this tenant";

    private final Cases service;
    private final IdempotentRequests idempotency;

    CaseRoutes(Cases service, IdempotentRequests idempotency) {
        this.service = service;
        this.idempotency = idempotency;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/cases", Scope.WRITE, this::create)
                .bare("GET", "/v1/cases/{id}", Scope.READ, this::get);
    }

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        body.allowOnly(CREATE_FIELDS);
        String contactId = body.requiredString("contactId", 1, 64);
        SupportCase.Channel channel = body.requiredEnum("channel", SupportCase.Channel.class);
        String category = body.requiredString("category", 1, 40);
        SupportCase.Priority priority = body.requiredEnum("priority", SupportCase.Priority.class);
        String subject = body.requiredLine("subject", 1, MAX_SUBJECT);
        String description = body.optionalString("description", 0, MAX_DESCRIPTION);
        String assignee = body.optionalLine("assignee", 1, MAX_NAME);
        String orderRef = body.optionalLine("orderRef", 1, MAX_NAME);
        TenantId tenant = request.tenant();
        if (category != null) {
            String problem = service.categoryProblem(tenant, category);
            if (problem != null) {
                body.violations().pointer("/category", problem);
            }
        }
        ApiProblem.throwIfAny(body.violations());
        var cmd = new Cases.NewCase(contactId, channel, category, priority, subject, description, assignee, orderRef);
        return idempotency.execute(request, attempt -> {
            try {
                SupportCase c = service.create(tenant, attempt.newId(SupportCase.ID_PREFIX), cmd);
                return ApiResponse.created("/v1/cases/" + c.id(), c.toJson()).etag(c.version());
            } catch (CaseRepository.ContactNotActive e) {
                // Another tenant's contact is answered exactly like an unknown one: the check cannot reach it.
                throw ApiProblem.validation("/contactId", UNKNOWN_CONTACT);
            }
        });
    }

    /** Another tenant's case is not found, exactly like a missing one: the store cannot reach it. */
    private SupportCase existing(ApiRequest request) {
        String id = request.idParameter("id", SupportCase.ID_PREFIX, "the case");
        return service.find(request.tenant(), id).orElseThrow(() -> ApiProblem.notFound("the case"));
    }

    private ApiResponse get(ApiRequest request) {
        SupportCase c = existing(request);
        return ApiResponse.ok(c.toJson()).etag(c.version());
    }
}
