package dev.crm.churn.entrypoints;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnAlerts;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/churn-alerts}: the alerts by status, acknowledging and resolving one. */
final class ChurnAlertRoutes {
    private final ChurnAlerts alerts;
    private final TenantCache tenants;
    private final Clock clock;

    ChurnAlertRoutes(ChurnAlerts alerts, TenantCache tenants, Clock clock) {
        this.alerts = alerts;
        this.tenants = tenants;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router
                .bare("GET", "/v1/churn-alerts", Scope.READ, this::list)
                .json("POST", "/v1/churn-alerts/{id}/acknowledge", Scope.WRITE, this::acknowledge)
                .json("POST", "/v1/churn-alerts/{id}/resolve", Scope.WRITE, this::resolve);
    }

    private ApiResponse list(ApiRequest request) {
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
        Cursor from = Page.from(request, tenant.id(), tenant.secrets(), query, clock.instant());
        var page = alerts.list(tenant.id(), status, limit, from);
        List<Object> items = new ArrayList<>();
        for (ChurnAlert a : page.items()) {
            items.add(a.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.cursor(tenant.id(), tenant.secrets(), query, page.next(), clock.instant())));
    }

    private ApiResponse acknowledge(ApiRequest request) {
        JsonObject body = ChurnAlertsHandler.optionalBody(request);
        body.allowOnly();
        ApiProblem.throwIfAny(body.violations());
        try {
            return ApiResponse.ok(alerts.acknowledge(request.tenant(), request.pathParameter("id"), by(request)).toJson());
        } catch (ChurnAlerts.UnknownAlert e) {
            throw ApiProblem.notFound("the alert");
        } catch (ChurnAlerts.StatusConflict e) {
            throw ApiProblem.of(ProblemType.CONFLICT, e.getMessage());
        }
    }

    private ApiResponse resolve(ApiRequest request) {
        JsonObject body = ChurnAlertsHandler.optionalBody(request);
        body.allowOnly("resolution");
        String resolution = body.optionalLine("resolution", 1, 20);
        if (resolution != null && !List.of("retained", "lost", "not_actionable").contains(resolution)) {
            body.violations().pointer("/resolution", "must be one of retained, lost, not_actionable");
        }
        ApiProblem.throwIfAny(body.violations());
        try {
            return ApiResponse.ok(alerts.resolve(request.tenant(), request.pathParameter("id"), by(request), resolution).toJson());
        } catch (ChurnAlerts.UnknownAlert e) {
            throw ApiProblem.notFound("the alert");
        } catch (ChurnAlerts.StatusConflict e) {
            throw ApiProblem.of(ProblemType.CONFLICT, e.getMessage());
        }
    }

    private static String by(ApiRequest request) {
        return "key:" + request.caller().keyId();
    }
}
