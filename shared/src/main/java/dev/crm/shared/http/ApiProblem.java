package dev.crm.shared.http;

import dev.crm.shared.json.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client-visible failure: becomes an application/problem+json response. It carries no stack
 * trace (it is control flow, not a bug) and no internal detail.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final String detail;
    private final transient List<Map<String, Object>> errors;
    private final transient Map<String, Object> extensions;
    private final transient Map<String, String> headers;

    private ApiProblem(ProblemType type, String detail, List<Map<String, Object>> errors,
            Map<String, Object> extensions, Map<String, String> headers) {
        super(type.slug() + ": " + detail, null, false, false);
        this.type = type;
        this.detail = detail;
        this.errors = errors;
        this.extensions = extensions;
        this.headers = headers;
    }

    public static ApiProblem of(ProblemType type, String detail) {
        return new ApiProblem(type, detail, null, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public static ApiProblem validation(Violations v) {
        return new ApiProblem(ProblemType.VALIDATION_ERROR,
                v.items().size() == 1 ? "1 field is not valid" : v.items().size() + " fields are not valid",
                v.items(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public static ApiProblem validation(String pointer, String detail) {
        return validation(new Violations().pointer(pointer, detail));
    }

    public static ApiProblem parameter(String name, String detail) {
        return validation(new Violations().parameter(name, detail));
    }

    public static ApiProblem notFound(String what) {
        return of(ProblemType.NOT_FOUND, what + " does not exist");
    }

    public static void throwIfAny(Violations v) {
        if (!v.isEmpty()) {
            throw validation(v);
        }
    }

    public ApiProblem with(String extension, Object value) {
        extensions.put(extension, value);
        return this;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return type.status();
    }

    public String detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (errors != null) {
            body.put("errors", errors);
        }
        body.putAll(extensions);
        return body;
    }
}
