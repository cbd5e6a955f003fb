package dev.crm.surveys;

import static dev.crm.surveys.SurveyFixture.onSurvey;
import static dev.crm.surveys.SurveyFixture.score;
import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.ResultsQuery;
import dev.crm.surveys.domain.SubmittedResponse;
import dev.crm.surveys.domain.SurveyResults;
import dev.crm.surveys.entrypoints.RecountSchedule;
import dev.crm.surveys.entrypoints.RecountWorker;
import dev.crm.surveys.store.dynamodb.DynamoDbSurveyRepository;
import dev.crm.surveys.store.dynamodb.SurveyTableKeys;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Running aggregates against the raw responses: concurrent writers, the recount job, its repairs. */
class SurveyRecountIT {
    static final ExecutorService POOL = Executors.newFixedThreadPool(16);
    static final String SURVEY = "{\"kind\": \"nps\", \"title\": \"T\", \"duplicatePolicy\": \"replace\", "
            + "\"rateLimit\": {\"perClientPerMinute\": 10000}, \"questions\": ["
            + "{\"id\": \"score\", \"type\": \"score\", \"label\": \"Recommend us?\"},"
            + "{\"id\": \"effort\", \"type\": \"score\", \"label\": \"Effort\", \"min\": 1, \"max\": 5},"
            + "{\"id\": \"channels\", \"type\": \"multi_choice\", \"label\": \"Channels\", \"options\": ["
            + "  {\"value\": \"email\", \"label\": \"E-mail\"}, {\"value\": \"phone\", \"label\": \"Phone\"},"
            + "  {\"value\": \"chat\", \"label\": \"Chat\"}]},"
            + "{\"id\": \"why\", \"type\": \"text\", \"label\": \"Why?\"}]}";

    private final SurveyFixture f = new SurveyFixture("2026-11-24T10:00:00Z");
    private final TenantId tenant = f.tenant("{\"defaultTimeZone\": \"Europe/Berlin\"}");

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    static String answers(Random random, String token) {
        List<String> channels = new ArrayList<>(List.of("email", "phone", "chat"));
        java.util.Collections.shuffle(channels, random);
        return "{\"answers\": {\"score\": " + random.nextInt(11) + ", \"effort\": " + (1 + random.nextInt(5))
                + ", \"channels\": " + Json.write(channels.subList(0, random.nextInt(4))) + ", \"why\": \"because " + random.nextInt()
                + "\"}" + (token == null ? "" : ", \"respondentToken\": \"" + token + "\"") + "}";
    }

    /** The results a full recount of the raw responses gives (the domain's own recount), as the API writes them. */
    @SuppressWarnings("unchecked")
    Map<String, Object> recounted(String surveyId, String from, String to) {
        var stored = new DynamoDbSurveyRepository(f.infra.table(), dev.crm.devkit.TestInfrastructure.tenantSecrets(f.infra)).find(tenant, surveyId);
        List<SubmittedResponse> raw = new ArrayList<>();
        for (var item : f.responseItems(tenant, surveyId)) {
            raw.add(new SubmittedResponse(Attr.instant(item, "submittedAt"), Attr.map(item, "answers")));
        }
        var query = new ResultsQuery(LocalDate.parse(from), LocalDate.parse(to), ResultsQuery.Interval.DAY, stored.zone());
        Map<String, Object> json = SurveyResults.fromResponses(stored.survey(), query, raw).toJson();
        json.put("segment", null);
        return (Map<String, Object>) Json.parse(Json.write(json));
    }

    Map<String, Object> fromCounters(String surveyId, String from, String to) {
        return f.results(tenant, surveyId, "from", from, "to", to);
    }

    /** Starts a recount through the API and runs its worker; returns the finished job. */
    @SuppressWarnings("unchecked")
    Map<String, Object> recount(String surveyId) {
        var started = f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/recounts", surveyId));
        status(started, 202);
        Map<String, Object> job = body(started);
        assertEquals("queued", job.get("status"));
        assertEquals("survey_recount", job.get("kind"));
        assertEquals("/v1/surveys/recounts/" + job.get("id"), header(started, "Location"));
        new RecountWorker(f.infra).handleRequest(SurveyFixture.jobInserted(Keys.job(tenant, (String) job.get("id"))),
                new LambdaContext());
        var done = f.call(ApiEvents.request("GET", "/v1/surveys/recounts/{jobId}").path("jobId", (String) job.get("id"))
                .as(tenant, Scope.READ));
        status(done, 200);
        Map<String, Object> finished = body(done);
        assertEquals("succeeded", finished.get("status"), done.getBody());
        assertEquals(surveyId, finished.get("surveyId"));
        return (Map<String, Object>) finished.get("result");
    }

