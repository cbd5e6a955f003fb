package dev.crm.surveys;

import static dev.crm.surveys.SurveyFixture.as;
import static dev.crm.surveys.SurveyFixture.onSurvey;
import static dev.crm.surveys.SurveyFixture.score;
import static dev.crm.surveys.SurveyFixture.submission;
import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.SurveyKeys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.ResponseIds;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.store.dynamodb.SurveyTableKeys;
import dev.crm.devkit.ApiEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The surveys function through its real handler against DynamoDB Local. */
class SurveysHandlerIT {
    static final ExecutorService POOL = Executors.newFixedThreadPool(16);
    static final String ORIGIN = "https://www.acme.example";
    static final String NPS = "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"rateLimit\": {\"perClientPerMinute\": 10000}}";
    static final String NPS_WITH_EXTRAS = "{\"kind\": \"nps\", \"title\": \"How did we do?\", "
            + "\"rateLimit\": {\"perClientPerMinute\": 10000}, \"questions\": ["
            + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"Recommend us?\"},"
            + "{\"id\": \"reason\", \"type\": \"single_choice\", \"label\": \"Main reason\", \"options\": ["
            + "  {\"value\": \"fast\", \"label\": \"Fast\"}, {\"value\": \"friendly\", \"label\": \"Friendly\"}]},"
            + "{\"id\": \"channels\", \"type\": \"multi_choice\", \"label\": \"Channels\", \"maxSelected\": 2, \"options\": ["
            + "  {\"value\": \"email\", \"label\": \"E-mail\"}, {\"value\": \"phone\", \"label\": \"Phone\"},"
            + "  {\"value\": \"chat\", \"label\": \"Chat\"}]},"
            + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"Anything else?\", \"maxLength\": 20}]}";

