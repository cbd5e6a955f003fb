package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * POST /_local/clock over real HTTP: the runner's time moves for every function, its schedules and its
 * own records, and the work that became due is done when the call answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClockIT {
    static LocalRunner runner;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_clockoperatorkey0123456789abcdefgh"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static HttpResponse<String> send(String method, String path, String key, String contentType, String body,
            String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    static Map<String, Object> moveClock(String body) throws Exception {
        var r = send("POST", "/_local/clock", null, "application/json", body);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    static Instant now() throws Exception {
        var r = send("GET", "/_local/clock", null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        return Instant.parse((String) json(r).get("now"));
    }

    static String provision(String slug) throws Exception {
        var r = send("POST", "/v1/tenants", runner.operatorKey(), "application/json",
                "{\"name\": \"Clock " + slug + "\", \"slug\": \"" + slug + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("apiKey");
    }

    static void assertRefused(String body, String why) throws Exception {
        Instant before = now();
        var r = send("POST", "/_local/clock", null, "application/json", body);
        assertEquals(400, r.statusCode(), why + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(400, ((Number) json(r).get("status")).intValue());
        assertTrue(now().isBefore(before.plus(Duration.ofMinutes(5))), why + ": the clock did not move");
    }

    @Test
    @Order(1)
    void theClockOnlyMovesForward() throws Exception {
        assertRefused("{\"advanceBy\": \"-PT1H\"}", "a negative duration");
        assertRefused("{\"set\": \"" + Instant.now().minus(Duration.ofDays(1)) + "\"}", "an instant in the past");
        assertRefused("{\"advanceBy\": \"two days\"}", "not a duration");
        assertRefused("{\"advanceBy\": \"P1D\", \"set\": \"" + Instant.now().plus(Duration.ofDays(3)) + "\"}", "both forms");
        assertRefused("{}", "neither form");
        assertRefused("{\"advanceBy\": ", "malformed JSON");
    }

    @Test
    @Order(2)
    void advancingTwoDaysRunsTheNightlyChurnScheduleOnce() throws Exception {
        String key = provision("clock-churn");
        var before = json(send("GET", "/v1/churn-scores/summary", key, null, null));
        assertNull(before.get("runId"), "no retention run yet: " + before);

        Map<String, Object> moved = moveClock("{\"advanceBy\": \"P2D\"}");
        Instant previous = Instant.parse((String) moved.get("previous"));
        Instant movedTo = Instant.parse((String) moved.get("now"));
        assertTrue(!movedTo.isBefore(previous.plus(Duration.ofDays(2))), moved.toString());
        @SuppressWarnings("unchecked")
        List<String> fired = (List<String>) moved.get("fired");
        // two 02:00 instants were crossed: EventBridge would fire twice, the runner fires once per call
        assertEquals(1, fired.stream().filter("NightlyChurnRun"::equals).count(), fired.toString());
        assertTrue(fired.contains("NightlyChurnRun") && fired.contains("CaseSlaChecks"), fired.toString());
        assertEquals(true, moved.get("drained"), moved.toString());

        // the run it queued was done before the call answered, on the moved day
        var summary = json(send("GET", "/v1/churn-scores/summary", key, null, null));
        assertNotNull(summary.get("runId"), summary.toString());
        var run = send("GET", "/v1/churn-runs/" + summary.get("runId"), key, null, null);
        assertEquals(200, run.statusCode(), run.body());
        assertEquals("succeeded", json(run).get("status"), run.body());
        Instant scoredAt = Instant.parse(String.valueOf(summary.get("scoredAt")));
        assertTrue(!scoredAt.isBefore(previous.plus(Duration.ofDays(2))), "scored on the moved clock: " + summary);

        // the clock keeps ticking from the new instant
        Instant later = now();
        assertTrue(!later.isBefore(movedTo), later + " after " + movedTo);
        assertTrue(later.isBefore(movedTo.plus(Duration.ofHours(1))), later + " near " + movedTo);
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void aCaseBreachesItsSlaRightAfterTheClockPassesItsDueTime() throws Exception {
        String key = provision("clock-cases");
        var tenant = send("GET", "/v1/tenant", key, null, null);
        var settings = send("PATCH", "/v1/tenant/settings", key, "application/merge-patch+json",
                "{\"slaPolicies\": {\"urgent\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT8H\", \"clock\": \"calendar\"}}}",
                "If-Match", tenant.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, settings.statusCode(), settings.body());
        var contact = send("POST", "/v1/contacts", key, "application/json", "{\"firstName\": \"Ada\", \"email\": \"ada@example.com\"}");
        assertEquals(201, contact.statusCode(), contact.body());
        var created = send("POST", "/v1/cases", key, "application/json", "{\"contactId\": \"" + json(contact).get("id")
                + "\", \"channel\": \"email\", \"category\": \"billing\", \"priority\": \"urgent\", \"subject\": \"Late parcel\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) json(created).get("id");
        Map<String, Object> sla = (Map<String, Object>) json(created).get("sla");
        assertEquals(List.of(), sla.get("breaches"), created.body());
        Instant due = Instant.parse((String) ((Map<String, Object>) sla.get("firstResponse")).get("dueAt"));

        moveClock("{\"set\": \"" + due.plus(Duration.ofMinutes(2)) + "\"}");

        var after = json(send("GET", "/v1/cases/" + id, key, null, null));
        assertEquals(List.of("firstResponse"), ((Map<String, Object>) after.get("sla")).get("breaches"), after.toString());
        boolean announced = false;
        for (Object o : (List<Object>) json(send("GET", "/_local/events", null, null, null)).get("items")) {
            Map<String, Object> e = (Map<String, Object>) o;
            if ("case.sla_breached".equals(e.get("detailType")) && String.valueOf(e.get("detail")).contains(id)) {
                announced = true;
                assertFalse(Instant.parse(String.valueOf(e.get("at"))).isBefore(due), "published on the moved clock: " + e);
            }
        }
        assertTrue(announced, "case.sla_breached is on the bus when the call answers");
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void theOutboxStampsMessagesWithTheMovedClock() throws Exception {
        provision("clock-mail");
        Map<String, Object> moved = moveClock("{\"advanceBy\": \"P30D\"}");
        Instant movedTo = Instant.parse((String) moved.get("now"));
        assertTrue(movedTo.isAfter(Instant.now().plus(Duration.ofDays(29))), moved.toString());
        var subscribed = send("POST", "/v1/public/t/clock-mail/subscribe", null, "application/json",
                "{\"email\": \"mover@example.com\", \"channel\": \"email\", \"topics\": []}", "Idempotency-Key", "clock-mail-1");
        assertEquals(202, subscribed.statusCode(), subscribed.body());
        Instant sentAt = null;
        for (Object o : (List<Object>) json(send("GET", "/_local/outbox", null, null, null)).get("items")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if ("mover@example.com".equals(m.get("to"))) {
                sentAt = Instant.parse(String.valueOf(m.get("sentAt")));
            }
        }
        assertNotNull(sentAt, "the confirmation is in the outbox");
        assertFalse(sentAt.isBefore(movedTo), sentAt + " is on the moved clock (" + movedTo + ")");
    }
}
