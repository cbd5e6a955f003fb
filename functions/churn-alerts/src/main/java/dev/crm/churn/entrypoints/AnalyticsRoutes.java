package dev.crm.churn.entrypoints;

import dev.crm.churn.domain.analytics.Analytics;
import dev.crm.churn.domain.analytics.AnalyticsRepository;
import dev.crm.churn.domain.analytics.Measure;
import dev.crm.churn.domain.analytics.Period;
import dev.crm.churn.domain.analytics.Targets;
import dev.crm.churn.domain.analytics.ValueGroups;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/analytics/...}: customer value by group, retention cohorts, targets and the scorecard
 * (docs/api.md, "Analytics").
 */
final class AnalyticsRoutes {
    private static final Set<String> VALUE_PARAMETERS = Set.of("groupBy", "segment");
    private static final Set<String> RETENTION_PARAMETERS = Set.of("cohort", "from", "to");
    private static final Set<String> SCORECARD_PARAMETERS = Set.of("period");
    private static final String PERIOD_FORM = "must be a month such as 2027-03 or a quarter such as 2027-Q1";

    private final Analytics analytics;
    private final TenantCache tenants;

    AnalyticsRoutes(Analytics analytics, TenantCache tenants) {
        this.analytics = analytics;
        this.tenants = tenants;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.bare("GET", "/v1/analytics/value", Scope.READ, this::value)
                .bare("GET", "/v1/analytics/retention", Scope.READ, this::retention)
                .bare("GET", "/v1/analytics/scorecard", Scope.READ, this::scorecard)
                .bare("GET", "/v1/analytics/targets/{period}", Scope.READ, this::targets)
                .json("PUT", "/v1/analytics/targets/{period}", Scope.WRITE, this::putTargets);
    }

    private static void unknown(ApiRequest request, Set<String> known, Violations v) {
        request.queryParameters().keySet().stream().filter(p -> !known.contains(p)).sorted()
                .forEach(p -> v.parameter(p, "unknown parameter"));
    }

    private ApiResponse value(ApiRequest request) {
        Violations v = new Violations();
        unknown(request, VALUE_PARAMETERS, v);
        String by = request.query("groupBy");
        ValueGroups.GroupBy groupBy = null;
        if (by == null) {
            v.parameter("groupBy", "required: segment, rfm or riskTier");
        } else {
            groupBy = switch (by) {
                case "segment" -> ValueGroups.GroupBy.SEGMENT;
                case "rfm" -> ValueGroups.GroupBy.RFM;
                case "riskTier" -> ValueGroups.GroupBy.RISK_TIER;
                default -> null;
            };
            if (groupBy == null) {
                v.parameter("groupBy", "must be one of segment, rfm, riskTier");
            }
        }
        String segment = request.query("segment");
        boolean segmentFormOk = segment == null || Ids.isValid("seg_", segment);
        ApiProblem.throwIfAny(v);
        if (!segmentFormOk) {
            throw ApiProblem.notFound("the segment");
        }
        Tenant tenant = request.callerTenant(tenants);
        try {
            return ApiResponse.ok(analytics.value(tenant, groupBy, segment));
        } catch (Analytics.UnknownSegment e) {
            throw ApiProblem.notFound("the segment");
        } catch (AnalyticsRepository.TooMany e) {
            throw tooMany(e, "customers");
        }
    }

    private ApiResponse retention(ApiRequest request) {
        Violations v = new Violations();
        unknown(request, RETENTION_PARAMETERS, v);
        String cohort = request.query("cohort") == null ? "month" : request.query("cohort");
        boolean quarter = "quarter".equals(cohort);
        if (!quarter && !"month".equals(cohort)) {
            v.parameter("cohort", "must be month or quarter");
        }
        Tenant tenant = request.callerTenant(tenants);
        Period current = Period.containing(analytics.today(tenant), quarter);
        Period to = period(request, "to", quarter, current, v);
        Period from = period(request, "from", quarter, to == null ? null : to.plus(quarter ? -7 : -11), v);
        if (from != null && to != null && v.isEmpty()) {
            if (to.index() < from.index()) {
                v.parameter("to", "must not be before from");
            } else if (to.index() - from.index() + 1 > Analytics.MAX_COHORTS) {
                v.parameter("from", "at most " + Analytics.MAX_COHORTS + " periods from from to to");
            } else if (to.index() > current.index()) {
                v.parameter("to", "must not be after the current period, " + current);
            }
        }
        ApiProblem.throwIfAny(v);
        try {
            return ApiResponse.ok(analytics.retention(tenant, from, to));
        } catch (AnalyticsRepository.TooMany e) {
            throw tooMany(e, "customers or purchases");
        }
    }

