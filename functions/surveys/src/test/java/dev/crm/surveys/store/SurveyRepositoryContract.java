package dev.crm.surveys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ResponseIds;
import dev.crm.surveys.domain.ScoreCounts;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.domain.SurveyRepository.CounterSnapshot;
import dev.crm.surveys.domain.SurveyRepository.NewResponse;
import dev.crm.surveys.domain.SurveyRepository.Recorded;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SurveyRepository} does, whatever keeps the data: run against the in-memory fake
 * and against the DynamoDB adapter on DynamoDB Local. Each test works in tenants of its own.
 */
public abstract class SurveyRepositoryContract {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");
    static final Instant MONDAY = Instant.parse("2026-11-02T10:00:00Z");
    static final LocalDate MONDAY_DAY = LocalDate.parse("2026-11-02");

    protected SurveyRepository repository;
    protected TenantId tenant;

    /** A fresh repository (it may share its store with earlier tests: tenants keep them apart). */
    protected abstract SurveyRepository newRepository();

    /** Gives the store a contact as the contacts function keeps it. */
    protected abstract void givenContact(TenantId tenant, Contact contact);

    /** Gives the store a segment with its rule (JSON) as the contacts function keeps it. */
    protected abstract void givenSegment(TenantId tenant, String segmentId, String ruleJson);

    @BeforeEach
    void setUp() {
        repository = newRepository();
        tenant = TenantId.generate();
    }

    static Survey survey(TenantId tenant, Instant createdAt, String json) {
        Violations v = new Violations();
        Survey s = Survey.create(JsonObject.of(Json.parse(json), v), Survey.newId(), tenant, createdAt);
        assertTrue(v.isEmpty(), () -> v.items().toString());
        return s;
    }

    StoredSurvey created(Instant createdAt) {
        StoredSurvey s = new StoredSurvey(survey(tenant, createdAt,
                "{\"kind\": \"nps\", \"title\": \"How did we do?\", \"duplicatePolicy\": \"replace\"}"), BERLIN);
        repository.create(s);
        return s;
    }

    Contact contact(Contact.Status status) {
        Contact c = new Contact(Ids.random(Contact.ID_PREFIX, 20), new ContactData("Ada", "Lovelace", null, null, null,
                null, null, null, List.of(), Map.of(), null), CREATED, CREATED, 1, status);
        givenContact(tenant, c);
        return c;
    }

    static RecordedResponse response(StoredSurvey s, Instant at, long score, String contactId) {
        return new RecordedResponse(ResponseIds.random(), s.id(), at, contactId, contactId == null ? null : "nonce1",
                Map.of("score", score), Map.of("why", "because"));
    }

    static ScoreCounts counts(StoredSurvey s, RecordedResponse r) {
        return ScoreCounts.ofResponse(s.survey(), r.counted());
    }

    Recorded anonymous(StoredSurvey s, RecordedResponse r) {
        return repository.record(new NewResponse(tenant, s, r, counts(s, r), null, null, null, null, null, 0, null));
    }

    Recorded known(StoredSurvey s, RecordedResponse r, Respondent replaced, RecordedResponse replacedResponse,
            long scoresVersion) {
        return repository.record(new NewResponse(tenant, s, r, counts(s, r), Map.of("score", r.counted().get("score")),
                replaced, replacedResponse, replacedResponse == null ? null : counts(s, replacedResponse),
                Map.of("nps", Map.of("score", r.counted().get("score"))), scoresVersion, 9));
    }

    static long counter(ScoreCounts c, String name) {
        return c == null ? 0 : c.toCounters().getOrDefault(name, 0L);
    }

    // ---- surveys ----

    @Test
    void creatingAnIdThatExistsIsAVersionConflictAndChangesNothing() {
        // A re-run of a keyed create derives the same id: it must learn that the survey exists.
        StoredSurvey s = created(CREATED);
        StoredSurvey again = new StoredSurvey(s.survey(), java.time.ZoneId.of("UTC"));
        assertThrows(dev.crm.shared.store.StoreException.VersionConflict.class, () -> repository.create(again));
        assertEquals(BERLIN, repository.find(tenant, s.id()).zone());
    }

