package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.forecast.CaseForecast;
import dev.crm.cases.domain.forecast.DemandForecast;
import dev.crm.cases.domain.measures.CaseRecordsRepository;
import dev.crm.cases.domain.measures.ServiceMeasures;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Service measures ({@code /v1/cases/metrics}) and the demand forecast with staffing ({@code /v1/cases/forecast}). */
final class ServiceMeasureRoutes {
    /** The longest range one measures request covers. */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    private static final Set<String> METRICS_PARAMETERS = Set.of("from", "to", "groupBy");
    private static final Set<String> FORECAST_PARAMETERS = Set.of("from", "weeks", "interval", "channel", "serviceLevel",
            "answerWithinSeconds", "handleTimeSeconds");
    private static final Set<String> STAFFING = Set.of("serviceLevel", "answerWithinSeconds", "handleTimeSeconds");

    private final ServiceMeasures measures;
    private final CaseForecast forecast;
    private final Clock clock;

    ServiceMeasureRoutes(ServiceMeasures measures, CaseForecast forecast, Clock clock) {
        this.measures = measures;
        this.forecast = forecast;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.bare("GET", "/v1/cases/metrics", Scope.READ, this::metrics)
                .bare("GET", "/v1/cases/forecast", Scope.READ, this::forecast);
    }

    private static void unknown(ApiRequest request, Set<String> known, Violations v) {
        request.queryParameters().keySet().stream().filter(p -> !known.contains(p)).sorted()
                .forEach(p -> v.parameter(p, "unknown parameter"));
    }

    private static Instant instant(ApiRequest request, String name, boolean required, Violations v) {
        String text = request.query(name);
        if (text == null) {
            if (required) {
                v.parameter(name, "required: an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
            }
            return null;
        }
        Instant t = Times.parse(text);
        if (t == null) {
            v.parameter(name, "must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
        }
        return t;
    }

    private static <E extends Enum<E>> E enumParameter(ApiRequest request, String name, Class<E> type, E otherwise,
            Violations v) {
        String value = request.query(name);
        if (value == null) {
            return otherwise;
        }
        E e = JsonObject.enumValue(type, value);
        if (e == null) {
            v.parameter(name, "must be one of " + JsonObject.wireNames(type));
        }
        return e;
    }

    private ApiResponse metrics(ApiRequest request) {
        Violations v = new Violations();
        unknown(request, METRICS_PARAMETERS, v);
        Instant from = instant(request, "from", true, v);
        Instant to = instant(request, "to", true, v);
        ServiceMeasures.GroupBy by = enumParameter(request, "groupBy", ServiceMeasures.GroupBy.class,
                ServiceMeasures.GroupBy.NONE, v);
        if (from != null && to != null) {
            if (!to.isAfter(from)) {
                v.parameter("to", "must be after from");
            } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                v.parameter("to", "must be at most 366 days after from");
            }
        }
        ApiProblem.throwIfAny(v);
        try {
            return ApiResponse.ok(measures.measure(request.tenant(), from, to, by));
        } catch (CaseRecordsRepository.TooMany e) {
            throw ApiProblem.parameter("from", "more than " + e.max() + " cases were created in this range; narrow it");
        }
    }

    private ApiResponse forecast(ApiRequest request) {
        Violations v = new Violations();
        unknown(request, FORECAST_PARAMETERS, v);
        Instant from = instant(request, "from", false, v);
        int weeks = 1;
        String w = request.query("weeks");
        if (w != null) {
            if (w.matches("[1-8]")) {
                weeks = Integer.parseInt(w);
            } else {
                v.parameter("weeks", "must be a whole number from 1 to 8");
            }
        }
        DemandForecast.Interval interval = enumParameter(request, "interval", DemandForecast.Interval.class,
                DemandForecast.Interval.HOUR, v);
        SupportCase.Channel channel = enumParameter(request, "channel", SupportCase.Channel.class, null, v);
        CaseForecast.Staffing staffing = null;
        long given = STAFFING.stream().filter(p -> request.query(p) != null).count();
        if (given > 0 && given < STAFFING.size()) {
            STAFFING.stream().filter(p -> request.query(p) == null).sorted()
                    .forEach(p -> v.parameter(p, "required with the other staffing parameters"));
        } else if (given == STAFFING.size()) {
            Double level = number(request, "serviceLevel", 0, 1, false, v);
            Double within = number(request, "answerWithinSeconds", 0, 3600, true, v);
            Double handle = number(request, "handleTimeSeconds", 0, 86_400, false, v);
            if (level != null && within != null && handle != null) {
                staffing = new CaseForecast.Staffing(level, within, handle);
            }
        }
        ApiProblem.throwIfAny(v);
        try {
            return ApiResponse.ok(forecast.forecast(request.tenant(), from == null ? clock.instant() : from, weeks, interval,
                    channel, staffing));
        } catch (CaseRecordsRepository.TooMany e) {
            throw ApiProblem.parameter(request.query("channel") == null ? "from" : "channel",
                    "the history holds more than " + e.max() + " cases; forecast one channel at a time");
        }
    }

    /** A number in (min, max) (or [0, max] for {@code zeroAllowed}), at most max; null with a violation when not. */
    private static Double number(ApiRequest request, String name, double min, double max, boolean zeroAllowed,
            Violations v) {
        String text = request.query(name);
        try {
            double d = text.matches("[0-9]{1,6}(\\.[0-9]{1,6})?") ? Double.parseDouble(text) : Double.NaN;
            if ((d > min || (zeroAllowed && d == min)) && d <= max && !(name.equals("serviceLevel") && d >= 1)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        v.parameter(name, name.equals("serviceLevel") ? "must be a number above 0 and below 1, e.g. 0.8"
                : "must be a number of seconds " + (zeroAllowed ? "from 0" : "above 0") + " up to " + (long) max);
        return null;
    }
}
