package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds, over HTTP and only through the API, everything the browser tests look at: a tenant with
 * read and write keys, topics, contacts with preferences and their preference-centre tokens, surveys
 * with responses, and a churn run that raises an alert for a customer whose name is markup; and a
 * second tenant with nothing in it, for the dashboard's empty states.
 */
final class BrowserFixture {
    /** A contact name that would run script if a page rendered it as HTML. */
    static final String XSS_FIRST_NAME = "<img src=x onerror=alert(1)>";
    static final String XSS_LAST_NAME = "<script>alert(2)</script>";
    static final String CUSTOM_SURVEY_TITLE = "Product feedback <script>alert('title')</script>";

    private final String url;
    private final String operatorKey;
    private final HttpClient http = HttpClient.newHttpClient();
    private String writeKey;

    BrowserFixture(String url, String operatorKey) {
        this.url = url;
        this.operatorKey = operatorKey;
    }

    /** @return what the browser suite needs, passed to it as JSON */
    Map<String, Object> seed() throws Exception {
        String slug = "outdoor-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = (String) created(send("POST", "/v1/tenants", operatorKey,
                "{\"name\": \"Acme Outdoor\", \"slug\": \"" + slug + "\"}", Map.of())).get("apiKey");
        writeKey = (String) created(send("POST", "/v1/tenant/keys", admin,
                "{\"scope\": \"write\", \"name\": \"browser-test-back-office\"}", Map.of())).get("apiKey");
        String readKey = (String) created(send("POST", "/v1/tenant/keys", admin,
                "{\"scope\": \"read\", \"name\": \"dashboard\"}", Map.of())).get("apiKey");

        created(post("/v1/topics", "{\"key\": \"newsletter\", \"name\": \"Newsletter\","
                + " \"description\": \"Stories and tips, once a month\"}"));
        created(post("/v1/topics", "{\"key\": \"offers\", \"name\": \"Offers\", \"description\": \"Sales and discounts\"}"));

        String pat = contact("{\"firstName\": \"Pat\", \"lastName\": \"Walker\", \"email\": \"pat@example.com\","
                + " \"timeZone\": \"Europe/London\"}");
        putPreferences(pat, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                + " {\"newsletter\": \"opted_in\", \"offers\": \"opted_out\"}}}, \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}");
        String sam = contact("{\"firstName\": \"Sam\", \"email\": \"sam@example.com\"}");
        putPreferences(sam, "{\"channels\": {\"email\": {\"status\": \"opted_in\", \"topics\":"
                + " {\"newsletter\": \"opted_in\", \"offers\": \"opted_in\"}}, \"sms\": {\"status\": \"opted_in\"}},"
                + " \"legalBasis\": \"consent\", \"source\": \"crm-ui\"}");

        // Customers for the churn run: a valuable one who stopped buying (raises an alert) and whose
        // name is markup, and regular buyers for a risk distribution.
        String lapsed = contact("{\"firstName\": " + quote(XSS_FIRST_NAME) + ", \"lastName\": " + quote(XSS_LAST_NAME)
                + ", \"email\": \"lapsed@example.com\", \"company\": \"Bigcorp & Sons\"}");
        for (int month = 1; month <= 6; month++) {
            purchase(lapsed, "lp" + month, String.format("2026-%02d-15T10:00:00Z", month), "100");
        }
        String regular = contact("{\"firstName\": \"Rita\", \"lastName\": \"Regular\", \"email\": \"rita@example.com\"}");
        for (int month = 1; month <= 11; month++) {
            purchase(regular, "rg" + month, String.format("2026-%02d-05T10:00:00Z", month), "40");
        }
        String occasional = contact("{\"firstName\": \"Oscar\", \"email\": \"oscar@example.com\"}");
        purchase(occasional, "oc1", "2026-03-01T10:00:00Z", "25");
        purchase(occasional, "oc2", "2026-10-20T10:00:00Z", "30");
        finished(send("POST", "/v1/churn-runs", writeKey, "{}", Map.of()));

        String nps = (String) created(post("/v1/surveys", "{\"kind\": \"nps\", \"title\": \"How are we doing?\","
                + " \"rateLimit\": {\"perClientPerMinute\": 1000}, \"questions\": ["
                + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"How likely are you to recommend Acme Outdoor to a friend or colleague?\"},"
                + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"What is the main reason for your score?\", \"maxLength\": 500}]}"))
                .get("id");
        String csat = (String) created(post("/v1/surveys", "{\"kind\": \"csat\", \"title\": \"Your delivery\","
                + " \"rateLimit\": {\"perClientPerMinute\": 1000}}")).get("id");
        String custom = (String) created(post("/v1/surveys", "{\"kind\": \"custom\", \"title\": " + quote(CUSTOM_SURVEY_TITLE) + ","
                + " \"rateLimit\": {\"perClientPerMinute\": 1000}, \"questions\": ["
                + "{\"id\": \"product\", \"type\": \"single_choice\", \"label\": \"Which product did you buy?\", \"required\": true,"
                + " \"options\": [{\"value\": \"tent\", \"label\": \"Tent\"}, {\"value\": \"stove\", \"label\": \"Camping stove <b>\"}]},"
                + "{\"id\": \"uses\", \"type\": \"multi_choice\", \"label\": \"What do you use it for?\", \"maxSelected\": 2,"
                + " \"options\": [{\"value\": \"hiking\", \"label\": \"Hiking\"}, {\"value\": \"camping\", \"label\": \"Camping\"},"
                + " {\"value\": \"festivals\", \"label\": \"Festivals\"}]},"
                + "{\"id\": \"ease\", \"type\": \"score\", \"label\": \"How easy was it to set up?\", \"min\": 1, \"max\": 5, \"required\": true},"
                + "{\"id\": \"comment\", \"type\": \"text\", \"label\": \"Anything else?\", \"maxLength\": 200}]}")).get("id");
        for (int score : new int[] {10, 10, 9, 9, 9, 8, 7, 6, 4, 0}) {
            respond(nps, "{\"answers\": {\"score\": " + score + "}}");
        }
        for (int score : new int[] {5, 5, 4, 4, 3, 2, 1}) {
            respond(csat, "{\"answers\": {\"score\": " + score + "}}");
        }

        // A second tenant with nothing in it, for the dashboard's empty states.
        String emptyAdmin = (String) created(send("POST", "/v1/tenants", operatorKey,
                "{\"name\": \"Empty Co\", \"slug\": \"empty-" + UUID.randomUUID().toString().substring(0, 8) + "\"}", Map.of()))
                .get("apiKey");
        String emptyReadKey = (String) created(send("POST", "/v1/tenant/keys", emptyAdmin,
                "{\"scope\": \"read\", \"name\": \"dashboard\"}", Map.of())).get("apiKey");

        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put("url", url);
        fixture.put("slug", slug);
        fixture.put("readKey", readKey);
        fixture.put("emptyReadKey", emptyReadKey);
        fixture.put("writeKey", writeKey);
        fixture.put("prefContactId", pat);
        fixture.put("prefToken", preferenceToken(pat));
        fixture.put("unsubContactId", sam);
        fixture.put("unsubToken", preferenceToken(sam));
        fixture.put("xssContactId", lapsed);
        fixture.put("xssFirstName", XSS_FIRST_NAME);
        fixture.put("npsSurveyId", nps);
        fixture.put("csatSurveyId", csat);
        fixture.put("customSurveyId", custom);
        fixture.put("customSurveyTitle", CUSTOM_SURVEY_TITLE);
        return fixture;
    }

    private String contact(String body) throws Exception {
        return (String) created(post("/v1/contacts", body)).get("id");
    }

    private void purchase(String contact, String id, String at, String amount) throws Exception {
        created(post("/v1/contacts/" + contact + "/interactions", "{\"id\": \"" + id + "\", \"type\": \"purchase\","
                + " \"occurredAt\": \"" + at + "\", \"value\": {\"amount\": \"" + amount + "\"}}"));
    }

    private void putPreferences(String contact, String body) throws Exception {
        var r = send("PUT", "/v1/contacts/" + contact + "/preferences", writeKey, body, Map.of("If-Match", "\"0\""));
        assertEquals(200, r.statusCode(), r.body());
    }

    /** The token of the preference-centre link the product would put in a message. */
    private String preferenceToken(String contact) throws Exception {
        var r = send("GET", "/v1/contacts/" + contact + "/links", writeKey, null, Map.of());
        assertEquals(200, r.statusCode(), r.body());
        String link = (String) json(r).get("preferenceCentreUrl");
        URI uri = URI.create(link);
        assertEquals(url + "/preferences.html", link.substring(0, link.indexOf('?')), "the link opens web/preferences.html");
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.startsWith("token=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no token in " + link);
    }

    private void respond(String survey, String body) throws Exception {
        var r = send("POST", "/v1/public/surveys/" + survey + "/responses", null, body,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(201, r.statusCode(), r.body());
    }

    @SuppressWarnings("unchecked")
    private void finished(HttpResponse<String> started) throws Exception {
        assertEquals(202, started.statusCode(), started.body());
        String location = started.headers().firstValue("Location").orElseThrow();
        Map<String, Object> job = Map.of();
        for (int i = 0; i < 600; i++) {
            job = json(send("GET", location, writeKey, null, Map.of()));
            if ("succeeded".equals(job.get("status")) || "failed".equals(job.get("status"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("succeeded", job.get("status"), job.toString());
        assertEquals(true, ((Map<String, Object>) job.get("result")).get("alerts") instanceof Number n && n.longValue() > 0,
                "the run raised an alert: " + job);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, writeKey, body, Map.of());
    }

    private static Map<String, Object> created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return json(r);
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body, Map<String, String> headers)
            throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    private static String quote(String s) {
        return Json.write(s);
    }

    static List<String> screenshotsForDocs() {
        // the dashboard's picture comes from the demo (DemoBusinessIT): no test payloads in the README
        return List.of("preferences.png", "survey.png");
    }
}
