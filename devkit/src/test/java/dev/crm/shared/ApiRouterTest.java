package dev.crm.shared;

import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.CapturedLogs;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class ApiRouterTest {
    private final ApiRouter router = new ApiRouter(List.of("https://dash.example.com"))
            .json("POST", "/v1/things", Scope.WRITE, r -> ApiResponse.created("/v1/things/1", r.jsonObject().raw()))
            .bare("GET", "/v1/boom", Scope.READ, r -> {
                throw new IllegalStateException("secret detail jane@example.com crm_live_AbCdEf0123456789xyz");
            })
            .bare("GET", "/v1/slow", Scope.READ, r -> {
                throw ApiCallTimeoutException.create(20_000);
            })
            .bare("GET", "/v1/throttled", Scope.READ, r -> {
                throw new IllegalStateException("wrapped", ProvisionedThroughputExceededException.builder().message("busy").build());
            });

    @Test
    void dynamoDbThrottlingAndTimeoutsAre503WithRetryAfter() {
        for (String path : List.of("/v1/slow", "/v1/throttled")) {
            var r = router.handle(ApiEvents.request("GET", path).as(TenantId.generate(), Scope.READ).build());
            problem(r, 503, "service-unavailable");
            assertEquals("1", header(r, "Retry-After"), path);
        }
    }

    @Test
    void scopeIsCheckedBeforeTheHandlerRuns() {
        TenantId t = TenantId.generate();
        problem(router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.READ).json("{}").build()), 403, "forbidden");
        problem(router.handle(ApiEvents.request("POST", "/v1/things").json("{}").build()), 401, "unauthorized");
        assertEquals(201, router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.ADMIN).json("{}").build()).getStatusCode());
    }

    @Test
    void unexpectedErrorsAre500WithACorrelationIdAndNothingInternal() {
        List<String> logs;
        try (var captured = CapturedLogs.start()) {
            var r = router.handle(ApiEvents.request("GET", "/v1/boom").as(TenantId.generate(), Scope.READ).build());
            var body = problem(r, 500, "internal-error");
            assertFalse(r.getBody().contains("secret"));
            assertFalse(r.getBody().contains("IllegalState"));
            assertEquals(36, ((String) body.get("correlationId")).length());
            logs = captured.lines();
        }
        String all = String.join("\n", logs);
        assertFalse(all.contains("jane@example.com"));
        assertFalse(all.contains("secret detail"), "exception messages are not logged");
        assertFalse(all.contains("\tat "), "no stack traces in logs");
    }

    @Test
    void corsHeadersOnlyForTheDashboardOriginsAndOnErrorsToo() {
        TenantId t = TenantId.generate();
        var ok = router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.WRITE).header("Origin", "https://dash.example.com")
                .json("{}").build());
        assertEquals("https://dash.example.com", header(ok, "Access-Control-Allow-Origin"));
        var err = router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.READ).header("Origin", "https://dash.example.com")
                .json("{}").build());
        assertEquals("https://dash.example.com", header(err, "Access-Control-Allow-Origin"));
        var evil = router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.WRITE).header("Origin", "https://evil.example")
                .json("{}").build());
        assertNull(header(evil, "Access-Control-Allow-Origin"));
    }

    @Test
    void bodiesMustBeJsonInUtf8() {
        TenantId t = TenantId.generate();
        problem(router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.WRITE).body("application/json; charset=latin1", "{}").build()),
                415, "unsupported-media-type");
        assertEquals(201, router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.WRITE)
                .body("application/json; charset=UTF-8", "{\"a\":1}").build()).getStatusCode());
        problem(router.handle(ApiEvents.request("POST", "/v1/things").as(t, Scope.WRITE).json("").build()), 400, "malformed-json");
    }
}
