package dev.crm.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.SamTemplate;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What API Gateway (REST API, Lambda proxy integration, REQUEST authorizer) does in front of the
 * handlers: route matching on the template's Api events, the authorizer call, the proxy event, the
 * payload and timeout limits, and its own error responses.
 */
final class ApiGateway {
    /** API Gateway's payload limit (10 MB) and integration timeout (29 s). */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;
    static final long TIMEOUT_MILLIS = 29_000;

    /** An HTTP request as the runner received it. */
    record HttpCall(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
            String sourceIp) {}

    /** An HTTP response to write back. */
    record HttpResult(int status, Map<String, String> headers, String body) {}

    private record CompiledRoute(SamTemplate.ApiRoute route, Pattern pattern, List<String> names) {}

    private final List<CompiledRoute> routes = new ArrayList<>();
    private final Functions functions;
    private final String authorizerFunction;
    private final GatewayResponses gatewayResponses;
    private final ExecutorService invoker = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-invoke");
        t.setDaemon(true);
        return t;
    });

    ApiGateway(SamTemplate template, Functions functions) {
        this.functions = functions;
        this.gatewayResponses = new GatewayResponses(template);
        for (SamTemplate.ApiRoute r : template.apiRoutes()) {
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}+]+)(\\+?)}").matcher(r.path());
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(r.path().substring(last, m.start())));
                regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(r.path().substring(last))).append("$");
            routes.add(new CompiledRoute(r, Pattern.compile(regex.toString()), names));
        }
        this.authorizerFunction = authorizerFunctionId(template);
    }

    /** The function behind the API's authorizer: {@code !Ref AuthorizerFunction.Alias} or a GetAtt. */
    private static String authorizerFunctionId(SamTemplate template) {
        Map<String, Object> auth = SamTemplate.map(template.apiProperties().get("Auth"));
        Object name = auth.get("DefaultAuthorizer");
        Map<String, Object> authorizer = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get(String.valueOf(name)));
        Map<String, Object> arn = SamTemplate.map(authorizer.get("FunctionArn"));
        if (arn.get("Ref") != null) {
            return String.valueOf(arn.get("Ref")).split("\\.")[0];
        }
        List<Object> getAtt = SamTemplate.list(arn.get("Fn::GetAtt"));
        if (!getAtt.isEmpty()) {
            return String.valueOf(getAtt.get(0));
        }
        throw new IllegalStateException("template.yaml: cannot tell which function is the authorizer");
    }

    HttpResult handle(HttpCall call) {
        String requestId = UUID.randomUUID().toString();
        if (call.body().length > MAX_PAYLOAD) {
            return gateway("REQUEST_TOO_LARGE", 413, "Request Too Long", requestId);
        }
        String path = call.rawPath();
        CompiledRoute matched = null;
        Map<String, String> pathParams = new LinkedHashMap<>();
        for (CompiledRoute r : routes) {
            Matcher m = r.pattern().matcher(path);
            // as API Gateway: the most literal route wins (/v1/cases/metrics over /v1/cases/{id})
            if (m.matches() && r.route().method().equals(call.method())
                    && (matched == null || r.names().size() < matched.names().size())) {
                matched = r;
                pathParams.clear();
                for (int i = 0; i < r.names().size(); i++) {
                    pathParams.put(r.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        if (matched == null) {
            return gateway("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", requestId);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        call.headers().forEach((k, v) -> {
            if (!v.isEmpty()) {
                headers.put(k, v.get(v.size() - 1));
                multiHeaders.put(k, v);
            }
        });
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        if (call.rawQuery() != null && !call.rawQuery().isEmpty()) {
            for (String pair : call.rawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(k, v);
                multiQuery.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        String methodArn = "arn:aws:execute-api:local:000000000000:localapi/local/" + call.method() + path;

        Map<String, Object> authorizerContext = null;
        if (!matched.route().isPublic()) {
            String authorization = header(headers, "Authorization");
            if (authorization == null || authorization.isBlank()) {
                return gateway("UNAUTHORIZED", 401, "Unauthorized", requestId);
            }
            APIGatewayCustomAuthorizerEvent authEvent = new APIGatewayCustomAuthorizerEvent();
            authEvent.setType("REQUEST");
            authEvent.setMethodArn(methodArn);
            authEvent.setResource(matched.route().path());
            authEvent.setPath(path);
            authEvent.setHttpMethod(call.method());
            authEvent.setHeaders(headers);
            authEvent.setQueryStringParameters(query);
            authEvent.setPathParameters(pathParams);
            Object result;
            try {
                result = invoke(authorizerFunction, authEvent, 10_000);
            } catch (ExecutionException e) {
                if ("Unauthorized".equals(e.getCause().getMessage())) {
                    return gateway("UNAUTHORIZED", 401, "Unauthorized", requestId);
                }
                return gateway("AUTHORIZER_FAILURE", 500, "Internal server error", requestId);
            } catch (TimeoutException e) {
                return gateway("AUTHORIZER_FAILURE", 500, "Internal server error", requestId);
            }
            IamPolicyResponse policy = (IamPolicyResponse) result;
            if (!allows(policy)) {
                return gateway("ACCESS_DENIED", 403, "User is not authorized to access this resource", requestId);
            }
            authorizerContext = new HashMap<>(policy.getContext() == null ? Map.of() : policy.getContext());
            authorizerContext.put("principalId", policy.getPrincipalId());
        }

        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setResource(matched.route().path());
        event.setPath(path);
        event.setHttpMethod(call.method());
        event.setHeaders(headers.isEmpty() ? null : headers);
        event.setMultiValueHeaders(multiHeaders.isEmpty() ? null : multiHeaders);
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        event.setMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery);
        event.setPathParameters(pathParams.isEmpty() ? null : pathParams);
        event.setBody(call.body().length == 0 ? null : new String(call.body(), StandardCharsets.UTF_8));
        event.setIsBase64Encoded(false);
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(call.sourceIp());
        identity.setUserAgent(header(headers, "User-Agent"));
        var ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setRequestId(requestId);
        ctx.setIdentity(identity);
        ctx.setResourcePath(matched.route().path());
        ctx.setHttpMethod(call.method());
        ctx.setPath(path);
        ctx.setStage("local");
        ctx.setAccountId("000000000000");
        ctx.setApiId("localapi");
        ctx.setAuthorizer(authorizerContext);
        event.setRequestContext(ctx);

        try {
            APIGatewayProxyResponseEvent response =
                    (APIGatewayProxyResponseEvent) invoke(matched.route().functionId(), event, TIMEOUT_MILLIS);
            Map<String, String> out = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                out.putAll(response.getHeaders());
            }
            out.put("x-amzn-RequestId", requestId);
            return new HttpResult(response.getStatusCode() == null ? 200 : response.getStatusCode(), out,
                    response.getBody() == null ? "" : response.getBody());
        } catch (TimeoutException e) {
            return gateway("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", requestId);
        } catch (ExecutionException e) {
            return gateway("DEFAULT_5XX", 502, "Internal server error", requestId);
        }
    }

    private Object invoke(String functionId, Object event, long timeoutMillis)
            throws ExecutionException, TimeoutException {
        LambdaContext context = LambdaContext.local(functionId, timeoutMillis);
        Future<Object> f = invoker.submit(() -> functions.invoke(functionId, event, context));
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException(e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }

    private static boolean allows(IamPolicyResponse policy) {
        if (policy == null || policy.getPolicyDocument() == null) {
            return false;
        }
        Object statements = policy.getPolicyDocument().get("Statement");
        if (statements instanceof Object[] arr) {
            statements = List.of(arr);
        }
        for (Object s : SamTemplate.list(statements)) {
            if (s instanceof Map<?, ?> m && "Allow".equals(m.get("Effect"))) {
                return true;
            }
        }
        return false;
    }

    private HttpResult gateway(String type, int status, String message, String requestId) {
        GatewayResponses.Rendered r = gatewayResponses.render(type, status, message, requestId);
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("x-amzn-RequestId", requestId);
        headers.put("x-amzn-ErrorType", type);
        return new HttpResult(r.status(), headers, r.body());
    }

    static String header(Map<String, String> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    void shutdown() {
        invoker.shutdownNow();
    }
}
