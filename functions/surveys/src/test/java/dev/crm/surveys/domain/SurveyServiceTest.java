package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.SurveyService.Outcome;
import dev.crm.surveys.domain.SurveyService.Submitted;
import dev.crm.surveys.store.memory.InMemorySurveyRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The service's rules over the in-memory repository: submissions exactly once, replacements, results, failures. */
class SurveyServiceTest {
    static final TenantId T = Fixtures.TENANT;
    static final Instant MONDAY = Instant.parse("2026-11-02T10:00:00Z");

    final InMemorySurveyRepository memory = new InMemorySurveyRepository();
    final List<Integer> pauses = new ArrayList<>();

    SurveyService service(SurveyRepository repository) {
        return new SurveyService(repository, pauses::add);
    }

    final SurveyService service = service(memory);

    StoredSurvey survey(String duplicatePolicy) {
        StoredSurvey s = new StoredSurvey(Survey.create(Fixtures.body("{'kind': 'nps', 'title': 'T', 'duplicatePolicy': '"
                + duplicatePolicy + "'}", new Violations()), Survey.newId(), T, Fixtures.CREATED), ZoneId.of("UTC"));
        service.create(s);
        return s;
    }

    Contact contact(String... tags) {
        Contact c = new Contact("c_" + Long.toString(System.nanoTime(), 36) + "0000000000", new ContactData("Ada", null, null,
                null, null, null, null, null, List.of(tags), Map.of(), null), Fixtures.CREATED, Fixtures.CREATED, 1,
                Contact.Status.ACTIVE);
        memory.putContact(T, c);
        return c;
    }

    static SubmittedResponse score(long score, Instant at) {
        return new SubmittedResponse(at, Map.of("score", score));
    }

    Submitted submit(StoredSurvey s, long score, Instant at, String responseId, String contactId) {
        return service.submit(T, s, score(score, at), responseId, contactId, contactId == null ? null : "nonce");
    }

    SurveyResults results(StoredSurvey s) {
        Violations v = new Violations();
        ResultsQuery q = ResultsQuery.parse(Map.of("from", "2026-11-01", "to", "2026-11-30"), s.zone(), MONDAY, v);
        assertTrue(v.isEmpty(), () -> v.items().toString());
        return service.results(T, s, q);
    }

    SurveyResults segmentResults(StoredSurvey s, String segmentId) {
        Violations v = new Violations();
        ResultsQuery q = ResultsQuery.parse(Map.of("from", "2026-11-01", "to", "2026-11-30"), s.zone(), MONDAY, v);
        return service.segmentResults(T, s, q, segmentId);
    }

