package dev.crm.surveys;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static dev.crm.surveys.SurveyFixture.as;
import static dev.crm.surveys.SurveyFixture.onSurvey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResultsQuery;
import dev.crm.surveys.domain.SubmittedResponse;
import dev.crm.surveys.domain.SurveyResults;
import dev.crm.surveys.entrypoints.RecountWorker;
import dev.crm.surveys.entrypoints.SurveyEventsHandler;
import dev.crm.surveys.store.dynamodb.DynamoDbSurveyRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code POST /v1/surveys/{id}/responses/imports} through the real handlers on DynamoDB Local: what an
 * import stores reads back through the product's own routes exactly as the same responses submitted
 * live; a crashed import resumes and writes every line once; tenants stay apart; rejects change nothing.
 */
class ResponseImportIT {
    static final String SURVEY = "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"duplicatePolicy\": \"%s\", "
            + "\"rateLimit\": {\"perClientPerMinute\": 10000}, \"questions\": ["
            + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"Recommend us?\"},"
            + "{\"id\": \"channels\", \"type\": \"multi_choice\", \"label\": \"Channels\", \"options\": ["
            + "  {\"value\": \"email\", \"label\": \"E-mail\"}, {\"value\": \"phone\", \"label\": \"Phone\"}]},"
            + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"Why?\", \"maxLength\": 200}]}";
    static final Instant FIRST = Instant.parse("2026-11-01T07:00:00Z");

    private final SurveyFixture f = new SurveyFixture("2026-11-01T06:00:00Z");
    private final TenantId tenant = f.tenant("{\"defaultTimeZone\": \"Europe/Berlin\"}");

    static String survey(String policy) {
        return String.format(SURVEY, policy);
    }

    static String answers(Random random) {
        List<String> channels = random.nextBoolean() ? List.of("email") : List.of("email", "phone");
        return "{\"score\": " + random.nextInt(11) + ", \"channels\": " + Json.write(channels)
                + ", \"why\": \"reason " + random.nextInt(5) + "\"}";
    }

    static String line(String answers, Instant at, String contactId) {
        return "{\"answers\": " + answers + ", \"submittedAt\": \"" + at + "\""
                + (contactId == null ? "" : ", \"contactId\": \"" + contactId + "\"") + "}\n";
    }

    APIGatewayProxyResponseEvent start(TenantId t, String surveyId, String ndjson) {
        return f.call(onSurvey(t, "POST", "/v1/surveys/{id}/responses/imports", surveyId)
                .body("application/x-ndjson", ndjson));
    }

    APIGatewayProxyResponseEvent job(TenantId t, String jobId) {
        return f.call(ApiEvents.request("GET", "/v1/surveys/response-imports/{jobId}").path("jobId", jobId).as(t, Scope.READ));
    }

    /** Starts an import, checks the 202, returns the job id. */
    String started(TenantId t, String surveyId, String ndjson) {
        var r = start(t, surveyId, ndjson);
        status(r, 202);
        String id = (String) body(r).get("id");
        assertEquals("/v1/surveys/response-imports/" + id, header(r, "Location"));
        assertEquals("queued", body(r).get("status"));
        return id;
    }

