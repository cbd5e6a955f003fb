package dev.crm.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.dynamodb.DynamoDbErrors;
import dev.crm.shared.tenant.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Dispatches a proxy event to its route and owns everything routes share: scope checks, body media
 * type and size, problem+json for every failure, CORS, and one structured log line per request.
 */
public final class ApiRouter {
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Collection<String> dashboardOrigins;
    private Function<ApiRequest, Collection<String>> publicOrigins;

    public ApiRouter(Collection<String> dashboardOrigins) {
        this.dashboardOrigins = dashboardOrigins;
    }

    /**
     * Resolves the origins a public request may come from before anything else runs: the preflight
     * (which the router answers itself, so no handler could set them), the body checks and the
     * handler all then answer with the same CORS headers. A public route learns its tenant only from
     * the request (a public survey id, a slug), hence a function of the request. The resolver should
     * return an empty collection for anything it does not recognise (no CORS headers then); an
     * exception it throws is answered like one from a handler. Without a resolver, public routes allow
     * the origins their handler sets with {@link ApiRequest#corsOrigins(Collection)}, as before.
     */
    public ApiRouter publicOrigins(Function<ApiRequest, Collection<String>> resolver) {
        this.publicOrigins = resolver;
        return this;
    }

    public ApiRouter add(Route route) {
        if (routes.put(route.key(), route) != null) {
            throw new IllegalStateException("route declared twice: " + route.key());
        }
        return this;
    }

    /** Convenience for JSON routes with the default body limit. */
    public ApiRouter json(String method, String path, dev.crm.shared.tenant.Scope scope, Route.Handler h) {
        return add(new Route(method, path, scope, Set.of(ApiResponse.JSON), Route.DEFAULT_MAX_BODY, h));
    }

    /** Routes without a body (GET, DELETE, and POSTs that only trigger). */
    public ApiRouter bare(String method, String path, dev.crm.shared.tenant.Scope scope, Route.Handler h) {
        return add(new Route(method, path, scope, Set.of(), 0, h));
    }

    /**
     * Registers this router's SnapStart priming (Lambda constructors only): a JSON parse, and a GET of
     * an id that does not exist, for a tenant that does not exist, on the first GET route with an id.
     * The request passes the router, the handler and DynamoDB, finds nothing and writes nothing.
     */
    public ApiRouter primeOnCheckpoint() {
        Route get = null;
        for (Route r : routes.values()) {
            if (r.method().equals("GET") && !r.isPublic() && r.path().contains("{")) {
                get = r;
                break;
            }
        }
        Route route = get;
        dev.crm.shared.config.Priming.register(() -> {
            Json.parse("{\"a\": [1, 2.5, \"b\", null, true, {\"c\": false}]}");
            if (route != null) {
                handle(primingRequest(route));
            }
        });
        return this;
    }

    static APIGatewayProxyRequestEvent primingRequest(Route route) {
        Map<String, String> params = new LinkedHashMap<>();
        var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(route.path());
        while (m.find()) {
            params.put(m.group(1), "prime0000000000000000");
        }
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId("priming");
        context.setAuthorizer(Map.of("tenantId", dev.crm.shared.tenant.TenantId.generate().value(),
                "scope", dev.crm.shared.tenant.Scope.ADMIN.wire(), "keyId", "priming"));
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource(route.path())
                .withPath(route.path()).withPathParameters(params).withHeaders(Map.of("Accept", "application/json"))
                .withRequestContext(context);
    }