    @Test
    void aCreatedSurveyIsFoundInItsTenantOnlyAndItsPublicIdNamesTheTenant() {
        StoredSurvey s = created(CREATED);
        StoredSurvey found = repository.find(tenant, s.id());
        assertEquals(s.survey().toJson(), found.survey().toJson());
        assertEquals(BERLIN, found.zone());
        assertNull(repository.find(TenantId.generate(), s.id()));
        assertEquals(tenant, repository.tenantOf(s.id()));
        assertNull(repository.tenantOf(Survey.newId()));
    }

    @Test
    void aReplacementOfAnOutdatedReadIsAVersionConflict() {
        StoredSurvey s = created(CREATED);
        Survey renamed = s.survey().merge(JsonObject.of(Json.parse("{\"title\": \"Renamed\"}"), new Violations()),
                CREATED.plusSeconds(60));
        repository.replace(s, renamed);
        assertEquals("Renamed", repository.find(tenant, s.id()).survey().toJson().get("title"));
        assertThrows(StoreException.VersionConflict.class, () -> repository.replace(s, renamed));
    }

    @Test
    void surveysAreListedNewestFirstPageByPage() {
        StoredSurvey oldest = created(CREATED);
        StoredSurvey middle = created(CREATED.plusSeconds(60));
        StoredSurvey newest = created(CREATED.plusSeconds(120));
        Slice<StoredSurvey> first = repository.list(tenant, 2, null);
        assertEquals(List.of(newest.id(), middle.id()), first.items().stream().map(StoredSurvey::id).toList());
        assertNotNull(first.next());
        Slice<StoredSurvey> second = repository.list(tenant, 2, first.next());
        assertEquals(List.of(oldest.id()), second.items().stream().map(StoredSurvey::id).toList());
        assertNull(second.next());
        assertEquals(List.of(), repository.list(TenantId.generate(), 2, null).items());
    }

    // ---- responses ----

    @Test
    void anAnonymousResponseIsStoredOnceAndCountedOnItsDay() {
        StoredSurvey s = created(CREATED);
        RecordedResponse r = response(s, MONDAY, 9, null);
        assertEquals(Recorded.CREATED, anonymous(s, r));
        assertEquals(Recorded.ID_TAKEN, anonymous(s, r), "the same id again stores nothing");
        RecordedResponse stored = repository.response(tenant, s.id(), r.id());
        assertEquals(r.counted().get("score"), ((Number) stored.counted().get("score")).longValue());
        assertEquals(Map.of("why", "because"), stored.texts());
        assertEquals(MONDAY, stored.submittedAt());
        assertNull(repository.response(tenant, s.id(), ResponseIds.random()));

        Map<LocalDate, ScoreCounts> days = repository.dayCounts(tenant, s.id(), MONDAY_DAY.minusDays(3), MONDAY_DAY.plusDays(3));
        assertEquals(List.of(MONDAY_DAY), List.copyOf(days.keySet()));
        assertEquals(1, days.get(MONDAY_DAY).responses());
        assertEquals(1, counter(days.get(MONDAY_DAY), "score:9"));
        assertTrue(repository.dayCounts(tenant, s.id(), MONDAY_DAY.plusDays(1), MONDAY_DAY.plusDays(3)).isEmpty());
    }

    @Test
    void responsesOfARangeComeWithoutTheirTextsAndUpToAMaximum() {
        StoredSurvey s = created(CREATED);
        anonymous(s, response(s, MONDAY, 9, null));
        anonymous(s, response(s, MONDAY.plusSeconds(1), 8, null));
        anonymous(s, response(s, MONDAY.plusSeconds(86_400), 7, null));
        List<RecordedResponse> monday = repository.responses(tenant, s.id(), MONDAY, MONDAY.plusSeconds(3600), 10);
        assertEquals(2, monday.size());
        assertTrue(monday.stream().allMatch(r -> r.texts().isEmpty()));
        assertEquals(3, repository.responses(tenant, s.id(), MONDAY, MONDAY.plusSeconds(2 * 86_400), 3).size());
        assertThrows(SurveyRepository.TooManyResponses.class,
                () -> repository.responses(tenant, s.id(), MONDAY, MONDAY.plusSeconds(2 * 86_400), 2));
    }