    @Test
    void theCountersEqualAFullRecountAfterConcurrentSubmissionsAndTheJobFindsNothingToRepair() throws Exception {
        String id = f.survey(tenant, SURVEY);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(f.token(tenant, id, f.contact(tenant)));
        }
        Random random = new Random(7);
        Set<String> acceptedIds = new HashSet<>();
        // three days; each day a burst of concurrent writers: anonymous ones, some retrying with one
        // key, and every contact answering three times at once (replace: one response each survives)
        for (int day = 0; day < 3; day++) {
            f.clock.set(Instant.parse("2026-11-24T22:30:00Z").plus(Duration.ofDays(day)));
            List<Future<APIGatewayProxyResponseEvent>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String body = answers(random, null);
                String key = "d" + day + "-k" + (i % 45);
                calls.add(POOL.submit(() -> f.submit(id, body, key)));
            }
            for (String token : tokens) {
                for (int i = 0; i < 3; i++) {
                    String body = answers(random, token);
                    calls.add(POOL.submit(() -> f.submit(id, body)));
                }
            }
            for (var c : calls) {
                var r = c.get();
                int s = r.getStatusCode();
                assertTrue(s == 201 || s == 409 || s == 422, r.getBody());
                if (s == 201) {
                    acceptedIds.add((String) body(r).get("id"));
                }
            }
        }
        var items = f.responseItems(tenant, id);
        Set<String> storedIds = new HashSet<>();
        items.forEach(i -> storedIds.add(Attr.str(i, "responseId")));
        assertEquals(3 * 45 + 10, items.size(), "one per key and day, and one per contact");
        assertTrue(acceptedIds.containsAll(storedIds));

        Map<String, Object> counted = fromCounters(id, "2026-11-24", "2026-11-29");
        assertEquals(recounted(id, "2026-11-24", "2026-11-29"), counted);
        assertEquals((long) items.size(), counted.get("responses"));

        Map<String, Object> report = recount(id);
        assertEquals(0L, report.get("differences"), report.toString());
        assertEquals(0L, report.get("unresolved"));
        assertTrue((Long) report.get("itemsChecked") > 0);
        assertEquals(List.of(), report.get("listed"));
    }

    /**
     * What docs/api.md promises for results read while responses move: a replacement takes its
     * response's counts from one day to another in one transaction, but the results' ten shard queries
     * are not one snapshot, so a read during replacements may see a moving response on both days or on
     * neither; never more than one off per replacement in flight, and exact once they are done.
     */
    @Test
    void resultsReadDuringReplacementsAreOffByAtMostTheWritesInFlightAndExactOnceQuiet() throws Exception {
        String id = f.survey(tenant, SURVEY);
        Random random = new Random(5);
        List<String> tokens = new ArrayList<>();
        f.clock.set(Instant.parse("2026-11-24T09:00:00Z"));
        for (int i = 0; i < 8; i++) {
            String token = f.token(tenant, id, f.contact(tenant));
            tokens.add(token);
            status(f.submit(id, answers(random, token)), 201);
        }
        assertEquals(8L, fromCounters(id, "2026-11-24", "2026-11-27").get("responses"));
        // every contact answers again on the next day, four times each, while results are read
        f.clock.set(Instant.parse("2026-11-25T09:00:00Z"));
        List<Future<APIGatewayProxyResponseEvent>> writes = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (String token : tokens) {
                String body = answers(random, token);
                writes.add(POOL.submit(() -> f.submit(id, body)));
            }
        }
        int inFlightAtMost = tokens.size(); // one response per contact: its replacements queue on it
        List<Long> totals = new ArrayList<>();
        while (!writes.stream().allMatch(Future::isDone)) {
            totals.add((Long) fromCounters(id, "2026-11-24", "2026-11-27").get("responses"));
        }
        for (var w : writes) {
            int s = w.get().getStatusCode();
            assertTrue(s == 201 || s == 409, w.get().getBody());
        }
        for (long total : totals) {
            assertTrue(Math.abs(total - 8) <= inFlightAtMost, "a read during replacements: " + totals);
        }
        Map<String, Object> quiet = fromCounters(id, "2026-11-24", "2026-11-27");
        assertEquals(8L, quiet.get("responses"));
        assertEquals(recounted(id, "2026-11-24", "2026-11-27"), quiet);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCorruptedCounterIsFoundReportedAndRepaired() {
        String id = f.survey(tenant, SURVEY);
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) {
            f.clock.set(Instant.parse("2026-11-24T08:00:00Z").plus(Duration.ofHours(i)));
            status(f.submit(id, answers(random, null)), 201);
        }
        var table = f.infra.table();
        List<Map<String, AttributeValue>> counters = new ArrayList<>();
        for (int shard = 0; shard < 10; shard++) {
            counters.addAll(f.partition(SurveyTableKeys.counters(tenant, id, shard)));
        }
        assertTrue(counters.size() >= 2);
        var victim = counters.get(0);
        var lost = counters.get(1);
        long victimShard = Long.parseLong(victim.get("PK").s().substring(victim.get("PK").s().lastIndexOf('#') + 1));
        long lostShard = Long.parseLong(lost.get("PK").s().substring(lost.get("PK").s().lastIndexOf('#') + 1));
        // one counter too high, one counter item lost entirely, one item where nothing was answered
        table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Map.of("PK", victim.get("PK"), "SK", victim.get("SK")))
                .updateExpression("ADD #c :three").expressionAttributeNames(Map.of("#c", "c.responses"))
                .expressionAttributeValues(Map.of(":three", AttributeValue.fromN("3"))).build());
        table.client().deleteItem(DeleteItemRequest.builder().tableName(table.name())
                .key(Map.of("PK", lost.get("PK"), "SK", lost.get("SK"))).build());
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(Map.of(
                "PK", AttributeValue.fromS(SurveyTableKeys.counters(tenant, id, 3)), "SK", AttributeValue.fromS("2026-11-20"),
                "c.responses", AttributeValue.fromN("2"), "c.score:1", AttributeValue.fromN("2"))).build());
        assertNotEquals(recounted(id, "2026-11-20", "2026-11-27"), fromCounters(id, "2026-11-20", "2026-11-27"));

        Map<String, Object> report = recount(id);
        assertTrue((Long) report.get("differences") >= 4, report.toString());
        List<Map<String, Object>> listed = (List<Map<String, Object>>) report.get("listed");
        assertTrue(listed.contains(Map.of("day", Attr.str(victim, "SK"), "shard", victimShard, "counter", "responses",
                "expected", Attr.num(victim, "c.responses", 0), "found", Attr.num(victim, "c.responses", 0) + 3)), listed.toString());
        assertTrue(listed.contains(Map.of("day", "2026-11-20", "shard", 3L, "counter", "score:1", "expected", 0L, "found", 2L)));
        assertTrue(listed.stream().anyMatch(d -> d.get("day").equals(Attr.str(lost, "SK")) && d.get("shard").equals(lostShard)
                && d.get("counter").equals("responses") && d.get("found").equals(0L)));
        assertEquals(recounted(id, "2026-11-20", "2026-11-27"), fromCounters(id, "2026-11-20", "2026-11-27"));

        Map<String, Object> again = recount(id);
        assertEquals(0L, again.get("differences"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRecountCutShortByItsTimeHandsOverAndResumes() {
        String id = f.survey(tenant, SURVEY);
        Random random = new Random(3);
        for (int i = 0; i < 30; i++) {
            f.clock.set(Instant.parse("2026-11-24T08:00:00Z").plus(Duration.ofHours(5L * i)));
            status(f.submit(id, answers(random, null)), 201);
        }
        // Response ids are random, so any one shard may hold no counters (shard 0 empty: ~4 % of runs).
        var some = f.partition(SurveyTableKeys.counters(tenant, id, 0));
        for (int shard = 1; some.isEmpty() && shard < CounterShards.SHARDS; shard++) {
            some = f.partition(SurveyTableKeys.counters(tenant, id, shard));
        }
        f.infra.table().client().updateItem(UpdateItemRequest.builder().tableName(f.infra.table().name())
                .key(Map.of("PK", some.get(0).get("PK"), "SK", some.get(0).get("SK")))
                .updateExpression("ADD #c :one").expressionAttributeNames(Map.of("#c", "c.score:5"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build());
        var started = f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/recounts", id).header("Idempotency-Key", "rc-1"));
        status(started, 202);
        String pk = Keys.job(tenant, (String) body(started).get("id"));
        JobRef ref = JobRef.of(tenant, (String) body(started).get("id"));
        // the same key starts no second job
        assertEquals(started.getBody(), f.call(onSurvey(tenant, "POST", "/v1/surveys/{id}/recounts", id)
                .header("Idempotency-Key", "rc-1")).getBody());

        long[] budget = {30_000};
        new RecountWorker(f.infra, 1).handleRequest(SurveyFixture.jobInserted(pk), new LambdaContext(() -> budget[0] -= 9_000));
        var halfway = f.infra.jobs().find(ref);
        assertEquals("queued", halfway.status().wire(), "handed over to a fresh invocation");
        assertFalse(halfway.checkpoint().isEmpty());
        assertEquals(1L, halfway.handovers());
        new RecountWorker(f.infra, 1).handleRequest(SurveyFixture.jobInserted(pk), new LambdaContext());
        var finished = f.infra.jobs().find(ref);
        assertEquals("succeeded", finished.status().wire());
        assertEquals(10L, finished.done());
        assertEquals(1L, finished.result().get("differences"), finished.result().toString());
        assertEquals(1, ((List<Object>) finished.result().get("listed")).size());
        assertEquals(recounted(id, "2026-11-24", "2026-12-02"), fromCounters(id, "2026-11-24", "2026-12-02"));
        // a replayed stream record finds the job finished and does nothing
        new RecountWorker(f.infra, 1).handleRequest(SurveyFixture.jobInserted(pk), new LambdaContext());
        assertEquals("succeeded", f.infra.jobs().find(ref).status().wire());
    }

    @Test
    void theNightlyScheduleRecountsTheOpenSurveysOfEveryTenant() {
        SurveyFixture night = new SurveyFixture("2027-03-01T01:00:00Z");
        TenantId a = night.tenant();
        TenantId b = night.tenant();
        String openA = night.survey(a, SURVEY);
        String openB = night.survey(b, SURVEY);
        String closedB = night.survey(b, "{\"kind\": \"csat\", \"title\": \"Old\", \"closesAt\": \"2027-03-01T01:30:00Z\"}");
        status(night.submit(openA, score(9)), 201);
        status(night.submit(openB, score(3)), 201);
        status(night.submit(closedB, score(5)), 201);
        night.clock.set(Instant.parse("2027-03-01T02:00:00Z"));
        for (var survey : List.of(Map.entry(a, openA), Map.entry(b, openB), Map.entry(b, closedB))) {
            for (int shard = 0; shard < 10; shard++) {
                for (var item : night.partition(SurveyTableKeys.counters(survey.getKey(), survey.getValue(), shard))) {
                    night.infra.table().client().updateItem(UpdateItemRequest.builder().tableName(night.infra.table().name())
                            .key(Map.of("PK", item.get("PK"), "SK", item.get("SK")))
                            .updateExpression("ADD #c :one").expressionAttributeNames(Map.of("#c", "c.responses"))
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build());
                }
            }
        }
        assertEquals(2L, night.results(a, openA).get("responses"));

        var schedule = new RecountSchedule(night.infra);
        Map<String, Object> first = schedule.handleRequest(Map.of("detail-type", "Scheduled Event"), new LambdaContext());
        Map<String, Object> second = schedule.handleRequest(Map.of("detail-type", "Scheduled Event"), new LambdaContext());
        assertEquals("survey_recount_2027-03-01", first.get("jobId"));
        assertEquals(true, first.get("queued"));
        assertEquals(false, second.get("queued"), "one job a day however often the schedule fires");
        String pk = Keys.operatorJob((String) first.get("jobId"));
        JobRef ref = JobRef.operator((String) first.get("jobId"));
        new RecountWorker(night.infra).handleRequest(SurveyFixture.jobInserted(pk), new LambdaContext());
        var job = night.infra.jobs().find(ref);
        assertEquals("succeeded", job.status().wire(), String.valueOf(job.error()));
        assertTrue((Long) job.result().get("surveys") >= 2);
        assertEquals(1L, night.results(a, openA).get("responses"));
        assertEquals(1L, night.results(b, openB).get("responses"));
        assertEquals(2L, night.results(b, closedB).get("responses"), "a closed survey is left to on-demand recounts");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSurveyWhoseDefinitionChangedIsRecountedUnderItsCurrentQuestions() {
        String id = f.survey(tenant, SURVEY);
        Random random = new Random(5);
        for (int i = 0; i < 10; i++) {
            status(f.submit(id, answers(random, null)), 201);
        }
        // the effort question goes: its counters stay until a recount, and results ignore them meanwhile
        String withoutEffort = SURVEY.replace("{\"id\": \"effort\", \"type\": \"score\", \"label\": \"Effort\", \"min\": 1, \"max\": 5},", "");
        Map<String, Object> patch = (Map<String, Object>) Json.parse(withoutEffort);
        patch.remove("kind");
        status(f.call(onSurvey(tenant, "PATCH", "/v1/surveys/{id}", id).header("If-Match", "\"1\"").json(Json.write(patch))), 200);
        assertEquals(recounted(id, "2026-11-24", "2026-11-25"), fromCounters(id, "2026-11-24", "2026-11-25"));
        Map<String, Object> report = recount(id);
        assertTrue((Long) report.get("differences") > 0, "the dropped question's counters are removed");
        assertEquals(0L, recount(id).get("differences"));
        assertEquals(recounted(id, "2026-11-24", "2026-11-25"), fromCounters(id, "2026-11-24", "2026-11-25"));
        assertEquals(ZoneId.of("Europe/Berlin"), new DynamoDbSurveyRepository(f.infra.table(), dev.crm.devkit.TestInfrastructure.tenantSecrets(f.infra)).find(tenant, id).zone());
    }
}