    /** Runs the job's worker until it is done; returns the job as the API shows it. */
    Map<String, Object> run(TenantId t, String jobId) {
        new RecountWorker(f.infra).handleRequest(SurveyFixture.jobInserted(Keys.job(t, jobId)), new LambdaContext());
        var r = job(t, jobId);
        status(r, 200);
        assertEquals("succeeded", body(r).get("status"), r.getBody());
        return body(r);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(Map<String, Object> job) {
        return (Map<String, Object>) job.get("result");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> surveyEntries(TenantId t, String contactId, String surveyId) {
        var r = f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}/timeline").path("id", contactId).as(t, Scope.READ));
        status(r, 200);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) body(r).get("items")) {
            if (surveyId.equals(e.get("surveyId"))) {
                Map<String, Object> copy = new HashMap<>(e);
                copy.keySet().removeAll(Set.of("id", "surveyId", "entryId"));
                out.add(copy);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> scores(TenantId t, String contactId) {
        var r = f.contactsCall(ApiEvents.request("GET", "/v1/contacts/{id}").path("id", contactId).query("view", "360")
                .as(t, Scope.READ));
        status(r, 200);
        return (Map<String, Object>) body(r).get("latestSurveyScores");
    }

    String resultsWithout(String surveyId) {
        return Json.write(f.results(tenant, surveyId, "from", "2026-10-30", "to", "2026-11-08", "interval", "day"))
                .replace(surveyId, "S");
    }

    @Test
    void importedResponsesReadBackAsTheSameResponsesSubmittedLive() {
        String live = f.survey(tenant, survey("replace"));
        String imported = f.survey(tenant, survey("replace"));
        List<String> contacts = new ArrayList<>();
        Map<String, String> tokens = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            String c = f.contact(tenant);
            contacts.add(c);
            tokens.put(c, f.token(tenant, live, c));
        }
        Random random = new Random(7);
        StringBuilder ndjson = new StringBuilder();
        Instant at = FIRST;
        for (int i = 0; i < 24; i++) {
            at = at.plus(Duration.ofMinutes(237)); // across Berlin's midnights
            String c = i % 4 == 0 ? null : contacts.get(i % 7 % contacts.size()); // every contact, some twice or more
            String a = answers(random);
            ndjson.append(line(a, at, c));
            f.clock.set(at);
            var r = f.submit(live, "{\"answers\": " + a + (c == null ? "" : ", \"respondentToken\": \"" + tokens.get(c) + "\"") + "}");
            status(r, 201);
        }
        f.clock.set(at.plus(Duration.ofHours(1)));
        Map<String, Map<String, Object>> liveScores = new HashMap<>();
        for (String c : contacts) {
            liveScores.put(c, scores(tenant, c));
        }

        String jobId = started(tenant, imported, ndjson.toString());
        Map<String, Object> job = run(tenant, jobId);
        assertEquals(24L, result(job).get("imported"));
        assertEquals(List.of(), result(job).get("rejected"));
        assertEquals(24L, ((Number) job.get("done")).longValue());
        assertEquals(24L, ((Number) job.get("total")).longValue());

        // results from the counters, day by day in the survey's zone: the same as live
        assertEquals(resultsWithout(live), resultsWithout(imported));
        assertEquals(f.responseItems(tenant, live).size(), f.responseItems(tenant, imported).size());
        for (String c : contacts) {
            // one response per contact under replace, on its timeline as the live one
            assertEquals(surveyEntries(tenant, c, live), surveyEntries(tenant, c, imported));
            assertEquals(1, surveyEntries(tenant, c, imported).size());
            Map<String, Object> nps = new HashMap<>(scores(tenant, c));
            Map<String, Object> expected = new HashMap<>(liveScores.get(c));
            assertEquals(Json.write(expected).replace(live, "S"), Json.write(nps).replace(imported, "S"), "360 view of " + c);
        }
        // an import is history: its responses announce nothing
        SurveyEventsHandler events = new SurveyEventsHandler(f.infra);
        DynamoDbEventRepository stored = new DynamoDbEventRepository(f.infra.table(), f.clock);
        for (var item : f.responseItems(tenant, imported)) {
            events.handleRequest(StreamRecords.change("rec-" + Attr.str(item, "responseId"), f.clock.instant(), null, item),
                    new LambdaContext());
            String id = EventIds.derive(Attr.instant(item, "submittedAt"), "rec-" + Attr.str(item, "responseId"),
                    "survey.response_submitted");
            assertTrue(stored.envelope(tenant, id, Attr.str(item, "contactId")).isEmpty());
        }
    }

    /** The results a recount of the raw responses gives, as the API writes them. */
    String recounted(String surveyId) {
        var stored = new DynamoDbSurveyRepository(f.infra.table(), TestInfrastructure.tenantSecrets(f.infra)).find(tenant, surveyId);
        List<SubmittedResponse> raw = new ArrayList<>();
        for (var item : f.responseItems(tenant, surveyId)) {
            raw.add(new SubmittedResponse(Attr.instant(item, "submittedAt"), Attr.map(item, "answers")));
        }
        var query = new ResultsQuery(LocalDate.parse("2026-10-30"), LocalDate.parse("2026-11-08"), ResultsQuery.Interval.DAY,
                stored.zone());
        Map<String, Object> json = SurveyResults.fromResponses(stored.survey(), query, raw).toJson();
        json.put("segment", null);
        return Json.write(Json.parse(Json.write(json))).replace(surveyId, "S");
    }

    @Test
    void aCrashedImportResumesAndEveryLineIsWrittenAndCountedOnce() {
        String surveyId = f.survey(tenant, survey("replace"));
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 11; i++) { // 11: prime to 3, so every contact is named
            contacts.add(f.contact(tenant));
        }
        Random random = new Random(11);
        StringBuilder ndjson = new StringBuilder();
        Map<String, Long> lastScore = new HashMap<>();
        int lines = 240;
        for (int i = 0; i < lines; i++) {
            Instant at = FIRST.plus(Duration.ofMinutes(20L * i));
            String c = i % 3 == 0 ? null : contacts.get(i % contacts.size());
            String a = answers(random);
            ndjson.append(line(a, at, c));
            if (c != null) {
                lastScore.put(c, ((Number) ((Map<?, ?>) Json.parse(a)).get("score")).longValue());
            }
        }
        f.clock.set(FIRST.plus(Duration.ofDays(7)));
        String jobId = started(tenant, surveyId, ndjson.toString());
        FaultInjector faults = new FaultInjector();
        RecountWorker crashing = new RecountWorker(TestInfrastructure.create(f.clock, Map.of(), faults));
        Object[][] crashes = {{1, Set.of("TransactWriteItems")}, {3, Set.of("BatchWriteItem")}, {6, FaultInjector.WRITES}};
        for (Object[] crash : crashes) {
            f.clock.advance(Duration.ofMinutes(5)); // a crashed run's lease has run out
            @SuppressWarnings("unchecked")
            Set<String> ops = (Set<String>) crash[1];
            faults.crashAfter((Integer) crash[0], ops);
            assertThrows(RuntimeException.class, () -> crashing.handleRequest(
                    SurveyFixture.jobInserted(Keys.job(tenant, jobId)), new LambdaContext()), "crash " + Arrays.toString(crash));
            faults.off();
            assertTrue(faults.injected() > 0);
            f.clock.advance(Duration.ofMinutes(5));
        }
        // and a crash between a step's writes and its checkpoint: the step runs again from its start
        f.infra.table().client().updateItem(b -> b.tableName(f.infra.table().name())
                .key(Table.key(Keys.job(tenant, jobId), Keys.ITEM))
                .updateExpression("SET #c = :c").expressionAttributeNames(Map.of("#c", "checkpoint"))
                .expressionAttributeValues(Map.of(":c", Attr.of(Map.of("nextLine", 1L)))));
        Map<String, Object> job = run(tenant, jobId);
        assertEquals((long) lines, result(job).get("imported"));
        assertEquals(List.of(), result(job).get("rejected"));

        // counted from the items: one response per anonymous line and one per contact (replace keeps the last)
        int anonymous = (lines + 2) / 3;
        assertEquals(anonymous + contacts.size(), f.responseItems(tenant, surveyId).size());
        assertEquals(recounted(surveyId), resultsWithout(surveyId), "the counters hold each response once");
        for (String c : contacts) {
            List<Map<String, Object>> entries = surveyEntries(tenant, c, surveyId);
            assertEquals(1, entries.size(), "one timeline entry for " + c);
            assertEquals(lastScore.get(c), entries.get(0).get("score"));
            assertEquals(lastScore.get(c), ((Map<?, ?>) scores(tenant, c).get("nps")).get("score"));
        }
    }