    @Test
    void aKnownContactsResponseGuardsTheContactAndKeepsItsLatestScores() {
        StoredSurvey s = created(CREATED);
        Contact c = contact(Contact.Status.ACTIVE);
        RecordedResponse first = response(s, MONDAY, 9, c.id());
        assertEquals(Recorded.CREATED, known(s, first, null, null, 0));
        Respondent respondent = repository.respondent(tenant, s.id(), c.id());
        assertEquals(new Respondent(c.id(), first.id(), MONDAY), respondent);
        assertEquals(first.id(), repository.response(tenant, s.id(), respondent).id());
        assertEquals(1, repository.latestScores(tenant, c.id()).version());
        assertEquals(9L, ((Number) ((Map<?, ?>) repository.latestScores(tenant, c.id()).view().get("nps")).get("score"))
                .longValue());
        assertNull(repository.respondent(tenant, s.id(), "c_nobody0123456789abcd"));

        RecordedResponse second = response(s, MONDAY.plusSeconds(60), 3, c.id());
        assertEquals(Recorded.RESPONDENT_TAKEN, known(s, second, null, null, 1), "the contact has responded already");
        assertThrows(StoreException.Contention.class, () -> known(s, second, respondent, first, 0),
                "the latest scores changed since they were read");
        assertNull(repository.response(tenant, s.id(), second.id()), "nothing of a refused response is stored");
    }

    @Test
    void aReplacingResponseTakesTheFirstOnesPlaceAndItsCounts() {
        StoredSurvey s = created(CREATED);
        Contact c = contact(Contact.Status.ACTIVE);
        RecordedResponse first = response(s, MONDAY, 9, c.id());
        known(s, first, null, null, 0);
        Respondent respondent = repository.respondent(tenant, s.id(), c.id());
        RecordedResponse second = response(s, MONDAY.plusSeconds(86_400), 3, c.id());
        assertEquals(Recorded.CREATED, known(s, second, respondent, first, 1));
        assertNull(repository.response(tenant, s.id(), first.id()), "replaced");
        assertEquals(second.id(), repository.respondent(tenant, s.id(), c.id()).responseId());
        assertNull(repository.response(tenant, s.id(), respondent), "the old guard's response is gone");
        Map<LocalDate, ScoreCounts> days = repository.dayCounts(tenant, s.id(), MONDAY_DAY, MONDAY_DAY.plusDays(2));
        assertEquals(0, days.get(MONDAY_DAY).responses());
        assertEquals(0, counter(days.get(MONDAY_DAY), "score:9"));
        assertEquals(1, days.get(MONDAY_DAY.plusDays(1)).responses());
        assertEquals(1, counter(days.get(MONDAY_DAY.plusDays(1)), "score:3"));
        assertEquals(Recorded.RESPONDENT_TAKEN, known(s, response(s, MONDAY.plusSeconds(90_000), 5, c.id()), respondent, first, 2),
                "a replacement of what is no longer the contact's response");
    }

    @Test
    void aResponseOfAContactThatIsGoneOrBeingErasedIsRefused() {
        StoredSurvey s = created(CREATED);
        Contact erasing = contact(Contact.Status.ERASING);
        assertEquals(Recorded.CONTACT_GONE, known(s, response(s, MONDAY, 9, erasing.id()), null, null, 0));
        assertEquals(Recorded.CONTACT_GONE, known(s, response(s, MONDAY, 9, "c_nobody0123456789abcd"), null, null, 0));
        assertTrue(repository.dayCounts(tenant, s.id(), MONDAY_DAY, MONDAY_DAY.plusDays(1)).isEmpty());
    }

    // ---- contacts and segments ----

    @Test
    void contactsAndFactsShowActiveContactsOnly() {
        Contact active = contact(Contact.Status.ACTIVE);
        Contact erasing = contact(Contact.Status.ERASING);
        assertEquals(active.id(), repository.contact(tenant, active.id()).id());
        assertNull(repository.contact(tenant, erasing.id()));
        assertNull(repository.contact(TenantId.generate(), active.id()));
        var facts = repository.facts(tenant, List.of(active.id(), erasing.id(), "c_nobody0123456789abcd"), false);
        assertEquals(List.of(active.id()), List.copyOf(facts.keySet()));
    }

