package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.CaseWorkflow;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.shared.http.Page;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
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
    static final int MAX_MESSAGE = 10_000;
    static final String MESSAGE_PREFIX = "msg_";
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
    private final TenantCache tenants;
    private final Clock clock;
    private static final String UNKNOWN_AGENT = "must name an active agent of this tenant";

    CaseRoutes(Cases service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/cases", Scope.WRITE, this::create)
                .bare("GET", "/v1/cases", Scope.READ, this::list)
                .bare("GET", "/v1/cases/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/cases/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch))
                .json("POST", "/v1/cases/{id}/messages", Scope.WRITE, this::addMessage)
                .bare("GET", "/v1/cases/{id}/history", Scope.READ, this::history);
    }

    private ApiResponse addMessage(ApiRequest request) {
        String id = request.idParameter("id", SupportCase.ID_PREFIX, "the case");
        JsonObject body = request.jsonObject();
        body.allowOnly("author", "visibility", "body");
        Cases.Author author = body.requiredEnum("author", Cases.Author.class);
        Cases.Visibility visibility = body.requiredEnum("visibility", Cases.Visibility.class);
        String text = body.requiredString("body", 1, MAX_MESSAGE);
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        return idempotency.execute(request, attempt -> {
            String messageId = attempt.newId(MESSAGE_PREFIX);
            SupportCase c = service.addMessage(tenant, id, messageId, new Cases.NewMessage(author, visibility, text))
                    .orElseThrow(() -> ApiProblem.notFound("the case"));
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("id", messageId);
            out.put("caseId", c.id());
            out.put("author", SupportCase.wire(author));
            out.put("visibility", SupportCase.wire(visibility));
            out.put("body", text);
            out.put("at", c.updatedAt().toString());
            out.put("case", service.shown(c));
            return ApiResponse.created("/v1/cases/" + c.id() + "/history", out);
        });
    }

    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "status", "assignee", "category",
            "priority", "contactId", "breached", "sort");

    private ApiResponse list(ApiRequest request) {
        Violations v = new Violations();
        request.queryParameters().keySet().stream().filter(p -> !LIST_PARAMETERS.contains(p))
                .forEach(p -> v.parameter(p, "unknown parameter"));
        SupportCase.Status status = enumParameter(request, "status", SupportCase.Status.class, v);
        SupportCase.Priority priority = enumParameter(request, "priority", SupportCase.Priority.class, v);
        String assignee = textParameter(request, "assignee", MAX_NAME, v);
        String category = textParameter(request, "category", 40, v);
        String contactId = textParameter(request, "contactId", 64, v);
        String breached = request.query("breached");
        if (breached != null && !breached.equals("true") && !breached.equals("false")) {
            v.parameter("breached", "must be true or false");
        }
        String sort = request.query("sort");
        if (sort != null && !sort.equals("dueAt")) {
            v.parameter("sort", "must be dueAt (without it: newest first)");
        }
        ApiProblem.throwIfAny(v);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        // the cursor is bound to the filters: a cursor of one query is refused by another
        String query = "cases:" + request.queryParameters().entrySet().stream()
                .filter(e -> !Set.of("limit", "cursor").contains(e.getKey())).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining("&"));
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<SupportCase> page = service.list(t, new CaseRepository.Filter(status, assignee, category, priority, contactId,
                "true".equals(breached), sort == null ? CaseRepository.Sort.NUMBER : CaseRepository.Sort.DUE_AT), from, limit);
        List<Object> items = List.copyOf(service.shown(t, page.items()));
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), query, page.next(), clock.instant())));
    }

    private static <E extends Enum<E>> E enumParameter(ApiRequest request, String name, Class<E> type, Violations v) {
        String value = request.query(name);
        if (value == null) {
            return null;
        }
        E e = JsonObject.enumValue(type, value);
        if (e == null) {
            v.parameter(name, "must be one of " + JsonObject.wireNames(type));
        }
        return e;
    }

    private static String textParameter(ApiRequest request, String name, int max, Violations v) {
        String value = request.query(name);
        if (value != null && (value.isEmpty() || value.length() > max)) {
            v.parameter(name, "must be 1 to " + max + " characters");
            return null;
        }
        return value;
    }

    private ApiResponse history(ApiRequest request) {
        Violations unknown = new Violations();
        request.queryParameters().keySet().stream().filter(p -> !Set.of("limit", "cursor").contains(p))
                .forEach(p -> unknown.parameter(p, "unknown parameter"));
        ApiProblem.throwIfAny(unknown);
        SupportCase c = existing(request);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        String query = "case-history:" + c.id();
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<HistoryEntry> page = service.history(t, c.id(), from, limit);
        List<Object> items = page.items().stream().<Object>map(HistoryEntry::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), query, page.next(), clock.instant())));
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
        if (assignee != null && !isAgentId(assignee)) {
            body.violations().pointer("/assignee", UNKNOWN_AGENT);
        }
        ApiProblem.throwIfAny(body.violations());
        var cmd = new Cases.NewCase(contactId, channel, category, priority, subject, description, assignee, orderRef);
        return idempotency.execute(request, attempt -> {
            try {
                SupportCase c = service.create(tenant, attempt.newId(SupportCase.ID_PREFIX), cmd);
                return ApiResponse.created("/v1/cases/" + c.id(), service.shown(c)).etag(c.version());
            } catch (CaseRepository.ContactNotActive e) {
                // Another tenant's contact is answered exactly like an unknown one: the check cannot reach it.
                throw ApiProblem.validation("/contactId", UNKNOWN_CONTACT);
            } catch (CaseRepository.AssigneeNotActive e) {
                // the create's own condition refused it: likewise another tenant's agent is an unknown one
                throw ApiProblem.validation("/assignee", UNKNOWN_AGENT);
            }
        });
    }

    /**
     * Whether {@code assignee} has the form of an agent id; nothing else can be one. Whether it names an
     * active agent of the tenant is a condition of the case's write (CaseRepository), not a read here: a
     * read before the write would let an agent deactivated in between get the case.
     */
    private static boolean isAgentId(String assignee) {
        return dev.crm.shared.tenant.Ids.isValid(dev.crm.cases.domain.Agent.ID_PREFIX, assignee);
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
        if (assignee != null && !assignee.equals(current.assignee()) && !isAgentId(assignee)) {
            patch.violations().pointer("/assignee", UNKNOWN_AGENT);
        }
        ApiProblem.throwIfAny(patch.violations());
        try {
            SupportCase updated = service.change(current, new Cases.Change(status, priority, category, subject,
                    patch.has("assignee"), assignee, patch.has("description"), description, patch.has("orderRef"),
                    orderRef));
            return ApiResponse.ok(service.shown(updated)).etag(updated.version());
        } catch (CaseWorkflow.InvalidTransition e) {
            throw invalidTransition(e);
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the case has changed; read it again");
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the case");
        } catch (CaseRepository.AssigneeNotActive e) {
            throw ApiProblem.validation("/assignee", UNKNOWN_AGENT);
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
        return ApiResponse.ok(service.shown(c)).etag(c.version());
    }
}