    @Test
    void rejectedLinesChangeNothingAndSayWhereTheProblemIs() {
        String surveyId = f.survey(tenant, survey("reject"));
        String contact = f.contact(tenant);
        TenantId other = f.tenant();
        String othersContact = f.contact(other);
        f.clock.set(FIRST.plus(Duration.ofDays(2)));
        String ok = "{\"score\": 9}";
        String ndjson = "not json\n"
                + line("{\"score\": 11, \"colour\": \"red\"}", FIRST, null)
                + "{\"answers\": " + ok + "}\n"
                + line(ok, FIRST.plus(Duration.ofDays(3)), null)
                + line(ok, FIRST, othersContact)
                + line(ok, FIRST, "c_nosuchcontact00000000")
                + "{\"answers\": " + ok + ", \"submittedAt\": \"" + FIRST + "\", \"tenantId\": \"" + other.value() + "\"}\n";
        String jobId = started(tenant, surveyId, ndjson);
        Map<String, Object> job = run(tenant, jobId);
        assertEquals(0L, result(job).get("imported"));
        List<Map<String, Object>> rejected = ((List<?>) result(job).get("rejected")).stream()
                .map(o -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) o;
                    return m;
                }).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), rejected.stream().map(r -> ((Number) r.get("line")).longValue()).toList());
        assertEquals(Set.of("/answers/score", "/answers/colour"), pointers(rejected.get(1)));
        assertEquals(Set.of("/submittedAt"), pointers(rejected.get(2)));
        assertEquals(Set.of("/submittedAt"), pointers(rejected.get(3)));
        assertEquals(Set.of("/contactId"), pointers(rejected.get(4)), "another tenant's contact is no contact here");
        assertEquals(Set.of("/contactId"), pointers(rejected.get(5)));
        assertEquals(Set.of("/tenantId"), pointers(rejected.get(6)));
        assertEquals(0, f.storedItems(tenant, surveyId));
        assertEquals(List.of(), surveyEntries(tenant, contact, surveyId));
        assertEquals(0, f.partition(Keys.contact(other, othersContact)).stream()
                .filter(i -> Attr.str(i, Table.SK).contains(surveyId)).count());

        // the contact-once rule of a reject survey: the first line stands, a later one is rejected
        String second = started(tenant, surveyId, line(ok, FIRST, contact) + line("{\"score\": 2}", FIRST.plusSeconds(60), contact));
        Map<String, Object> r2 = result(run(tenant, second));
        assertEquals(1L, r2.get("imported"));
        assertEquals(2L, ((Number) ((Map<?, ?>) ((List<?>) r2.get("rejected")).get(0)).get("line")).longValue());
        assertEquals(9L, surveyEntries(tenant, contact, surveyId).get(0).get("score"));
        String third = started(tenant, surveyId, line("{\"score\": 3}", FIRST.plusSeconds(120), contact));
        assertEquals(0L, result(run(tenant, third)).get("imported"), "the contact answered in an earlier import");
        assertEquals(1, f.responseItems(tenant, surveyId).size());
    }

    @Test
    void aLaterImportReplacesAContactsResponseAndMovesItsCountsAsLive() {
        String surveyId = f.survey(tenant, survey("replace"));
        String contact = f.contact(tenant);
        f.clock.set(FIRST.plus(Duration.ofDays(5)));
        run(tenant, started(tenant, surveyId, line("{\"score\": 3}", FIRST, contact) + line("{\"score\": 10}", FIRST, null)));
        Map<String, Object> second = run(tenant, started(tenant, surveyId,
                line("{\"score\": 9}", FIRST.plus(Duration.ofDays(2)), contact)));
        assertEquals(1L, result(second).get("imported"));
        // the first response left its day's counters as a live replacement takes it off
        assertEquals(recounted(surveyId), resultsWithout(surveyId));
        assertEquals(2, f.responseItems(tenant, surveyId).size());
        List<Map<String, Object>> entries = surveyEntries(tenant, contact, surveyId);
        assertEquals(1, entries.size());
        assertEquals(9L, entries.get(0).get("score"));
        assertEquals(9L, ((Map<?, ?>) scores(tenant, contact).get("nps")).get("score"));
    }

    @Test
    void anOlderLineUnderReplaceLeavesTheNewerResponseStanding() {
        String surveyId = f.survey(tenant, survey("replace"));
        String contact = f.contact(tenant);
        String other = f.contact(tenant);
        f.clock.set(FIRST.plus(Duration.ofDays(5)));
        // in one file the latest stands whatever the file order
        Map<String, Object> first = run(tenant, started(tenant, surveyId,
                line("{\"score\": 9}", FIRST.plus(Duration.ofDays(2)), contact)
                        + line("{\"score\": 2}", FIRST, contact)
                        + line("{\"score\": 6}", FIRST.plus(Duration.ofDays(1)), other)));
        assertEquals(3L, result(first).get("imported"));
        assertEquals(9L, surveyEntries(tenant, contact, surveyId).get(0).get("score"));
        // a later file's line older than the stored response is history the stored one replaced
        Map<String, Object> second = run(tenant, started(tenant, surveyId,
                line("{\"score\": 3}", FIRST.plus(Duration.ofDays(1)), contact)));
        assertEquals(1L, result(second).get("imported"), "counted as imported and replaced");
        List<Map<String, Object>> entries = surveyEntries(tenant, contact, surveyId);
        assertEquals(1, entries.size());
        assertEquals(9L, entries.get(0).get("score"), "the newer stored response stands");
        assertEquals(9L, ((Map<?, ?>) scores(tenant, contact).get("nps")).get("score"));
        assertEquals(2, f.responseItems(tenant, surveyId).size(), "one response per contact, counted from the items");
        assertEquals(recounted(surveyId), resultsWithout(surveyId), "counters as a recount of the items finds them");
    }

    @SuppressWarnings("unchecked")
    static Set<String> pointers(Map<String, Object> rejection) {
        Set<String> out = new java.util.HashSet<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) rejection.get("errors")) {
            out.add((String) e.get("pointer"));
            assertNotNull(e.get("detail"));
        }
        return out;
    }

    @Test
    void anotherTenantNeitherReadsTheJobNorImportsIntoTheSurvey() {
        String surveyId = f.survey(tenant, survey("replace"));
        f.clock.set(FIRST.plus(Duration.ofDays(1)));
        String jobId = started(tenant, surveyId, line("{\"score\": 5}", FIRST, null));
        run(tenant, jobId);
        TenantId other = f.tenant();
        var theirs = job(other, jobId);
        var missing = job(other, "simp_00000000000000000000");
        status(theirs, 404);
        status(missing, 404);
        assertEquals(body(missing), body(theirs), "another tenant's job is exactly a missing one");
        status(start(other, surveyId, line("{\"score\": 5}", FIRST, null)), 404);
        assertEquals(1, f.responseItems(tenant, surveyId).size());
    }

    @Test
    void anEmptyFileOrTooManyLinesIsRefusedAtOnce() {
        String surveyId = f.survey(tenant, survey("replace"));
        status(start(tenant, surveyId, "\n  \n"), 400);
        StringBuilder many = new StringBuilder();
        String l = line("{\"score\": 5}", FIRST, null);
        for (int i = 0; i <= 20_000; i++) {
            many.append(l);
        }
        var r = start(tenant, surveyId, many.toString());
        status(r, 400);
        assertNull(header(r, "Location"));
    }
}