    @Test
    void theLatestNpsOfAContactIsAFact() {
        StoredSurvey s = created(CREATED);
        Contact c = contact(Contact.Status.ACTIVE);
        known(s, response(s, MONDAY, 9, c.id()), null, null, 0);
        assertEquals(9, repository.facts(tenant, List.of(c.id()), true).get(c.id()).latestNps());
    }

    @Test
    void aSegmentsRuleIsReadAsItsJson() {
        givenSegment(tenant, "seg_0123456789abcdefghjk", "{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"customer\"}");
        assertEquals(Json.parse("{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"customer\"}"),
                repository.segmentRule(tenant, "seg_0123456789abcdefghjk"));
        assertNull(repository.segmentRule(tenant, "seg_9999999999abcdefghjk"));
    }

    // ---- recount ----

    @Test
    void theRecountReadsEachShardsDaysCountersAndAnswers() {
        StoredSurvey s = created(CREATED);
        RecordedResponse r = response(s, MONDAY, 9, null);
        anonymous(s, r);
        int shard = CounterShards.shardFor(r.id());
        assertEquals(MONDAY_DAY, repository.nextDay(tenant, s, shard, null));
        assertEquals(MONDAY_DAY, repository.nextDay(tenant, s, shard, MONDAY_DAY));
        assertNull(repository.nextDay(tenant, s, shard, MONDAY_DAY.plusDays(1)));
        assertNull(repository.nextDay(tenant, s, (shard + 1) % CounterShards.SHARDS, null));
        CounterSnapshot snapshot = repository.counters(tenant, s.id(), shard, MONDAY_DAY);
        assertTrue(snapshot.exists());
        assertEquals(1, snapshot.writes());
        assertEquals(1, snapshot.counts().responses());
        assertFalse(repository.counters(tenant, s.id(), shard, MONDAY_DAY.plusDays(1)).exists());
        List<Map<String, Object>> answers = repository.answersOn(tenant, s, shard, MONDAY_DAY);
        assertEquals(1, answers.size());
        assertEquals(9L, ((Number) answers.get(0).get("score")).longValue());
    }

    @Test
    void aCountedDayIsFoundByTheRecountEvenWithoutResponses() {
        StoredSurvey s = created(CREATED);
        CounterSnapshot none = repository.counters(tenant, s.id(), 4, MONDAY_DAY);
        assertTrue(repository.repair(tenant, s.id(), 4, MONDAY_DAY, none, Map.of("responses", 1L)));
        assertEquals(MONDAY_DAY, repository.nextDay(tenant, s, 4, null));
        assertEquals(1, repository.counters(tenant, s.id(), 4, MONDAY_DAY).counts().responses());
        assertFalse(repository.repair(tenant, s.id(), 4, MONDAY_DAY, none, Map.of("responses", 1L)),
                "it exists now, unlike when read");
    }

    @Test
    void aRepairAppliesOnlyToTheCountersItRead() {
        StoredSurvey s = created(CREATED);
        RecordedResponse r = response(s, MONDAY, 9, null);
        anonymous(s, r);
        int shard = CounterShards.shardFor(r.id());
        CounterSnapshot read = repository.counters(tenant, s.id(), shard, MONDAY_DAY);
        anonymous(s, response(s, MONDAY.plusSeconds(1), 9, null)); // may land in another shard
        CounterSnapshot now = repository.counters(tenant, s.id(), shard, MONDAY_DAY);
        if (now.writes() != read.writes()) {
            assertFalse(repository.repair(tenant, s.id(), shard, MONDAY_DAY, read, Map.of("score:8", 1L)));
        }
        assertTrue(repository.repair(tenant, s.id(), shard, MONDAY_DAY, now, Map.of("score:8", 1L, "score:9", -1L)));
        CounterSnapshot repaired = repository.counters(tenant, s.id(), shard, MONDAY_DAY);
        assertEquals(now.writes() + 1, repaired.writes(), "a repair counts as a write");
        assertEquals(1, counter(repaired.counts(), "score:8"));
        assertEquals(counter(now.counts(), "score:9") - 1, counter(repaired.counts(), "score:9"));
        assertFalse(repository.repair(tenant, s.id(), shard, MONDAY_DAY, now, Map.of("score:8", 1L)), "applied once only");
    }
}
