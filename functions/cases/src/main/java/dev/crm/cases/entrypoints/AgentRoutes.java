package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.Agent;
import dev.crm.cases.domain.AgentRepository;
import dev.crm.cases.domain.Agents;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents: {@code /v1/agents} and {@code /v1/agents/{id}}. Writes need the write scope, reads the
 * read scope, as for cases and contacts (docs/api.md, "Agents"). The email is never logged.
 */
final class AgentRoutes {
    static final int MAX_NAME = 200;
    static final int MAX_TEAMS = 20;
    static final int MAX_TEAM = 40;
    private static final Set<String> FIELDS = Set.of("name", "email", "teams", "active");
    /** Shown by a GET; sent back unchanged they are ignored, changed they are a 400. */
    private static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt", "version");
    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "active", "team");

    private final Agents service;
    private final IdempotentRequests idempotency;
    private final TenantCache tenants;
    private final Clock clock;

    AgentRoutes(Agents service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .json("POST", "/v1/agents", Scope.WRITE, this::create)
                .bare("GET", "/v1/agents", Scope.READ, this::list)
                .bare("GET", "/v1/agents/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/agents/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", ApiResponse.JSON), Route.DEFAULT_MAX_BODY, this::patch));
    }

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        body.allowOnly(FIELDS);
        String name = body.requiredLine("name", 1, MAX_NAME);
        String email = email(body, true);
        List<String> teams = teams(body);
        Boolean active = body.optionalBoolean("active");
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        var cmd = new Agents.NewAgent(name, email, teams == null ? List.of() : teams, active == null || active);
        return idempotency.execute(request, attempt -> {
            Agent a = service.create(tenant, attempt.newId(Agent.ID_PREFIX), cmd);
            return ApiResponse.created("/v1/agents/" + a.id(), a.toJson()).etag(a.version());
        });
    }

    private static String email(JsonObject body, boolean required) {
        String email = required ? body.requiredLine("email", 3, 254) : body.has("email") ? body.requiredLine("email", 3, 254) : null;
        if (email != null && !EmailAddress.isValid(email)) {
            // the address itself is not repeated in the answer (personal data stays out of logs and problems)
            body.violations().pointer("/email", "must be an email address");
            return null;
        }
        return email == null ? null : email.trim();
    }

    /** A set of team names (each one line, 1 to 40 characters); null when absent. */
    private static List<String> teams(JsonObject body) {
        return body.optionalStringSet("teams", MAX_TEAMS, MAX_TEAM);
    }

    private Agent existing(ApiRequest request) {
        String id = request.idParameter("id", Agent.ID_PREFIX, "the agent");
        return service.find(request.tenant(), id).orElseThrow(() -> ApiProblem.notFound("the agent"));
    }

    private ApiResponse get(ApiRequest request) {
        Agent a = existing(request);
        return ApiResponse.ok(a.toJson()).etag(a.version());
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        Agent current = existing(request);
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the agent has changed (version " + current.version()
                    + "); read it again");
        }
        Set<String> allowed = new LinkedHashSet<>(FIELDS);
        allowed.addAll(READ_ONLY);
        patch.allowOnly(allowed);
        Map<String, Object> shown = current.toJson();
        for (String f : READ_ONLY) {
            patch.readOnly(f, shown.get(f));
        }
        String name = patch.has("name") ? patch.requiredLine("name", 1, MAX_NAME) : null;
        String email = email(patch, false);
        List<String> teams = null;
        if (patch.has("teams")) {
            // null empties the teams (merge patch: null removes; an agent always shows a list)
            teams = patch.isNull("teams") ? List.of() : teams(patch);
        }
        Boolean active = null;
        if (patch.has("active")) {
            active = patch.optionalBoolean("active");
            if (patch.isNull("active")) {
                patch.violations().pointer("/active", "must be true or false");
            }
        }
        ApiProblem.throwIfAny(patch.violations());
        try {
            Agent updated = service.change(current, new Agents.Change(name, email, teams, active));
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the agent has changed; read it again");
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the agent");
        }
    }

    private ApiResponse list(ApiRequest request) {
        Violations v = new Violations();
        request.queryParameters().keySet().stream().filter(p -> !LIST_PARAMETERS.contains(p))
                .forEach(p -> v.parameter(p, "unknown parameter"));
        Boolean active = null;
        String a = request.query("active");
        if (a != null) {
            if (a.equals("true") || a.equals("false")) {
                active = Boolean.valueOf(a);
            } else {
                v.parameter("active", "must be true or false");
            }
        }
        String team = request.query("team");
        if (team != null && (team.isEmpty() || team.length() > MAX_TEAM)) {
            v.parameter("team", "must be 1 to " + MAX_TEAM + " characters");
        }
        ApiProblem.throwIfAny(v);
        int limit = Page.limit(request);
        TenantId t = request.tenant();
        Tenant tenant = request.callerTenant(tenants);
        // the cursor is bound to the filters: a cursor of one query is refused by another
        String query = "agents:" + request.queryParameters().entrySet().stream()
                .filter(e -> !Set.of("limit", "cursor").contains(e.getKey())).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining("&"));
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<Agent> page = service.list(t, new AgentRepository.Filter(active, team), from, limit);
        List<Object> items = page.items().stream().<Object>map(Agent::toJson).toList();
        return ApiResponse.ok(Page.body(items, Page.cursor(t, tenant.secrets(), query, page.next(), clock.instant())));
    }
}