    /** A period of the cohort's kind, or {@code otherwise} when the parameter is absent. */
    private static Period period(ApiRequest request, String name, boolean quarter, Period otherwise, Violations v) {
        String text = request.query(name);
        if (text == null) {
            return otherwise;
        }
        Period p = Period.parse(text);
        if (p == null || p.quarter() != quarter) {
            v.parameter(name, quarter ? "must be a quarter such as 2027-Q1 (cohort=quarter)" : "must be a month such as 2027-03 (cohort=month)");
            return null;
        }
        return p;
    }

    private ApiResponse scorecard(ApiRequest request) {
        Violations v = new Violations();
        unknown(request, SCORECARD_PARAMETERS, v);
        Period period = Period.parse(request.query("period"));
        if (period == null) {
            v.parameter("period", request.query("period") == null ? "required: a month such as 2027-03 or a quarter such as 2027-Q1" : PERIOD_FORM);
        }
        ApiProblem.throwIfAny(v);
        try {
            return ApiResponse.ok(analytics.scorecard(request.callerTenant(tenants), period));
        } catch (AnalyticsRepository.TooMany e) {
            throw tooMany(e, "customers, purchases or cases");
        }
    }

    private static Period pathPeriod(ApiRequest request) {
        Period p = Period.parse(request.pathParameter("period"));
        if (p == null) {
            throw ApiProblem.parameter("period", PERIOD_FORM);
        }
        return p;
    }

    private ApiResponse targets(ApiRequest request) {
        Period period = pathPeriod(request);
        Tenant tenant = request.callerTenant(tenants);
        Targets targets = analytics.targets(tenant, period);
        if (targets == null) {
            throw ApiProblem.of(ProblemType.NOT_FOUND, "no targets are set for " + period);
        }
        return ApiResponse.ok(targets.toJson(tenant.settings().defaultCurrency()));
    }

    private ApiResponse putTargets(ApiRequest request) {
        Period period = pathPeriod(request);
        request.idempotencyKey(); // checked when given, like every write's; a PUT is repeatable without it
        JsonObject body = request.jsonObject();
        body.allowOnly(java.util.Arrays.stream(Measure.values()).map(Measure::wire).toList());
        Map<Measure, BigDecimal> values = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            Object raw = body.raw().get(m.wire());
            if (raw == null) {
                continue; // absent or null: no target for the measure
            }
            BigDecimal d = raw instanceof Long l ? BigDecimal.valueOf(l) : raw instanceof BigDecimal b ? b : null;
            if (d == null || d.compareTo(m.min()) < 0 || d.compareTo(m.max()) > 0 || d.stripTrailingZeros().scale() > Math.max(m.scale(), 0)) {
                body.violations().pointer(body.pointer(m.wire()), "must be a number from " + m.min() + " to " + m.max()
                        + (m.scale() == 0 ? ", a whole number" : " with at most " + m.scale() + " decimals"));
            } else {
                values.put(m, d.stripTrailingZeros().scale() < 0 ? d.setScale(0) : d.stripTrailingZeros());
            }
        }
        if (body.violations().isEmpty() && values.isEmpty()) {
            body.violations().pointer("", "give a target for at least one of the measures");
        }
        ApiProblem.throwIfAny(body.violations());
        Tenant tenant = request.callerTenant(tenants);
        return ApiResponse.ok(analytics.putTargets(tenant, period, values).toJson(tenant.settings().defaultCurrency()));
    }

    private static ApiProblem tooMany(AnalyticsRepository.TooMany e, String what) {
        return ApiProblem.parameter("from", "more than " + e.max() + " " + what + " for one request");
    }
}
