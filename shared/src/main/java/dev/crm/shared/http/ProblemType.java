package dev.crm.shared.http;

/**
 * Every problem type the API answers with (RFC 9457). The catalogue with explanations is
 * docs/problems.md; a test keeps the two in step.
 */
public enum ProblemType {
    VALIDATION_ERROR(400, "The request is not valid"),
    MALFORMED_JSON(400, "The body is not well-formed JSON"),
    INVALID_CURSOR(400, "The cursor is not valid for this query"),
    INVALID_TOKEN(400, "The token is not valid"),
    /** A webhook endpoint's URL is not https or leads to an address that is not public (docs/api.md, "Webhooks"). */
    WEBHOOK_URL_REFUSED(400, "The webhook URL is refused"),
    UNAUTHORIZED(401, "Authentication is required"),
    FORBIDDEN(403, "The key does not allow this operation"),
    NOT_FOUND(404, "The resource does not exist"),
    NO_SUCH_ROUTE(404, "No route matches this path and method"),
    METHOD_NOT_ALLOWED(405, "The method is not allowed on this resource"),
    NOT_ACCEPTABLE(406, "No acceptable representation"),
    CONFLICT(409, "The request conflicts with the current state"),
    DUPLICATE(409, "A resource with this unique value already exists"),
    IDEMPOTENCY_IN_PROGRESS(409, "A request with this Idempotency-Key is still being processed"),
    TOKEN_USED(409, "The token has already been used"),
    CLOSED(409, "The resource is closed"),
    /** A case status change the workflow does not allow (docs/api.md, "Cases"). */
    INVALID_TRANSITION(409, "The status change is not allowed"),
    GONE(410, "The resource is gone"),
    PRECONDITION_FAILED(412, "The resource has changed (If-Match does not match)"),
    PAYLOAD_TOO_LARGE(413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "The request body's media type is not supported"),
    IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was used with a different request"),
    PRECONDITION_REQUIRED(428, "If-Match is required"),
    RATE_LIMITED(429, "Too many requests"),
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service temporarily unavailable"),
    TIMEOUT(504, "The request timed out");

    public static final String BASE_URI = "https://serverless-crm.dev/problems/";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String uri() {
        return BASE_URI + slug();
    }
}
