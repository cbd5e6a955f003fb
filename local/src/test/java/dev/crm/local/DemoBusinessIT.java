package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.SamTemplate;
import dev.crm.shared.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --demo} seeds the demo tenant (the small size, same shape as the full demo; {@code -Dcrm.demo.full=true}
 * for the full one): what a newcomer sees is there, counted through the API with the dashboard's read key,
 * and on the dashboard in Chromium. With {@code -Dcrm.demo.full=true -Dcrm.screenshots.update=true} it
 * takes the README's dashboard picture.
 */
class DemoBusinessIT {
    static LocalRunner runner;
    static DemoBusiness.Seeded seeded;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(new Options(0, true, null, SamTemplate.locate(), List.of(), false, true),
                Map.of("CRM_OPERATOR_KEY", "crm_op_demooperatorkey0123456789abcdefghij", LocalRunner.DEMO_SIZE_SETTING,
                        Boolean.getBoolean("crm.demo.full") ? "full" : "small"));
        seeded = runner.demo();
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> get(String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(runner.url() + path)).header("Authorization", "Bearer " + seeded.readKey())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return (Map<String, Object>) Json.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    static int count(String path) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            var page = get(path + (path.contains("?") ? "&" : "?") + "limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            n += ((List<Object>) page.get("items")).size();
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return n;
    }

    @Test
    void theDemoTenantHoldsALivingBusiness() throws Exception {
        assertNotNull(seeded, "the demo was seeded");
        var size = Boolean.getBoolean("crm.demo.full") ? DemoBusiness.Size.FULL : DemoBusiness.Size.SMALL;
        assertEquals(size.contacts(), count("/v1/contacts"));
        assertEquals(size.contacts(), seeded.contacts());
        assertEquals(size.cases(), count("/v1/cases"));
        assertTrue(count("/v1/churn-alerts?status=open") > 0, "the churn run left open alerts");
        assertTrue(seeded.purchases() > size.histories(), "whole histories, not one purchase each: " + seeded.purchases());
        assertTrue(seeded.consentChanges() > 0 && seeded.consentChanges() <= size.consentChanges());
    }

    /** The dashboard on the demo, in Chromium (web/tests/demo.test.mjs): the README's dashboard picture. */
    @Test
    void theDashboardShowsTheDemo() throws Exception {
        BrowserIT.ensureChromium();
        BrowserIT.ensureNode();
        BrowserIT.ensureNodePackages();
        java.nio.file.Files.createDirectories(BrowserIT.RESULTS);
        Map<String, Object> fixture = new java.util.LinkedHashMap<>();
        fixture.put("url", runner.url());
        fixture.put("readKey", seeded.readKey());
        fixture.put("npsSurveyId", seeded.npsSurveyId());
        fixture.put("csatSurveyId", seeded.csatSurveyId());
        fixture.put("resultsDir", BrowserIT.RESULTS.toString());
        assertEquals(0, BrowserIT.runNode("demo.test.mjs", Json.write(fixture)), "the demo's dashboard test failed: see its output above");
        BrowserIT.publishScreenshot("demo-dashboard.png", "dashboard.png");
    }

    @Test
    @SuppressWarnings("unchecked")
    void twelveWeeksOfSurveyResponsesEndToday() throws Exception {
        long total = 0;
        int weeksWithResponses = 0;
        for (String survey : List.of(seeded.npsSurveyId(), seeded.csatSurveyId())) {
            // what the dashboard asks: the last twelve ISO weeks
            var results = get("/v1/surveys/" + survey + "/results?interval=week");
            total += ((Number) results.get("responses")).longValue();
            if (survey.equals(seeded.npsSurveyId())) {
                for (Object o : (List<Object>) results.get("intervals")) {
                    if (((Number) ((Map<String, Object>) o).get("responses")).longValue() > 0) {
                        weeksWithResponses++;
                    }
                }
            }
        }
        assertEquals(seeded.responses(), total, "every response counted");
        assertTrue(weeksWithResponses == 12, "responses in every one of the twelve weeks: " + weeksWithResponses);
        // the clock is back at the real now and ticks on
        var clock = (Map<String, Object>) Json.parse(http.send(HttpRequest.newBuilder(URI.create(runner.url() + "/_local/clock")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Instant now = Instant.parse((String) clock.get("now"));
        assertTrue(Duration.between(Instant.now(), now).abs().compareTo(Duration.ofMinutes(1)) < 0, clock.toString());
    }
}
