package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.CaseWorkflow;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.store.StoreException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private static final Set<String> PATCH_FIELDS = Set.of("status", "priority", "category", "assignee", "subject",
            "description", "orderRef");
    /** Shown by a GET; sent back unchanged they are ignored, changed they are a 400. */
    private static final Set<String> READ_ONLY = Set.of("id", "number", "contactId", "channel", "solvedAt", "createdAt",
            "updatedAt", "version");
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
                .bare("GET", "/v1/cases/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/cases/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch));
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

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        SupportCase current = existing(request);
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the case has changed (version " + current.version()
                    + "); read it again");
        }
        Set<String> allowed = new LinkedHashSet<>(PATCH_FIELDS);
        allowed.addAll(READ_ONLY);
        patch.allowOnly(allowed);
        Map<String, Object> shown = current.toJson();
        for (String f : READ_ONLY) {
            patch.readOnly(f, shown.get(f));
        }
        SupportCase.Status status = patch.has("status") ? patch.requiredEnum("status", SupportCase.Status.class) : null;
        SupportCase.Priority priority = patch.has("priority") ? patch.requiredEnum("priority", SupportCase.Priority.class)
                : null;
        String category = patch.has("category") ? patch.requiredString("category", 1, 40) : null;
        String subject = patch.has("subject") ? patch.requiredLine("subject", 1, MAX_SUBJECT) : null;
        String assignee = patch.optionalLine("assignee", 1, MAX_NAME);
        String description = patch.optionalString("description", 0, MAX_DESCRIPTION);
        String orderRef = patch.optionalLine("orderRef", 1, MAX_NAME);
        if (category != null && !category.equals(current.category())) {
            String problem = service.categoryProblem(request.tenant(), category);
            if (problem != null) {
                patch.violations().pointer("/category", problem);
            }
        }
        ApiProblem.throwIfAny(patch.violations());
        try {
            SupportCase updated = service.change(current, new Cases.Change(status, priority, category, subject,
                    patch.has("assignee"), assignee, patch.has("description"), description, patch.has("orderRef"),
                    orderRef));
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (CaseWorkflow.InvalidTransition e) {
            throw invalidTransition(e);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the case has changed; read it again");
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the case");
        }
    }

    static ApiProblem invalidTransition(CaseWorkflow.InvalidTransition e) {
        List<String> targets = CaseWorkflow.allowed(e.from()).stream().map(SupportCase::wire).toList();
        String from = SupportCase.wire(e.from());
        String to = SupportCase.wire(e.to());
        return ApiProblem.of(ProblemType.INVALID_TRANSITION, "a case cannot move from " + from + " to " + to + "; from "
                + from + " it may move to " + (targets.isEmpty() ? "nothing (" + from + " is final)" : String.join(", ", targets)))
                .with("from", from).with("to", to).with("allowed", targets);
    }

    private ApiResponse get(ApiRequest request) {
        SupportCase c = existing(request);
        return ApiResponse.ok(c.toJson()).etag(c.version());
    }
}