    public List<Route> routes() {
        return new ArrayList<>(routes.values());
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
        long start = System.nanoTime();
        Invocation metrics = Metrics.begin();
        ApiRequest request = new ApiRequest(event);
        Route route = routes.get(request.method() + " " + request.resource());
        ApiResponse response;
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("requestId", request.requestId());
        log.put("route", request.method() + " " + request.resource());
        boolean isPublic = route != null ? route.isPublic() : request.resource().startsWith("/v1/public/");
        try {
            if (isPublic && publicOrigins != null) {
                request.corsOrigins(publicOrigins.apply(request));
            }
            if (request.method().equals("OPTIONS")) {
                response = preflight(request);
            } else if (route == null) {
                throw ApiProblem.of(ProblemType.NO_SUCH_ROUTE, "no route " + request.method() + " " + request.resource());
            } else {
                response = dispatch(route, request, log);
            }
        } catch (ApiProblem p) {
            response = ApiResponse.problem(p, null);
        } catch (Json.SyntaxException e) {
            response = ApiResponse.problem(ApiProblem.of(ProblemType.MALFORMED_JSON, e.getMessage()), null);
        } catch (RuntimeException e) {
            log.putAll(Log.describe(e));
            if (DynamoDbErrors.isTransient(e)) {
                // Still throttled after the SDK's own retries: the client may retry; nothing was
                // half-written because every multi-item write is one transaction.
                Log.warn("dynamodb unavailable", log);
                response = ApiResponse.problem(ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE,
                        "the service is busy; retry after a short wait").header("Retry-After", "1"), null);
            } else {
                Log.error("unhandled error", log);
                response = ApiResponse.problem(ApiProblem.of(ProblemType.INTERNAL_ERROR,
                        "an internal error occurred; quote the correlation id when reporting it")
                        .with("correlationId", request.requestId()), null);
            }
        }
        Cors.apply(response.headers(), request.origin(), isPublic ? request.corsOrigins() : dashboardOrigins);
        log.put("status", response.status());
        log.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
        Principal caller = request.caller();
        if (caller != null && caller.tenantId() != null) {
            log.put("tenantId", caller.tenantId().value());
        }
        if (!request.queryParameters().isEmpty()) {
            // Names only: values can carry tokens and addresses.
            log.put("queryParameters", new ArrayList<>(request.queryParameters().keySet()));
        }
        Log.info("request", log);
        metrics.request(metricRoute(route, request), response.status(), (System.nanoTime() - start) / 1e6)
                .requestId(request.requestId()).tenant(caller != null && caller.tenantId() != null
                        ? caller.tenantId().value() : metrics.tenantId());
        if ("priming".equals(request.requestId())) {
            metrics.discard(); // the SnapStart priming request is no traffic
        } else {
            metrics.close();
        }
        return response.toEvent();
    }

    /** The route template as the dimension, never the raw path (one metric per id would be unbounded). */
    private String metricRoute(Route route, ApiRequest request) {
        if (route != null) {
            return route.key();
        }
        for (Route r : routes.values()) {
            if (r.path().equals(request.resource())) {
                return request.method() + " " + r.path(); // a preflight, or a method the path lacks
            }
        }
        return "unmatched";
    }

    private ApiResponse dispatch(Route route, ApiRequest request, Map<String, Object> log) {
        if (!route.isPublic()) {
            Principal p = request.principal();
            if (p == null) {
                // Behind API Gateway the authorizer always runs first; this guards misconfiguration.
                throw ApiProblem.of(ProblemType.UNAUTHORIZED, "missing or invalid API key");
            }
            if (!p.scope().allows(route.scope())) {
                throw ApiProblem.of(ProblemType.FORBIDDEN,
                        "this route needs a key with scope " + route.scope().wire());
            }
            request.caller(p);
        }
        if (route.takesBody()) {
            checkBody(route, request);
        }
        return route.handler().handle(request);
    }

    private static void checkBody(Route route, ApiRequest request) {
        int length = request.bodyLength();
        if (length > route.maxBodyBytes()) {
            throw ApiProblem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the body is " + length + " bytes; this route accepts at most " + route.maxBodyBytes());
        }
        String media = request.mediaType();
        if (length == 0 && media == null) {
            return; // the route decides whether an empty body is acceptable
        }
        if (media == null || !route.mediaTypes().contains(media)) {
            throw ApiProblem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as " + String.join(" or ", route.mediaTypes()));
        }
        String ct = request.header("Content-Type");
        int cs = ct.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
        if (cs >= 0) {
            String charset = ct.substring(cs + 8).trim().replace("\"", "");
            int end = charset.indexOf(';');
            if (end >= 0) {
                charset = charset.substring(0, end).trim();
            }
            if (!charset.equalsIgnoreCase("utf-8")) {
                throw ApiProblem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "bodies must be UTF-8");
            }
        }
    }

    /** Preflight for any route of this function: the allowed methods come from the routes. */
    private ApiResponse preflight(ApiRequest request) {
        List<String> methods = new ArrayList<>();
        boolean isPublic = request.resource().startsWith("/v1/public/");
        for (Route r : routes.values()) {
            // an OPTIONS route is only declared so the template can route preflights here
            if (r.path().equals(request.resource()) && !r.method().equals("OPTIONS")) {
                methods.add(r.method());
            }
        }
        ApiResponse response = ApiResponse.noContent();
        if (!methods.isEmpty()) {
            Collection<String> allowed = isPublic ? request.corsOrigins() : dashboardOrigins;
            Cors.preflight(response.headers(), request.origin(), allowed, String.join(", ", methods));
        }
        return response;
    }
}
