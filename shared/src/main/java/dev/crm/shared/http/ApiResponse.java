package dev.crm.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers; turned into an API Gateway proxy response by {@link ApiRouter}. */
public final class ApiResponse {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final String body;

    private ApiResponse(int status, String contentType, String body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, JSON, Json.write(body));
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse created(String location, Object body) {
        return json(201, body).header("Location", location);
    }

    /** 202 for a job: Location points at the job resource. */
    public static ApiResponse accepted(String location, Object body) {
        return json(202, body).header("Location", location);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null);
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body);
    }

    public static ApiResponse problem(ApiProblem p, String instance) {
        ApiResponse r = new ApiResponse(p.status(), PROBLEM_JSON, Json.write(p.body(instance)));
        r.headers.putAll(p.headers());
        return r;
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Strong ETag from a version number, as the conventions define it. */
    public ApiResponse etag(long version) {
        return header("ETag", "\"" + version + "\"");
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public APIGatewayProxyResponseEvent toEvent() {
        APIGatewayProxyResponseEvent e = new APIGatewayProxyResponseEvent();
        e.setStatusCode(status);
        e.setHeaders(headers);
        e.setBody(body);
        e.setIsBase64Encoded(false);
        return e;
    }
}