    private final SurveyFixture f = new SurveyFixture("2026-11-24T10:00:10Z");
    private final TenantId tenant = f.tenant("{\"allowedOrigins\": [\"" + ORIGIN + "\"], \"defaultTimeZone\": \"Europe/London\"}");

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return f.call(e);
    }

    private Map<String, Object> results(String surveyId, String... query) {
        return f.results(tenant, surveyId, query);
    }

    // ---- definitions ----

    @Test
    @SuppressWarnings("unchecked")
    void aSurveyIsCreatedReadListedAndPatchedUnderIfMatch() {
        var r = call(as(tenant, "POST", "/v1/surveys").json("{\"kind\": \"nps\", \"title\": \"Q4 pulse\"}"));
        status(r, 201);
        Map<String, Object> s = body(r);
        String id = (String) s.get("id");
        assertTrue(id.startsWith("srv_"));
        assertEquals("/v1/surveys/" + id, header(r, "Location"));
        assertEquals("\"1\"", header(r, "ETag"));
        List<Map<String, Object>> questions = (List<Map<String, Object>>) s.get("questions");
        assertEquals(1, questions.size(), "an nps survey without questions gets its standard score question");
        assertEquals("score", questions.get(0).get("id"));
        assertEquals(0L, questions.get(0).get("min"));
        assertEquals(10L, questions.get(0).get("max"));
        assertEquals(true, s.get("allowAnonymous"));
        assertEquals("reject", s.get("duplicatePolicy"));
        assertEquals(Map.of("perClientPerMinute", 30L), s.get("rateLimit"));

        var get = call(onSurvey(tenant, "GET", "/v1/surveys/{id}", id).as(tenant, Scope.READ));
        status(get, 200);
        assertEquals(s, body(get));
        assertEquals("\"1\"", header(get, "ETag"));

        // PATCH: If-Match required, checked, and the version moves on
        problem(call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).json("{\"title\": \"x\"}")), 428, "precondition-required");
        problem(call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"7\"").json("{\"title\": \"x\"}")),
                412, "precondition-failed");
        var patched = call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"1\"")
                .body("application/merge-patch+json", "{\"title\": \"Q4 pulse (EU)\", \"id\": \"" + id + "\", "
                        + "\"closesAt\": \"2026-12-31T23:00:00+01:00\", \"rateLimit\": {\"perClientPerMinute\": 5}}"));
        status(patched, 200);
        assertEquals("\"2\"", header(patched, "ETag"));
        assertEquals("Q4 pulse (EU)", body(patched).get("title"));
        assertEquals("2026-12-31T22:00:00Z", body(patched).get("closesAt"));
        assertEquals(Map.of("perClientPerMinute", 5L), body(patched).get("rateLimit"));
        problem(call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"1\"").json("{\"title\": \"y\"}")),
                412, "precondition-failed");
        var badPatch = call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"2\"")
                .json("{\"kind\": \"csat\", \"colour\": \"red\", \"version\": 9, \"title\": null}"));
        problem(badPatch, 400, "validation-error");
        assertEquals(Set.of("/kind", "/colour", "/version", "/title"), new HashSet<>(pointers(badPatch)));
        assertEquals("Q4 pulse (EU)", body(call(onSurvey(tenant, "GET", "/v1/surveys/{id}", id))).get("title"),
                "a rejected patch changes nothing");

        // the list pages newest first with signed cursors
        f.clock.advance(Duration.ofSeconds(1));
        String second = f.survey(tenant, "{\"kind\": \"csat\", \"title\": \"Support\"}");
        var page1 = call(as(tenant, "GET", "/v1/surveys").query("limit", "1"));
        status(page1, 200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) body(page1).get("items");
        assertEquals(List.of(second), items.stream().map(i -> i.get("id")).toList());
        String cursor = (String) body(page1).get("nextCursor");
        assertNotNull(cursor);
        var page2 = call(as(tenant, "GET", "/v1/surveys").query("limit", "1").query("cursor", cursor));
        assertEquals(id, ((List<Map<String, Object>>) body(page2).get("items")).get(0).get("id"));
        problem(call(as(tenant, "GET", "/v1/surveys").query("cursor", cursor + "x")), 400, "invalid-cursor");
        problem(call(as(f.tenant(), "GET", "/v1/surveys").query("cursor", cursor)), 400, "invalid-cursor");
        var unknown = call(as(tenant, "GET", "/v1/surveys").query("status", "open"));
        problem(unknown, 400, "validation-error");
        assertEquals(List.of("status"), pointers(unknown));
        problem(call(as(tenant, "GET", "/v1/surveys").query("limit", "0")), 400, "validation-error");
    }

    @Test
    void badDefinitionsAreRejectedWithPointersAndWriteNothing() {
        var r = call(as(tenant, "POST", "/v1/surveys").json("{\"kind\": \"nps\", \"title\": \"\", \"tenantId\": \""
                + tenant.value() + "\", \"duplicatePolicy\": \"keep\", \"rateLimit\": {\"perClientPerMinute\": 0},"
                + " \"opensAt\": \"2026-12-01T00:00:00Z\", \"closesAt\": \"2026-11-01T00:00:00Z\","
                + " \"questions\": [{\"id\": \"score\", \"type\": \"score\", \"label\": \"L\", \"min\": 1, \"max\": 5}]}"));
        problem(r, 400, "validation-error");
        assertEquals(Set.of("/title", "/tenantId", "/duplicatePolicy", "/rateLimit/perClientPerMinute", "/closesAt",
                "/questions/0/min", "/questions/0/max"), new HashSet<>(pointers(r)));
        var custom = call(as(tenant, "POST", "/v1/surveys").json("{\"kind\": \"custom\", \"title\": \"T\"}"));
        assertEquals(List.of("/questions"), pointers(custom));
        problem(call(as(tenant, "POST", "/v1/surveys").json("{\"kind\": ")), 400, "malformed-json");
        problem(call(as(tenant, "POST", "/v1/surveys").body("text/plain", NPS)), 415, "unsupported-media-type");
        problem(call(as(tenant, "POST", "/v1/surveys").as(tenant, Scope.READ).json(NPS)), 403, "forbidden");
        var list = call(as(tenant, "GET", "/v1/surveys"));
        assertEquals(List.of(), body(list).get("items"), "nothing was created");
    }

    @Test
    void creatingWithAnIdempotencyKeyIsDoneOnce() {
        var first = call(as(tenant, "POST", "/v1/surveys").header("Idempotency-Key", "create-1").json(NPS));
        status(first, 201);
        var again = call(as(tenant, "POST", "/v1/surveys").header("Idempotency-Key", "create-1").json(NPS));
        status(again, 201);
        assertEquals(first.getBody(), again.getBody());
        assertEquals("true", header(again, "Idempotent-Replayed"));
        problem(call(as(tenant, "POST", "/v1/surveys").header("Idempotency-Key", "create-1")
                .json("{\"kind\": \"ces\", \"title\": \"T\"}")), 422, "idempotency-key-reused");
        assertEquals(1, ((List<?>) body(call(as(tenant, "GET", "/v1/surveys"))).get("items")).size());
    }

    // ---- the public form and submissions ----

    @Test
    @SuppressWarnings("unchecked")
    void thePublicFormShowsWhatAFormNeedsAndNothingOfTheTenant() {
        String id = f.survey(tenant, NPS_WITH_EXTRAS);
        var r = call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", id));
        status(r, 200);
        Map<String, Object> form = body(r);
        assertEquals(id, form.get("id"));
        assertEquals("open", form.get("state"));
        assertEquals(4, ((List<?>) form.get("questions")).size());
        assertFalse(r.getBody().contains(tenant.value()), "no tenant id in a public answer");
        assertFalse(form.containsKey("rateLimit"));
        assertFalse(form.containsKey("duplicatePolicy"));
        assertEquals(Set.of("id", "kind", "title", "questions", "state", "opensAt", "closesAt", "allowAnonymous"),
                ((Map<String, Object>) form).keySet());
        problem(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", Survey.newId())), 404, "not-found");
        problem(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", "nonsense")), 404, "not-found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSubmissionIsStoredOnceAndCountedAtOnce() {
        String id = f.survey(tenant, NPS_WITH_EXTRAS);
        var r = f.submit(id, "{\"answers\": {\"score\": 9, \"reason\": \"fast\", \"channels\": [\"chat\", \"email\"], "
                + "\"why\": \"fast <b>support</b>\"}, \"website\": \"\"}");
        status(r, 201);
        Map<String, Object> receipt = body(r);
        assertEquals(Set.of("id", "surveyId", "submittedAt"), receipt.keySet());
        assertEquals(id, receipt.get("surveyId"));
        assertEquals("2026-11-24T10:00:10Z", receipt.get("submittedAt"));

        var items = f.responseItems(tenant, id);
        assertEquals(1, items.size());
        var item = items.get(0);
        assertEquals(receipt.get("id"), Attr.str(item, "responseId"));
        assertEquals(Map.of("score", 9L, "reason", "fast", "channels", List.of("chat", "email")), Attr.map(item, "answers"));
        assertEquals(Map.of("texts", Map.of("why", "fast <b>support</b>")), Attr.map(item, "personal"),
                "free text is stored as given, under personal");
        assertNull(item.get("contactId"));

        Map<String, Object> res = results(id);
        assertEquals(1L, res.get("responses"));
        assertEquals(1L, res.get("promoters"));
        assertEquals(0, new java.math.BigDecimal("100.0").compareTo(new java.math.BigDecimal(res.get("nps").toString())));
        assertEquals(Map.of("fast", 1L, "friendly", 0L), ((Map<String, Object>) res.get("choices")).get("reason"));
        assertEquals(Map.of("email", 1L, "phone", 0L, "chat", 1L), ((Map<String, Object>) res.get("choices")).get("channels"));
    }

    @Test
    void eachInvalidSubmissionIs400PointingAtTheAnswerAndStoresNothing() {
        String id = f.survey(tenant, NPS_WITH_EXTRAS);
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"answers\": {\"score\": 9, \"colour\": \"red\"}}", List.of("/answers/colour"));
        cases.put("{\"answers\": {\"score\": 11}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"score\": -1}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"score\": \"9\"}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"score\": 9.5}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"reason\": \"fast\"}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"score\": null}}", List.of("/answers/score"));
        cases.put("{\"answers\": {\"score\": 9, \"reason\": \"cheap\"}}", List.of("/answers/reason"));
        cases.put("{\"answers\": {\"score\": 9, \"channels\": [\"email\", \"fax\"]}}", List.of("/answers/channels/1"));
        cases.put("{\"answers\": {\"score\": 9, \"channels\": [\"email\", \"phone\", \"chat\"]}}", List.of("/answers/channels"));
        cases.put("{\"answers\": {\"score\": 9, \"channels\": \"email\"}}", List.of("/answers/channels"));
        cases.put("{\"answers\": {\"score\": 9, \"why\": \"" + "x".repeat(21) + "\"}}", List.of("/answers/why"));
        cases.put("{\"answers\": {\"score\": 9, \"why\": \"bell\\u0007\"}}", List.of("/answers/why"));
        cases.put("{\"answers\": {\"score\": 9}, \"extra\": 1}", List.of("/extra"));
        cases.put("{\"answers\": {\"score\": 9}, \"respondentToken\": \"\"}", List.of("/respondentToken"));
        cases.put("{\"answers\": [9]}", List.of("/answers"));
        cases.put("{}", List.of("/answers"));
        cases.put("{\"answers\": {\"score\": 42, \"reason\": 1, \"nope\": true}, \"tenantId\": \"" + tenant.value() + "\"}",
                List.of("/tenantId", "/answers/nope", "/answers/score", "/answers/reason"));
        for (var c : cases.entrySet()) {
            var r = f.submit(id, c.getKey());
            problem(r, 400, "validation-error");
            assertEquals(new HashSet<>(c.getValue()), new HashSet<>(pointers(r)), c.getKey());
        }
        problem(f.submit(id, "{\"answers\": {\"score\": 9"), 400, "malformed-json");
        problem(f.submit(id, "[]"), 400, "validation-error");
        problem(call(submission(id, "{\"answers\": {\"score\": 9}, \"x\": \"" + "a".repeat(40_000) + "\"}")), 413,
                "payload-too-large");
        problem(call(submission(id, score(9)).body("text/plain", score(9))), 415, "unsupported-media-type");
        problem(call(submission(id, score(9)).header("Idempotency-Key", "bad\u0001key")), 400, "validation-error");

        String personalOnly = f.survey(tenant, "{\"kind\": \"nps\", \"title\": \"T\", \"allowAnonymous\": false}");
        var anonymous = f.submit(personalOnly, score(9));
        problem(anonymous, 400, "validation-error");
        assertEquals(List.of("/respondentToken"), pointers(anonymous));

        assertEquals(0, f.storedItems(tenant, id), "no response, no counter");
        assertEquals(0, f.storedItems(tenant, personalOnly));
        assertEquals(0L, results(id).get("responses"));
    }

    @Test
    void fiftyConcurrentSubmissionsWithOneKeyStoreOneResponse() throws Exception {
        String id = f.survey(tenant, NPS);
        List<Future<APIGatewayProxyResponseEvent>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(POOL.submit(() -> f.submit(id, score(7), "one-key")));
        }
        Set<String> bodies = new HashSet<>();
        int created = 0;
        int busy = 0;
        for (var c : calls) {
            var r = c.get();
            if (r.getStatusCode() == 201) {
                created++;
                bodies.add(r.getBody());
            } else {
                problem(r, 409, "idempotency-in-progress");
                assertEquals("1", header(r, "Retry-After"));
                busy++;
            }
        }
        assertEquals(50, created + busy);
        assertTrue(created >= 1);
        assertEquals(1, bodies.size(), "every 201 is the same response");
        assertEquals(1, f.responseItems(tenant, id).size());
        assertEquals(1L, results(id).get("responses"));

        var replay = f.submit(id, score(7), "one-key");
        status(replay, 201);
        assertEquals("true", header(replay, "Idempotent-Replayed"));
        assertEquals(bodies.iterator().next(), replay.getBody());
        problem(f.submit(id, score(8), "one-key"), 422, "idempotency-key-reused");
        // keys are scoped to the survey: the same key on another survey is another submission
        String other = f.survey(tenant, NPS);
        status(f.submit(other, score(8), "one-key"), 201);
        assertEquals(1, f.responseItems(tenant, id).size());
        assertEquals(1, f.responseItems(tenant, other).size());
    }

    @Test
    void aFirstAttemptThatStoredItsResponseButNeverSealedItsKeyCannotDuplicate() {
        String id = f.survey(tenant, NPS);
        var first = f.submit(id, score(3), "crash-key");
        status(first, 201);
        String responseId = (String) body(first).get("id");
        assertEquals(ResponseIds.forIdempotencyKey(tenant, id, "crash-key"), responseId);
        // As if the first attempt died after its transaction: its idempotency record is gone (or its lock
        // expired), so the retry runs the submission again, with the same derived response id.
        var scan = f.infra.table().client().scan(software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder()
                .tableName(f.infra.table().name()).filterExpression("begins_with(PK, :p)")
                .expressionAttributeValues(Map.of(":p", Attr.s(Keys.idempotency(tenant, id + "#")))).build());
        assertEquals(1, scan.count());
        f.infra.table().client().deleteItem(DeleteItemRequest.builder().tableName(f.infra.table().name())
                .key(Map.of("PK", scan.items().get(0).get("PK"), "SK", scan.items().get(0).get("SK"))).build());

        var retry = f.submit(id, score(3), "crash-key");
        status(retry, 201);
        assertEquals(first.getBody(), retry.getBody());
        assertEquals("true", header(retry, "Idempotent-Replayed"));
        assertEquals(1, f.responseItems(tenant, id).size());
        assertEquals(1L, results(id).get("responses"));
        assertEquals(1L, results(id).get("detractors"));
    }

    @Test
    void theRateLimitTriggersPerClientAndRecoversInTheNextWindow() {
        String id = f.survey(tenant, "{\"kind\": \"nps\", \"title\": \"T\", \"rateLimit\": {\"perClientPerMinute\": 3}}");
        for (int i = 0; i < 2; i++) {
            status(call(submission(id, score(9)).sourceIp("198.51.100.1")), 201);
        }
        // invalid submissions count too: probing is not free
        problem(call(submission(id, score(99)).sourceIp("198.51.100.1")), 400, "validation-error");
        var limited = call(submission(id, score(9)).sourceIp("198.51.100.1"));
        problem(limited, 429, "rate-limited");
        assertEquals("50", header(limited, "Retry-After"), "the clock is at 10:00:10; the window ends at 10:01:00");
        status(call(submission(id, score(9)).sourceIp("198.51.100.2")), 201);
        f.clock.advance(Duration.ofSeconds(49));
        problem(call(submission(id, score(9)).sourceIp("198.51.100.1")), 429, "rate-limited");
        f.clock.advance(Duration.ofSeconds(1));
        status(call(submission(id, score(9)).sourceIp("198.51.100.1")), 201);
        assertEquals(4L, results(id).get("responses"));
        // the counters hold a pseudonym of the client, never its address
        var scan = f.infra.table().client().scan(software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder()
                .tableName(f.infra.table().name()).filterExpression("begins_with(PK, :p)")
                .expressionAttributeValues(Map.of(":p", Attr.s(SurveyTableKeys.rateWindow(tenant, id, "", 0).split("##")[0])))
                .build());
        assertTrue(scan.count() > 0);
        assertFalse(scan.items().toString().contains("198.51.100"));
        for (var item : scan.items()) {
            assertNotNull(item.get("expiresAt"), "rate counters expire");
        }
    }

    @Test
    void theSurveyWideCapHoldsAcrossClients() {
        SurveyFixture capped = new SurveyFixture("2026-11-24T10:00:10Z", Map.of("SURVEY_SUBMISSIONS_PER_MINUTE", "5"));
        TenantId t = capped.tenant();
        String id = capped.survey(t, NPS);
        for (int i = 0; i < 5; i++) {
            status(capped.call(submission(id, score(9)).sourceIp("203.0.113." + i)), 201);
        }
        var limited = capped.call(submission(id, score(9)).sourceIp("203.0.113.99"));
        problem(limited, 429, "rate-limited");
        assertEquals("50", header(limited, "Retry-After"));
        capped.clock.advance(Duration.ofMinutes(1));
        status(capped.call(submission(id, score(9)).sourceIp("203.0.113.99")), 201);
        assertEquals(6L, capped.results(t, id).get("responses"));
    }

    @Test
    void theHoneypotAnswersLikeASuccessAndStoresNothing() {
        String id = f.survey(tenant, NPS);
        var bot = f.submit(id, "{\"answers\": {\"score\": 10}, \"website\": \"http://spam.example\"}", "bot-key");
        status(bot, 201);
        assertEquals(Set.of("id", "surveyId", "submittedAt"), body(bot).keySet());
        assertTrue(ResponseIds.isId((String) body(bot).get("id")));
        // even answers that would not validate: a bot learns nothing
        status(f.submit(id, "{\"answers\": {\"score\": 99, \"x\": 1}, \"website\": \"x\", \"y\": 2}"), 201);
        assertEquals(0, f.storedItems(tenant, id));
        var scan = f.infra.table().client().scan(software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder()
                .tableName(f.infra.table().name()).filterExpression("contains(PK, :s)")
                .expressionAttributeValues(Map.of(":s", Attr.s(id))).build());
        assertEquals(Set.of(SurveyTableKeys.survey(tenant, id), SurveyKeys.surveyMapping(id)), scan.items().stream().map(i -> i.get("PK").s())
                .collect(java.util.stream.Collectors.toSet()), "no response, counter, rate counter or idempotency record");
        assertEquals(0L, results(id).get("responses"));
        // a blank website is a person who left it alone
        status(f.submit(id, "{\"answers\": {\"score\": 10}, \"website\": \"  \"}"), 201);
        assertEquals(1L, results(id).get("responses"));
    }

    @Test
    void aSurveyOutsideItsWindowIs409Closed() {
        String id = f.survey(tenant, "{\"kind\": \"csat\", \"title\": \"T\", \"opensAt\": \"2026-11-25T00:00:00Z\","
                + " \"closesAt\": \"2026-11-26T00:00:00Z\"}");
        var early = f.submit(id, score(4));
        problem(early, 409, "closed");
        assertTrue(((String) body(early).get("detail")).contains("2026-11-25T00:00:00Z"));
        assertEquals("scheduled", body(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", id))).get("state"));
        f.clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        var recorded = f.submit(id, score(4), "before-closing");
        status(recorded, 201);
        f.clock.set(Instant.parse("2026-11-26T00:00:00Z"));
        problem(f.submit(id, score(4)), 409, "closed");
        var replay = f.submit(id, score(4), "before-closing");
        status(replay, 201);
        assertEquals(recorded.getBody(), replay.getBody(), "a replay answers as the submission did, closed or not");
        assertEquals("closed", body(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", id))).get("state"));
        assertEquals(1, f.responseItems(tenant, id).size());
        // reopening is a change of the definition
        status(call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"1\"")
                .json("{\"closesAt\": null}")), 200);
        status(f.submit(id, score(5)), 201);
    }

    // ---- known contacts ----

    @Test
    @SuppressWarnings("unchecked")
    void aDetractorReachesTheContactsTimelineAndLatestScores() {
        String contactId = f.contact(tenant);
        String nps = f.survey(tenant, NPS_WITH_EXTRAS);
        String token = f.token(tenant, nps, contactId);
        var r = f.submit(nps, "{\"answers\": {\"score\": 3, \"why\": \"slow support\"}, \"respondentToken\": \"" + token + "\"}");
        status(r, 201);
        String responseId = (String) body(r).get("id");

        // the timeline, as the contacts function shows it
        var timeline = f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", contactId)
                .as(tenant, Scope.READ));
        status(timeline, 200);
        List<Map<String, Object>> entries = (List<Map<String, Object>>) body(timeline).get("items");
        assertEquals(1, entries.size());
        Map<String, Object> entry = entries.get(0);
        assertEquals("survey_response", entry.get("kind"));
        assertEquals(responseId, entry.get("id"));
        assertEquals(nps, entry.get("surveyId"));
        assertEquals("nps", entry.get("surveyKind"));
        assertEquals(3L, entry.get("score"));
        assertEquals(true, entry.get("riskSignal"));
        assertEquals(Map.of("score", 3L, "why", "slow support"), entry.get("answers"));

        // the stored entry points at the response, whose personal data sits apart from its scores
        var item = f.contactItem(tenant, contactId, Keys.timeline(Instant.parse("2026-11-24T10:00:10Z"), "survey_response", responseId));
        assertEquals("TIMELINE", Attr.str(item, "entity"));
        assertEquals("survey_response", Attr.str(item, "kind"));
        assertEquals(responseId, Attr.str(item, "entryId"));
        assertEquals("nps", Attr.map(item, "data").get("surveyKind"));
        var response = f.item(Attr.str(item, "refPk"), Attr.str(item, "refSk"));
        assertEquals(contactId, Attr.str(response, "contactId"));
        assertEquals(Map.of("score", 3L), Attr.map(response, "answers"));
        Map<String, Object> personal = Attr.map(response, "personal");
        assertEquals(Map.of("why", "slow support"), personal.get("texts"));
        assertNotNull(personal.get("tokenNonce"));

        // latest scores: the 360° view reads view, the churn job latestNps
        var view = f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", contactId).query("view", "360")
                .as(tenant, Scope.READ));
        status(view, 200);
        Map<String, Object> latest = (Map<String, Object>) body(view).get("latestSurveyScores");
        assertEquals(Map.of("score", 3L, "surveyId", nps, "respondedAt", "2026-11-24T10:00:10Z"), latest.get("nps"));
        var summary = f.contactItem(tenant, contactId, Keys.PURCHASE_SUMMARY);
        assertEquals(3L, Attr.num(summary, "latestNps", -1));
        assertEquals(Set.of("PK", "SK", "latestNps"), summary.keySet(), "only latestNps is set on the summary");

        // CSAT 2 is a risk signal too, CES never; each kind has its own latest score
        String csat = f.survey(tenant, "{\"kind\": \"csat\", \"title\": \"Support\"}");
        String ces = f.survey(tenant, "{\"kind\": \"ces\", \"title\": \"Effort\"}");
        f.clock.advance(Duration.ofMinutes(5));
        status(f.submit(csat, score(2, f.token(tenant, csat, contactId))), 201);
        status(f.submit(ces, score(2, f.token(tenant, ces, contactId))), 201);
        entries = (List<Map<String, Object>>) body(f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}/timeline")
                .path("id", contactId).as(tenant, Scope.READ))).get("items");
        assertEquals(3, entries.size());
        Map<String, Boolean> risk = new java.util.HashMap<>();
        for (var e : entries) {
            risk.put((String) e.get("surveyId"), (Boolean) e.get("riskSignal"));
        }
        assertEquals(Map.of(nps, true, csat, true, ces, false), risk);
        Map<String, Object> scores = Attr.map(f.contactItem(tenant, contactId, Keys.SURVEY_SCORES), "view");
        assertEquals(Set.of("nps", "csat", "ces"), scores.keySet());
        assertEquals(2L, ((Map<String, Object>) scores.get("csat")).get("score"));
        assertEquals(3L, Attr.num(f.contactItem(tenant, contactId, Keys.PURCHASE_SUMMARY), "latestNps", -1),
                "a CSAT response does not touch the latest NPS");

        // a later NPS answer on another survey becomes the latest
        String nps2 = f.survey(tenant, NPS);
        f.clock.advance(Duration.ofMinutes(5));
        status(f.submit(nps2, score(10, f.token(tenant, nps2, contactId))), 201);
        assertEquals(10L, Attr.num(f.contactItem(tenant, contactId, Keys.PURCHASE_SUMMARY), "latestNps", -1));
        assertEquals(10L, ((Map<String, Object>) Attr.map(f.contactItem(tenant, contactId, Keys.SURVEY_SCORES), "view")
                .get("nps")).get("score"));
    }

    @Test
    void aSecondResponseWithOneContactIsRejectedUnderReject() {
        String contactId = f.contact(tenant);
        String id = f.survey(tenant, NPS);
        String token = f.token(tenant, id, contactId);
        status(f.submit(id, score(6, token), "k1"), 201);
        var again = f.submit(id, score(9, token), "k2");
        problem(again, 409, "token-used");
        assertEquals(List.of("/respondentToken"), pointers(again));
        // a second link for the same contact does not give a second response either
        problem(f.submit(id, score(9, f.token(tenant, id, contactId))), 409, "token-used");
        // the first key still replays its response
        status(f.submit(id, score(6, token), "k1"), 201);
        assertEquals(1, f.responseItems(tenant, id).size());
        Map<String, Object> res = results(id);
        assertEquals(1L, res.get("responses"));
        assertEquals(1L, res.get("detractors"));
        assertEquals(0L, res.get("promoters"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void underReplaceTheNewResponseTakesTheOldOnesPlaceAndTheCountsMoveExactly() {
        String contactId = f.contact(tenant);
        String id = f.survey(tenant, "{\"kind\": \"nps\", \"title\": \"T\", \"duplicatePolicy\": \"replace\"}");
        String token = f.token(tenant, id, contactId);
        status(f.submit(id, score(2, token), "first"), 201);
        String firstShardKey = "first";
        int firstShard = CounterShards.shardFor(ResponseIds.forIdempotencyKey(tenant, id, firstShardKey));
        // the same day and the same shard: old and new counts are one update of one counter item
        String sameShard = null;
        for (int i = 0; sameShard == null; i++) {
            if (CounterShards.shardFor(ResponseIds.forIdempotencyKey(tenant, id, "k" + i)) == firstShard) {
                sameShard = "k" + i;
            }
        }
        f.clock.advance(Duration.ofHours(1));
        status(f.submit(id, score(8, token), sameShard), 201);
        // two days later, most likely another shard: the counts leave one item and enter another
        f.clock.advance(Duration.ofDays(2));
        var third = f.submit(id, score(10, token), "third");
        status(third, 201);
        String responseId = (String) body(third).get("id");

        Map<String, Object> res = results(id, "from", "2026-11-24", "to", "2026-11-27");
        assertEquals(1L, res.get("responses"));
        assertEquals(1L, res.get("promoters"));
        assertEquals(0L, res.get("passives"));
        assertEquals(0L, res.get("detractors"));
        List<Map<String, Object>> days = (List<Map<String, Object>>) res.get("intervals");
        assertEquals(List.of(0L, 0L, 1L), days.stream().map(d -> d.get("responses")).toList());
        var items = f.responseItems(tenant, id);
        assertEquals(1, items.size());
        assertEquals(responseId, Attr.str(items.get(0), "responseId"));
        var guard = f.contactItem(tenant, contactId, SurveyTableKeys.respondent(id));
        assertEquals(responseId, Attr.str(guard, "responseId"));
        var timeline = (List<Map<String, Object>>) body(f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}/timeline")
                .path("id", contactId).as(tenant, Scope.READ))).get("items");
        assertEquals(List.of(responseId), timeline.stream().map(e -> e.get("id")).toList(), "only the current response");
        assertEquals(10L, Attr.num(f.contactItem(tenant, contactId, Keys.PURCHASE_SUMMARY), "latestNps", -1));
        // an Idempotency-Key whose response was replaced since cannot bring it back
        problem(f.submit(id, score(2, token), "first"), 409, "conflict");
        status(f.submit(id, score(10, token), "third"), 201);
        assertEquals(1, f.responseItems(tenant, id).size());
    }

    @Test
    void forgedExpiredTamperedAndForeignTokensAre400AndStoreNothing() {
        String contactId = f.contact(tenant);
        String id = f.survey(tenant, NPS);
        String good = f.token(tenant, id, contactId);
        var secrets = f.infra.tenants().find(tenant).secrets();
        Instant now = f.clock.instant();

        String[] parts = good.split("\\.");
        char c = parts[1].charAt(5);
        String tampered = parts[0] + "." + parts[1].substring(0, 5) + (c == 'A' ? 'B' : 'A') + parts[1].substring(6) + "." + parts[2];
        TenantId other = f.tenant();
        var otherSecrets = f.infra.tenants().find(other).secrets();
        String forged = SignedTokens.issue(tenant, otherSecrets, TokenPurpose.SURVEY_RESPONDENT, contactId,
                Map.of("survey", id), now, Duration.ofDays(1));
        String wrongPurpose = SignedTokens.issue(tenant, secrets, TokenPurpose.PREFERENCES, contactId, Map.of("survey", id), now,
                Duration.ofDays(1));
        String otherSurvey = SignedTokens.issue(tenant, secrets, TokenPurpose.SURVEY_RESPONDENT, contactId,
                Map.of("survey", dev.crm.surveys.domain.Survey.newId()), now, Duration.ofDays(1));
        String foreignTenant = SignedTokens.issue(other, otherSecrets, TokenPurpose.SURVEY_RESPONDENT, contactId,
                Map.of("survey", id), now, Duration.ofDays(1));
        String shortLived = SignedTokens.issue(tenant, secrets, TokenPurpose.SURVEY_RESPONDENT, contactId, Map.of("survey", id),
                now, Duration.ofMinutes(1));
        for (String token : List.of(tampered, forged, wrongPurpose, otherSurvey, foreignTenant, "not-a-token", good + "x")) {
            var r = f.submit(id, score(9, token));
            problem(r, 400, "invalid-token");
            assertEquals(List.of("/respondentToken"), pointers(r), token);
        }
        f.clock.advance(Duration.ofMinutes(2));
        problem(f.submit(id, score(9, shortLived)), 400, "invalid-token");
        // a link to a contact that is being erased no longer records anything
        f.infra.table().client().updateItem(UpdateItemRequest.builder().tableName(f.infra.table().name())
                .key(Map.of("PK", AttributeValue.fromS(Keys.contact(tenant, contactId)), "SK", AttributeValue.fromS(Keys.CONTACT_PROFILE)))
                .updateExpression("SET #s = :e").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS("erasing"))).build());
        problem(f.submit(id, score(9, good)), 400, "invalid-token");
        assertEquals(0, f.storedItems(tenant, id));
        assertNull(f.contactItem(tenant, contactId, SurveyTableKeys.respondent(id)));
    }

    @Test
    void respondentLinksNeedAContactOfTheTenantAndASurveyThatIsNotClosed() {
        String contactId = f.contact(tenant);
        String id = f.survey(tenant, "{\"kind\": \"nps\", \"title\": \"T\", \"closesAt\": \"2026-12-01T00:00:00Z\"}");
        var r = f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/respondent-links", id).json("{\"contactId\": \"" + contactId + "\"}"));
        status(r, 201);
        Map<String, Object> link = body(r);
        assertEquals(id, link.get("surveyId"));
        assertEquals(contactId, link.get("contactId"));
        assertEquals("http://127.0.0.1:3000/survey.html?id=" + id + "&respondentToken=" + link.get("token"), link.get("url"));
        assertEquals("2026-12-01T00:00:00Z", link.get("expiresAt"), "no longer than the survey is open");

        TenantId other = f.tenant();
        String foreignContact = f.contact(other);
        for (String bad : List.of(foreignContact, "c_00000000000000000000", "nonsense")) {
            var missing = f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/respondent-links", id).json("{\"contactId\": \"" + bad + "\"}"));
            problem(missing, 400, "validation-error");
            assertEquals(List.of("/contactId"), pointers(missing));
        }
        var unknownField = f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/respondent-links", id).json("{\"email\": \"a@b.c\"}"));
        assertEquals(Set.of("/email", "/contactId"), new HashSet<>(pointers(unknownField)));
        problem(f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/respondent-links", id).as(tenant, Scope.READ)
                .json("{\"contactId\": \"" + contactId + "\"}")), 403, "forbidden");
        f.clock.set(Instant.parse("2026-12-01T00:00:00Z"));
        problem(f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/respondent-links", id).json("{\"contactId\": \"" + contactId + "\"}")),
                409, "closed");
    }

    // ---- tenants and browsers ----

    @Test
    @SuppressWarnings("unchecked")
    void anotherTenantsSurveyIsNotFoundExactlyLikeAMissingOneAndResultsNeverMix() {
        TenantId other = f.tenant();
        String mine = f.survey(tenant, NPS);
        String theirs = f.survey(other, "{\"kind\": \"nps\", \"title\": \"Theirs\", \"rateLimit\": {\"perClientPerMinute\": 10000}}");
        status(f.submit(mine, score(10)), 201);
        status(f.submit(theirs, score(0)), 201);
        status(f.submit(theirs, score(1)), 201);
        String missing = dev.crm.surveys.domain.Survey.newId();
        String contactOfOther = f.contact(other);
        List<java.util.function.Function<String, ApiEvents>> routes = List.of(
                s -> onSurvey(other, "GET", "/v1/surveys/{id}", s),
                s -> onSurvey(other, "PATCH", "/v1/surveys/{id}", s).header("If-Match", "\"1\"").json("{\"title\": \"x\"}"),
                s -> onSurvey(other, "GET", "/v1/surveys/{id}/results", s),
                s -> onSurvey(other, "POST", "/v1/surveys/{id}/respondent-links", s).json("{\"contactId\": \"" + contactOfOther + "\"}"),
                s -> onSurvey(other, "POST", "/v1/surveys/{id}/recounts", s));
        for (var route : routes) {
            var foreign = call(route.apply(mine));
            var absent = call(route.apply(missing));
            problem(foreign, 404, "not-found");
            assertEquals(body(absent), body(foreign));
        }
        var job = call(onSurvey(tenant, "POST", "/v1/surveys/{id}/recounts", mine));
        status(job, 202);
        String jobId = (String) body(job).get("id");
        problem(call(ApiEvents.request("GET", "/v1/surveys/recounts/{jobId}").path("jobId", jobId).as(other, Scope.READ)), 404,
                "not-found");
        status(call(ApiEvents.request("GET", "/v1/surveys/recounts/{jobId}").path("jobId", jobId).as(tenant, Scope.READ)), 200);
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body(call(as(other, "GET", "/v1/surveys"))).get("items");
        assertEquals(List.of(theirs), listed.stream().map(s -> s.get("id")).toList());

        // publicly a survey id shows its own tenant's survey, and only that
        assertEquals("Theirs", body(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", theirs))).get("title"));
        assertEquals("How did we do?", body(call(ApiEvents.request("GET", "/v1/public/surveys/{id}").path("id", mine))).get("title"));
        // results never mix tenants
        assertEquals(1L, results(mine).get("responses"));
        assertEquals(1L, results(mine).get("promoters"));
        assertEquals(2L, f.results(other, theirs).get("responses"));
        assertEquals(2L, f.results(other, theirs).get("detractors"));
        // a token of one tenant never records on another tenant's survey
        String theirToken = f.token(other, theirs, contactOfOther);
        problem(f.submit(mine, score(5, theirToken)), 400, "invalid-token");
        assertNotEquals(0, f.storedItems(other, theirs));
    }

    @Test
    void browsersMayPostOnlyFromTheTenantsOwnOrigins() {
        String id = f.survey(tenant, NPS);
        var preflight = call(ApiEvents.request("OPTIONS", "/v1/public/surveys/{id}/responses").path("id", id)
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST"));
        status(preflight, 204);
        assertEquals(ORIGIN, header(preflight, "Access-Control-Allow-Origin"));
        assertEquals("POST", header(preflight, "Access-Control-Allow-Methods"));
        assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("Idempotency-Key"));
        var formPreflight = call(ApiEvents.request("OPTIONS", "/v1/public/surveys/{id}").path("id", id).header("Origin", ORIGIN));
        assertEquals("GET", header(formPreflight, "Access-Control-Allow-Methods"));

        var evil = call(ApiEvents.request("OPTIONS", "/v1/public/surveys/{id}/responses").path("id", id)
                .header("Origin", "https://evil.example"));
        assertNull(header(evil, "Access-Control-Allow-Origin"));
        var unknownSurvey = call(ApiEvents.request("OPTIONS", "/v1/public/surveys/{id}/responses")
                .path("id", dev.crm.surveys.domain.Survey.newId()).header("Origin", ORIGIN));
        assertNull(header(unknownSurvey, "Access-Control-Allow-Origin"));

        var ok = call(submission(id, score(9)).header("Origin", ORIGIN));
        status(ok, 201);
        assertEquals(ORIGIN, header(ok, "Access-Control-Allow-Origin"));
        assertTrue(header(ok, "Access-Control-Expose-Headers").contains("Idempotent-Replayed"));
        // errors carry the headers too, even those the router answers before the handler runs
        assertEquals(ORIGIN, header(call(submission(id, score(99)).header("Origin", ORIGIN)), "Access-Control-Allow-Origin"));
        var tooLarge = call(submission(id, "{\"x\": \"" + "a".repeat(40_000) + "\"}").header("Origin", ORIGIN));
        problem(tooLarge, 413, "payload-too-large");
        assertEquals(ORIGIN, header(tooLarge, "Access-Control-Allow-Origin"));
        assertNull(header(call(submission(id, score(9)).header("Origin", "https://evil.example")), "Access-Control-Allow-Origin"));
        // another tenant's origins do not open this tenant's surveys
        TenantId other = f.tenant("{\"allowedOrigins\": [\"https://other.example\"]}");
        String theirs = f.survey(other, NPS);
        assertEquals("https://other.example", header(call(submission(theirs, score(9)).header("Origin", "https://other.example")),
                "Access-Control-Allow-Origin"));
        assertNull(header(call(submission(id, score(9)).header("Origin", "https://other.example")), "Access-Control-Allow-Origin"));
        // authenticated routes allow the dashboard origins only, not the tenant's
        assertNull(header(call(as(tenant, "GET", "/v1/surveys").header("Origin", ORIGIN)), "Access-Control-Allow-Origin"));
    }

    @Test
    void resultsParametersAreChecked() {
        String id = f.survey(tenant, NPS);
        var r = call(onSurvey(tenant, "GET", "/v1/surveys/{id}/results", id).query("interval", "hour").query("from", "2026-13-01")
                .query("colour", "red"));
        problem(r, 400, "validation-error");
        assertEquals(List.of("colour"), pointers(r));
        var bad = call(onSurvey(tenant, "GET", "/v1/surveys/{id}/results", id).query("interval", "hour").query("from", "2026-13-01")
                .query("segment", "x"));
        assertEquals(Set.of("interval", "from", "segment"), new HashSet<>(pointers(bad)));
        var order = call(onSurvey(tenant, "GET", "/v1/surveys/{id}/results", id).query("from", "2026-11-02").query("to", "2026-11-01"));
        assertEquals(List.of("to"), pointers(order));
        var unknownSegment = call(onSurvey(tenant, "GET", "/v1/surveys/{id}/results", id).query("segment", "seg_00000000000000000000"));
        problem(unknownSegment, 400, "validation-error");
        assertEquals(List.of("segment"), pointers(unknownSegment));
        var twice = call(onSurvey(tenant, "GET", "/v1/surveys/{id}/results", id).query("from", "2026-11-01").query("from", "2026-11-02"));
        assertEquals(List.of("from"), pointers(twice));
        Map<String, Object> empty = results(id, "from", "2026-11-01", "to", "2026-11-08", "interval", "week");
        assertNull(empty.get("nps"), "no responses: no score");
        assertEquals("Europe/London", empty.get("timeZone"));
        assertEquals(2, ((List<?>) empty.get("intervals")).size());
    }
}
