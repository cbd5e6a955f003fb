package dev.crm.churn.entrypoints;

import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnRun;
import dev.crm.churn.store.ChurnStore;
import dev.crm.churn.store.dynamodb.DynamoDbChurnStore;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API of the churn-alerts function: runs, alerts and the risk summary for the dashboard. */
public final class ChurnAlertsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    private final ChurnStore store;
    private final JobRepository jobs;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final ApiRouter router;

    public ChurnAlertsHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public ChurnAlertsHandler(Infrastructure infra) {
        this.store = new DynamoDbChurnStore(infra.table());
        this.jobs = infra.jobs();
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.idempotency = infra.idempotency();
        this.clock = infra.clock();
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/churn-runs", Scope.WRITE, this::startRun)
                .bare("GET", "/v1/churn-runs/{id}", Scope.READ, this::getRun)
                .bare("GET", "/v1/churn-alerts", Scope.READ, this::listAlerts)
                .json("POST", "/v1/churn-alerts/{id}/acknowledge", Scope.WRITE, this::acknowledge)
                .json("POST", "/v1/churn-alerts/{id}/resolve", Scope.WRITE, this::resolve)
                .bare("GET", "/v1/churn-scores/summary", Scope.READ, this::summary);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    /** An optional JSON body: absent is an empty object. */
    private static JsonObject optionalBody(ApiRequest request) {
        if (request.body() == null || request.body().isBlank()) {
            return JsonObject.of(Map.of(), "", new dev.crm.shared.json.Violations());
        }
        return request.jsonObject();
    }

    private ApiResponse startRun(ApiRequest request) {
        JsonObject body = optionalBody(request);
        body.allowOnly("asOf");
        String asOfRaw = body.optionalLine("asOf", 10, 10);
        Tenant tenant = request.callerTenant(tenants);
        LocalDate asOf = null;
        if (asOfRaw != null) {
            try {
                asOf = LocalDate.parse(asOfRaw);
                if (asOf.isAfter(LocalDate.now(clock.withZone(tenant.settings().zone())))) {
                    body.violations().pointer("/asOf", "must not be in the future");
                }
            } catch (DateTimeParseException e) {
                body.violations().pointer("/asOf", "must be a date YYYY-MM-DD");
            }
        }
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("trigger", "api");
        if (asOf != null) {
            input.put("asOf", asOf.toString());
        }
        return idempotency.execute(request, () -> {
            String id = Ids.random("run_", 20);
            Job run = jobs.create(NewJob.forTenant(JobRef.of(t, id), ChurnRun.KIND, input, 0));
            return ApiResponse.accepted("/v1/churn-runs/" + id, run.toJson());
        });
    }

    private ApiResponse getRun(ApiRequest request) {
        String id = request.pathParameter("id");
        Job job = Ids.isValid("run_", id) ? jobs.find(JobRef.of(request.tenant(), id)) : null;
        if (job == null || !ChurnRun.KIND.equals(job.kind())) {
            throw ApiProblem.notFound("the churn run");
        }
        return ApiResponse.ok(job.toJson());
    }

    private ApiResponse listAlerts(ApiRequest request) {
        int limit = Page.limit(request);
        String statusRaw = request.query("status");
        ChurnAlert.Status status = statusRaw == null ? ChurnAlert.Status.OPEN : JsonObject.enumValue(ChurnAlert.Status.class, statusRaw);
        if (status == null) {
            throw ApiProblem.parameter("status", "must be one of open, acknowledged, resolved");
        }
        for (String p : request.queryParameters().keySet()) {
            if (!List.of("status", "limit", "cursor").contains(p)) {
                throw ApiProblem.parameter(p, "unknown parameter");
            }
        }
        Tenant tenant = request.callerTenant(tenants);
        String query = "alerts:" + status.wire();
        var from = Page.decodePlain(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var page = store.alerts(tenant.id(), status, limit, from);
        List<Object> items = new ArrayList<>();
        for (ChurnAlert a : page.items()) {
            items.add(a.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(tenant.id(), tenant.secrets(), query, page.next(), clock.instant())));
    }

    private ChurnAlert existing(ApiRequest request) {
        String[] parts = ChurnAlert.parse(request.pathParameter("id"));
        ChurnAlert a = parts == null ? null : store.alert(request.tenant(), parts[0], parts[1]);
        if (a == null) {
            throw ApiProblem.notFound("the alert");
        }
        return a;
    }

    private ApiResponse acknowledge(ApiRequest request) {
        JsonObject body = optionalBody(request);
        body.allowOnly();
        ApiProblem.throwIfAny(body.violations());
        ChurnAlert a = existing(request);
        ChurnAlert done = store.transition(request.tenant(), a, ChurnAlert.Status.OPEN, ChurnAlert.Status.ACKNOWLEDGED,
                "key:" + request.caller().keyId(), clock.instant(), null);
        if (done == null) {
            if (a.status() == ChurnAlert.Status.ACKNOWLEDGED) {
                return ApiResponse.ok(a.toJson());
            }
            throw ApiProblem.of(ProblemType.CONFLICT, "the alert is " + a.status().wire() + "; only open alerts can be acknowledged");
        }
        return ApiResponse.ok(done.toJson());
    }

    private ApiResponse resolve(ApiRequest request) {
        JsonObject body = optionalBody(request);
        body.allowOnly("resolution");
        String resolution = body.optionalLine("resolution", 1, 20);
        if (resolution != null && !List.of("retained", "lost", "not_actionable").contains(resolution)) {
            body.violations().pointer("/resolution", "must be one of retained, lost, not_actionable");
        }
        ApiProblem.throwIfAny(body.violations());
        ChurnAlert a = existing(request);
        String by = "key:" + request.caller().keyId();
        ChurnAlert done = a.status() == ChurnAlert.Status.RESOLVED ? null
                : store.transition(request.tenant(), a, a.status(), ChurnAlert.Status.RESOLVED, by, clock.instant(),
                        resolution == null ? "not_actionable" : resolution);
        if (done == null) {
            if (a.status() == ChurnAlert.Status.RESOLVED) {
                return ApiResponse.ok(a.toJson());
            }
            throw ApiProblem.of(ProblemType.CONFLICT, "the alert changed meanwhile; read it again");
        }
        return ApiResponse.ok(done.toJson());
    }

    @SuppressWarnings("unchecked")
    private ApiResponse summary(ApiRequest request) {
        TenantId t = request.tenant();
        String runId = store.latestRun(t);
        Map<String, Object> out = new LinkedHashMap<>();
        if (runId == null) {
            out.put("runId", null);
            out.put("riskTiers", Map.of("low", 0, "medium", 0, "high", 0));
            out.put("topAtRisk", List.of());
            return ApiResponse.ok(out);
        }
        Job run = jobs.find(JobRef.of(t, runId));
        Map<String, Object> result = run == null ? Map.of() : run.result();
        out.put("runId", runId);
        out.put("asOf", result.get("asOf"));
        out.put("scoredAt", run == null ? null : run.updatedAt());
        out.put("scored", result.get("scored"));
        out.put("riskTiers", result.get("riskTiers"));
        List<Map<String, Object>> top = (List<Map<String, Object>>) result.getOrDefault("topAtRisk", List.of());
        Map<String, Map<String, Object>> cards = store.contactCards(t, top.stream().map(m -> (String) m.get("contactId")).toList());
        List<Object> items = new ArrayList<>();
        for (Map<String, Object> m : top) {
            Map<String, Object> card = cards.get((String) m.get("contactId"));
            if (card == null) {
                continue; // erased or anonymised since the run
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("contactId", m.get("contactId"));
            e.put("contact", card);
            e.put("valueAtRisk", Map.of("amount", m.get("valueAtRisk"), "currency", m.get("currency")));
            e.put("pAlive", m.get("pAlive"));
            e.put("riskTier", m.get("riskTier"));
            items.add(e);
        }
        out.put("topAtRisk", items);
        return ApiResponse.ok(out);
    }
}