    /** The fake, except that {@code method} throws {@code failure} its first {@code times} calls. */
    SurveyRepository failing(String method, int times, RuntimeException failure, AtomicInteger calls) {
        return (SurveyRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SurveyRepository.class},
                (proxy, m, args) -> {
                    if (m.getName().equals(method) && calls.incrementAndGet() <= times) {
                        throw failure;
                    }
                    try {
                        return m.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---- surveys ----

    @Test
    void surveysAreFoundListedAndLookedUpByPublicId() {
        StoredSurvey s = survey("reject");
        assertEquals(s.id(), service.find(T, s.id()).id());
        assertEquals(List.of(s.id()), service.list(T, 10, null).items().stream().map(StoredSurvey::id).toList());
        assertEquals(T, service.tenantOf(s.id()));
        assertNull(service.tenantOf("not-a-survey-id"), "an id of another shape is not looked up");
        assertNull(service.find(new TenantId("t_99999999999999999999"), s.id()));
    }

    @Test
    void aReplacementOfAnOutdatedSurveyIsAVersionConflict() {
        StoredSurvey s = survey("reject");
        Survey renamed = s.survey().merge(Fixtures.body("{'title': 'New'}", new Violations()), MONDAY);
        service.replace(s, renamed);
        assertThrows(StoreException.VersionConflict.class, () -> service.replace(s, renamed));
    }

    // ---- submissions ----

    @Test
    void anAnonymousResponseIsStoredAndCountedOnceAndItsRetryIsAReplay() {
        StoredSurvey s = survey("reject");
        String id = ResponseIds.random();
        Submitted first = submit(s, 9, MONDAY, id, null);
        assertEquals(Outcome.CREATED, first.outcome());
        Submitted again = submit(s, 9, MONDAY.plusSeconds(5), id, null);
        assertEquals(Outcome.REPLAYED, again.outcome());
        assertEquals(first.receipt(), again.receipt(), "the first receipt, not a new one");
        assertEquals(1, results(s).total().responses());
        assertEquals(List.of(), pauses);
    }

    @Test
    void aContactsSecondResponseIsRefusedUnderReject() {
        StoredSurvey s = survey("reject");
        Contact c = contact();
        assertEquals(Outcome.CREATED, submit(s, 9, MONDAY, ResponseIds.random(), c.id()).outcome());
        Submitted second = submit(s, 3, MONDAY.plusSeconds(60), ResponseIds.random(), c.id());
        assertEquals(Outcome.TOKEN_USED, second.outcome());
        assertNull(second.receipt());
        assertEquals(1, results(s).total().responses());
        assertEquals(9, memory.latestNps(T, c.id()));
    }

    @Test
    void underReplaceTheSecondResponseTakesTheFirstOnesPlaceAndCounts() {
        StoredSurvey s = survey("replace");
        Contact c = contact();
        String firstId = ResponseIds.random();
        submit(s, 9, MONDAY, firstId, c.id());
        assertEquals(Outcome.CREATED, submit(s, 3, MONDAY.plusSeconds(86_400), ResponseIds.random(), c.id()).outcome());
        SurveyResults r = results(s);
        assertEquals(1, r.total().responses());
        assertEquals(1, r.total().detractors());
        assertEquals(0, r.total().promoters());
        assertEquals(3, memory.latestNps(T, c.id()));
        assertEquals(1, memory.timeline(T, c.id()).size(), "the replaced response left the timeline");
        assertEquals(Outcome.REPLACED_SINCE, submit(s, 9, MONDAY, firstId, c.id()).outcome(),
                "a retry of the first submission finds it replaced");
    }

    @Test
    void aResponseThroughATokenOfAContactThatIsGoneIsRefused() {
        StoredSurvey s = survey("reject");
        assertEquals(Outcome.CONTACT_GONE, submit(s, 9, MONDAY, ResponseIds.random(), "c_gone000000000000000000").outcome());
        assertEquals(0, results(s).total().responses());
    }

    @Test
    void aContendedWriteIsReadAgainAndRetried() {
        AtomicInteger calls = new AtomicInteger();
        SurveyService flaky = service(failing("record", 3, new StoreException.Contention(), calls));
        StoredSurvey s = survey("reject");
        Submitted r = flaky.submit(T, s, score(9, MONDAY), ResponseIds.random(), null, null);
        assertEquals(Outcome.CREATED, r.outcome());
        assertEquals(4, calls.get());
        assertEquals(List.of(1, 2, 3), pauses, "a pause before each retry");
        assertEquals(1, results(s).total().responses());
    }

    @Test
    void aWriteContendedEveryTimeGivesUpAfterTheLastAttempt() {
        AtomicInteger calls = new AtomicInteger();
        SurveyService hopeless = service(failing("record", Integer.MAX_VALUE, new StoreException.Contention(), calls));
        StoredSurvey s = survey("reject");
        assertThrows(IllegalStateException.class,
                () -> hopeless.submit(T, s, score(9, MONDAY), ResponseIds.random(), null, null));
        assertEquals(SurveyService.MAX_ATTEMPTS, calls.get());
    }

    @Test
    void aStoreThatIsBusyIsNotRetriedHere() {
        AtomicInteger calls = new AtomicInteger();
        SurveyService busy = service(failing("record", 1, new StoreException.Busy(), calls));
        StoredSurvey s = survey("reject");
        assertThrows(StoreException.Busy.class, () -> busy.submit(T, s, score(9, MONDAY), ResponseIds.random(), null, null));
        assertEquals(1, calls.get());
    }

    // ---- results ----

    @Test
    void segmentResultsCountTheResponsesOfTodaysMembersOnly() {
        StoredSurvey s = survey("reject");
        Contact vip = contact("vip");
        Contact other = contact();
        submit(s, 9, MONDAY, ResponseIds.random(), vip.id());
        submit(s, 2, MONDAY, ResponseIds.random(), other.id());
        submit(s, 10, MONDAY, ResponseIds.random(), null);
        memory.putSegment(T, "seg_vip", Json.parse("{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}"));
        SurveyResults r = segmentResults(s, "seg_vip");
        assertEquals(1, r.total().responses());
        assertEquals(1, r.total().promoters());
        assertEquals(3, results(s).total().responses());
    }

    @Test
    void segmentResultsOfAnUnknownSegmentOrTooManyResponsesAreRefused() {
        StoredSurvey s = survey("reject");
        assertThrows(SurveyService.NoSuchSegment.class, () -> segmentResults(s, "seg_nothing"));
        memory.putSegment(T, "seg_all", Json.parse("{\"field\": \"tags\", \"op\": \"contains\", \"value\": \"vip\"}"));
        SurveyService crowded = service(failing("responses", 1, new SurveyRepository.TooManyResponses(), new AtomicInteger()));
        Violations v = new Violations();
        ResultsQuery q = ResultsQuery.parse(Map.of("from", "2026-11-01", "to", "2026-11-30"), s.zone(), MONDAY, v);
        assertThrows(SurveyRepository.TooManyResponses.class, () -> crowded.segmentResults(T, s, q, "seg_all"));
    }

    @Test
    void aRespondentLinkNeedsAnExistingContact() {
        Contact c = contact();
        assertNotNull(service.respondent(T, c.id()));
        assertNull(service.respondent(T, "c_nobody0000000000000000"));
    }
}
