package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flows that cross functions, end to end over HTTP through the local runner: touch points recorded
 * by contacts feed the churn run (through the table stream), and its scores reach the 360° view.
 */
class CrossFunctionIT {
    static LocalRunner runner;
    String key;
    String slug;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", "crm_op_crossfunctionoperatorkey0123456789"));
    }

    /** Each test is its own tenant, so one test's customers never enter another's run. */
    @org.junit.jupiter.api.BeforeEach
    void tenant() throws Exception {
        slug = "shop-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        var r = send("POST", "/v1/tenants", runner.operatorKey(), "{\"name\": \"Shop\", \"slug\": \"" + slug + "\"}");
        key = (String) json(r).get("apiKey");
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(runner.url() + path)).header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    String contact(String name) throws Exception {
        var r = send("POST", "/v1/contacts", key, "{\"firstName\": \"" + name + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return (String) json(r).get("id");
    }

    void purchase(String contact, String id, String at, String amount) throws Exception {
        var r = send("POST", "/v1/contacts/" + contact + "/interactions", key, "{\"id\": \"" + id
                + "\", \"type\": \"purchase\", \"occurredAt\": \"" + at + "\", \"value\": {\"amount\": \"" + amount + "\"}}");
        assertEquals(201, r.statusCode(), r.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> finished(HttpResponse<String> started) throws Exception {
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        Map<String, Object> job = Map.of();
        for (int i = 0; i < 300; i++) {
            job = json(send("GET", location, key, null));
            if ("succeeded".equals(job.get("status")) || "failed".equals(job.get("status"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("succeeded", job.get("status"), job.toString());
        return (Map<String, Object>) job.get("result");
    }

    @Test
    @SuppressWarnings("unchecked")
    void purchasesFeedTheChurnRunAndABacktestIgnoresLaterPurchases() throws Exception {
        String early = contact("Early");
        purchase(early, "e1", "2026-01-10T10:00:00Z", "20");
        purchase(early, "e2", "2026-03-10T10:00:00Z", "30");
        String both = contact("Both");
        purchase(both, "b1", "2026-02-01T10:00:00Z", "15");
        purchase(both, "b2", "2026-05-01T10:00:00Z", "15");
        purchase(both, "b3", "2026-09-01T10:00:00Z", "15");
        String late = contact("Late");
        purchase(late, "l1", "2026-08-01T10:00:00Z", "99");

        Map<String, Object> backtest = finished(send("POST", "/v1/churn-runs", key, "{\"asOf\": \"2026-06-30\"}"));
        assertEquals(true, backtest.get("backtest"));
        assertEquals(2L, backtest.get("customers"), "the customer whose first purchase is after asOf is left out");
        assertEquals(2L, backtest.get("repeatPurchaseDays"), "Early's second day and Both's second day; b3 is after asOf");
        var before = json(send("GET", "/v1/contacts/" + both + "?view=360", key, null));
        assertNull(before.get("churnScore"), "a backtest writes nothing but its own result");

        Map<String, Object> run = finished(send("POST", "/v1/churn-runs", key, "{}"));
        assertEquals(3L, run.get("scored"));
        assertEquals(true, ((Map<String, Object>) run.get("model")).get("fallbackRule"), "three customers: the documented rule");
        var after = json(send("GET", "/v1/contacts/" + both + "?view=360", key, null));
        Map<String, Object> score = (Map<String, Object>) after.get("churnScore");
        assertNotNull(score);
        assertNotNull(score.get("riskTier"));
        assertEquals(1L, after.get("version"), "scoring never bumps the contact's version");

        var summary = json(send("GET", "/v1/churn-scores/summary", key, null));
        Map<String, Object> tiers = (Map<String, Object>) summary.get("riskTiers");
        assertEquals(3L, tiers.values().stream().mapToLong(v -> ((Number) v).longValue()).sum());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aValuableCustomerWhoStoppedBuyingRaisesAnAlertThatIsPublished() throws Exception {
        String lapsed = contact("Lapsed");
        for (int i = 1; i <= 6; i++) {
            purchase(lapsed, "lp" + i, "2026-0" + i + "-15T10:00:00Z", "100");
        }
        finished(send("POST", "/v1/churn-runs", key, "{}"));
        var alerts = json(send("GET", "/v1/churn-alerts?status=open", key, null));
        Map<String, Object> alert = ((java.util.List<Map<String, Object>>) alerts.get("items")).stream()
                .filter(a -> lapsed.equals(a.get("contactId"))).findFirst().orElseThrow();
        assertEquals("high", alert.get("riskTier"));
        // announced from the table stream (the alert's decoder stores it, the fan-out puts it on the bus)
        boolean published = false;
        for (int i = 0; i < 100 && !published; i++) {
            var events = (java.util.List<Map<String, Object>>) json(http.send(HttpRequest.newBuilder(
                    URI.create(runner.url() + "/_local/events")).build(), HttpResponse.BodyHandlers.ofString())).get("items");
            published = events.stream().anyMatch(e -> "churn_alert.raised".equals(e.get("detailType"))
                    && alert.get("id").equals(((Map<String, Object>) ((Map<String, Object>) e.get("detail")).get("data")).get("id")));
            Thread.sleep(100);
        }
        assertEquals(true, published);
    }

    @Test
    void anErasureRunsThroughTheStreamAndTheContactIsGone() throws Exception {
        String c = contact("Gone");
        purchase(c, "g1", "2026-11-01T10:00:00Z", "5");
        var started = send("DELETE", "/v1/contacts/" + c, key, null);
        finished(started);
        assertEquals(404, send("GET", "/v1/contacts/" + c, key, null).statusCode());
    }

    Map<String, Object> decide(String contact, String messageClass) throws Exception {
        var r = send("POST", "/v1/contacts/" + contact + "/contact-decisions", key,
                "{\"channel\": \"email\", \"messageClass\": \"" + messageClass + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    void optInByStaff(String contact) throws Exception {
        String path = "/v1/contacts/" + contact + "/preferences";
        String etag = send("GET", path, key, null).headers().firstValue("ETag").orElseThrow();
        var r = http.send(HttpRequest.newBuilder(URI.create(runner.url() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("If-Match", etag)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\": {}}},"
                        + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anErasedAddressGetsNoMarketingUntilItsOwnerConfirmsADoubleOptIn() throws Exception {
        String email = "ann-" + slug + "@example.com";
        var first = send("POST", "/v1/contacts", key, "{\"firstName\": \"Ann\", \"email\": \"" + email + "\"}");
        String erased = (String) json(first).get("id");
        optInByStaff(erased);
        assertEquals(true, decide(erased, "marketing").get("allowed"));
        finished(send("DELETE", "/v1/contacts/" + erased, key, null));

        // the address comes back on a new contact, with consent recorded by staff (an old list, say)
        var again = send("POST", "/v1/contacts", key, "{\"firstName\": \"Ann\", \"email\": \"" + email + "\"}");
        assertEquals(201, again.statusCode(), again.body());
        String back = (String) json(again).get("id");
        optInByStaff(back);
        Map<String, Object> refused = decide(back, "marketing");
        assertEquals(false, refused.get("allowed"));
        assertEquals("suppressed", refused.get("reason"));
        assertNull(refused.get("nextAllowedAt"), "time alone never lifts it");
        assertEquals(true, decide(back, "transactional").get("allowed"), "receipts still go out");

        // the owner subscribes on the website and confirms from their mailbox
        var subscribed = http.send(HttpRequest.newBuilder(URI.create(runner.url() + "/v1/public/t/" + slug + "/subscribe"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "resubscribe-" + slug)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"" + email + "\", \"channel\": \"email\", \"topics\": []}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, subscribed.statusCode(), subscribed.body());
        String text = null;
        for (Object o : (java.util.List<Object>) json(http.send(HttpRequest.newBuilder(URI.create(runner.url() + "/_local/outbox"))
                .build(), HttpResponse.BodyHandlers.ofString())).get("items")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (email.equals(m.get("to"))) {
                text = (String) m.get("text");
            }
        }
        assertNotNull(text, "a confirmation was sent although the contact was opted in already");
        var token = java.util.regex.Pattern.compile("token=([A-Za-z0-9._~%-]+)").matcher(text);
        assertEquals(true, token.find(), text);
        var confirmed = http.send(HttpRequest.newBuilder(URI.create(runner.url() + "/v1/public/confirm"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        assertEquals(true, decide(back, "marketing").get("allowed"));
    }
}
