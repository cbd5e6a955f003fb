package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journeys' acceptance path end to end through the runner, over HTTP: a purchase enrols the contact
 * (table stream → event → enrolment function), `POST /_local/clock` moves two days on, the sweep sends
 * the offer into the runner's outbox, and the enrolment reads completed. Nothing waits two real days.
 * And a birthday journey: activation schedules the contact's occurrence, the clock set to it sends.
 */
class LocalJourneysIT {
    static LocalRunner runner;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_journeysoperatorkey0123456789abcd"));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static HttpResponse<String> send(String method, String path, String key, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
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

    static Map<String, Object> ok(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        return json(r);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> outboxTo(String address) throws Exception {
        return ((List<Map<String, Object>>) json(send("GET", "/_local/outbox", null, null)).get("items")).stream()
                .filter(m -> address.equals(m.get("to"))).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPurchaseEnrolsTheContactAndTheOfferGoesOutWhenTheClockHasMovedTwoDays() throws Exception {
        String admin = (String) ok(send("POST", "/v1/tenants", runner.operatorKey(), "{\"name\": \"Journeys\", \"slug\": \"journeys-e2e\"}"), 201)
                .get("apiKey");
        ok(send("POST", "/v1/topics", admin, "{\"key\": \"offers\", \"name\": \"Offers\"}"), 201);
        String address = "journey-ann@example.com";
        String contact = (String) ok(send("POST", "/v1/contacts", admin,
                "{\"firstName\": \"Ann\", \"email\": \"" + address + "\", \"timeZone\": \"UTC\"}"), 201).get("id");
        String path = "/v1/contacts/" + contact + "/preferences";
        String etag = send("GET", path, admin, null).headers().firstValue("ETag").orElseThrow();
        ok(send("PUT", path, admin, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"offers\": \"opted_in\"}}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", "If-Match", etag), 200);

        String journey = (String) ok(send("POST", "/v1/journeys", admin, "{\"name\": \"Thank-you offer\", \"trigger\": {\"event\":"
                + " \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}}, \"entry\": {\"mode\": \"once\"}, \"steps\":"
                + " [{\"wait\": \"P2D\"}, {\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"onBlocked\": \"wait\","
                + " \"template\": {\"subject\": \"An offer for {{contact.firstName}}\", \"text\": \"Hello {{contact.firstName}}\"}}}]}"), 201)
                .get("id");
        ok(send("POST", "/v1/journeys/" + journey + "/activate", admin, null), 200);

        ok(send("POST", "/v1/contacts/" + contact + "/interactions", admin, "{\"id\": \"order-1\", \"type\": \"purchase\","
                + " \"value\": {\"amount\": \"25.00\"}}"), 201);
        // the stream carries the purchase to the enrolment function
        List<Map<String, Object>> enrolments = List.of();
        for (int i = 0; i < 100 && enrolments.isEmpty(); i++) {
            Thread.sleep(100);
            enrolments = (List<Map<String, Object>>) ok(send("GET", "/v1/journeys/" + journey + "/enrollments?contactId=" + contact,
                    admin, null), 200).get("items");
        }
        assertEquals(1, enrolments.size(), "enrolled once");
        assertEquals("active", enrolments.get(0).get("status"));
        assertEquals(List.of(), outboxTo(address), "nothing before the wait is over");

        ok(send("POST", "/_local/clock", null, "{\"advanceBy\": \"P2DT1M\"}"), 200);
        List<Map<String, Object>> sent = outboxTo(address);
        for (int i = 0; i < 50 && sent.isEmpty(); i++) {
            Thread.sleep(100);
            sent = outboxTo(address);
        }
        assertEquals(1, sent.size(), "one offer: " + sent);
        assertEquals("An offer for Ann", sent.get(0).get("subject"));
        var after = (List<Map<String, Object>>) ok(send("GET", "/v1/journeys/" + journey + "/enrollments?contactId=" + contact,
                admin, null), 200).get("items");
        assertEquals("completed", after.get(0).get("status"), after.toString());
        assertTrue(((Number) ok(send("GET", "/v1/journeys/" + journey + "/stats", admin, null), 200).get("sent")).longValue() == 1);
    }

    @Test
    void aBirthdayJourneySendsAtTheOccurrenceWhenTheClockReachesIt() throws Exception {
        String admin = (String) ok(send("POST", "/v1/tenants", runner.operatorKey(), "{\"name\": \"Birthdays\", \"slug\": \"journeys-dates\"}"),
                201).get("apiKey");
        ok(send("POST", "/v1/topics", admin, "{\"key\": \"offers\", \"name\": \"Offers\"}"), 201);
        // three days after the runner's now (the other test may have moved it), at 10:00 UTC
        java.time.LocalDate day = java.time.Instant.parse((String) json(send("GET", "/_local/clock", null, null)).get("now"))
                .atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(3);
        String birthday = (day.getMonthValue() == 2 && day.getDayOfMonth() == 29 ? day.plusDays(1) : day).withYear(1990).toString();
        java.time.Instant occurrence = java.time.LocalDate.parse(birthday).withYear(day.getYear()).atTime(10, 0)
                .toInstant(java.time.ZoneOffset.UTC);
        String address = "birthday-bea@example.com";
        String contact = (String) ok(send("POST", "/v1/contacts", admin, "{\"firstName\": \"Bea\", \"email\": \"" + address
                + "\", \"timeZone\": \"UTC\", \"attributes\": {\"birthday\": \"" + birthday + "\"}}"), 201).get("id");
        String path = "/v1/contacts/" + contact + "/preferences";
        String etag = send("GET", path, admin, null).headers().firstValue("ETag").orElseThrow();
        ok(send("PUT", path, admin, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {\"offers\": \"opted_in\"}}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}", "If-Match", etag), 200);
        String journey = (String) ok(send("POST", "/v1/journeys", admin, "{\"name\": \"Happy birthday\", \"trigger\": {\"date\":"
                + " \"attributes.birthday\", \"offsetDays\": 0, \"at\": \"10:00\"}, \"entry\": {\"mode\": \"once\"}, \"steps\":"
                + " [{\"send\": {\"channel\": \"email\", \"topic\": \"offers\", \"template\": {\"subject\": \"Happy birthday,"
                + " {{contact.firstName}}\", \"text\": \"Hello {{contact.firstName}}\"}}}]}"), 201).get("id");
        ok(send("POST", "/v1/journeys/" + journey + "/activate", admin, null), 200);
        // a minute on: the sweep runs before the answer, and the activation's scan schedules Bea's occurrence
        ok(send("POST", "/_local/clock", null, "{\"advanceBy\": \"PT1M\"}"), 200);

        ok(send("POST", "/_local/clock", null, "{\"set\": \"" + occurrence + "\"}"), 200);
        List<Map<String, Object>> sent = outboxTo(address);
        for (int i = 0; i < 50 && sent.isEmpty(); i++) {
            Thread.sleep(100);
            sent = outboxTo(address);
        }
        assertEquals(1, sent.size(), "one birthday message: " + sent);
        assertEquals("Happy birthday, Bea", sent.get(0).get("subject"));
    }
}
