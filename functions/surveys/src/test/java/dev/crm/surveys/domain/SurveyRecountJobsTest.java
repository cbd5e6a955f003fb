package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.surveys.store.memory.InMemorySurveyRepository;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recount jobs over the in-memory repository: queuing them, and walking one survey or every open one. */
class SurveyRecountJobsTest {
    static final Instant NOW = Instant.parse("2026-11-24T02:00:00Z");

    final InMemorySurveyRepository surveys = new InMemorySurveyRepository();
    final Map<JobRef, Job> jobs = new LinkedHashMap<>();
    final Map<TenantId, Tenant> tenants = new LinkedHashMap<>();

    /** Creating and finding jobs, as the job store does (a second job with the same id is refused). */
    final JobRepository jobStore = (JobRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {JobRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                case "create" -> {
                    NewJob n = (NewJob) args[0];
                    if (jobs.containsKey(n.ref())) {
                        throw new StoreException.UniqueViolation("id", n.ref().id());
                    }
                    Job job = new Job(n.ref(), n.ref().id(), n.kind(), n.tenantId(), Job.Status.QUEUED, 0, n.total(), n.input(),
                            null, null, Map.of(), null, 0, 0, NOW, NOW);
                    jobs.put(n.ref(), job);
                    yield job;
                }
                case "find" -> jobs.get((JobRef) args[0]);
                // what the port defines on create and find (createOrFind) runs as the port defines it
                default -> {
                    if (method.isDefault()) {
                        yield java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    throw new UnsupportedOperationException(method.getName());
                }
            });

    final TenantRepository tenantStore = (TenantRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {TenantRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                case "listTenantIds" -> List.copyOf(tenants.keySet());
                case "find" -> tenants.get((TenantId) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    final SurveyRecount recount = new SurveyRecount(surveys, jobStore, tenantStore);

    TenantId tenant(Tenant.Status status) {
        TenantId id = TenantId.generate();
        tenants.put(id, new Tenant(id, "T", "t-" + id.value().substring(2, 10), status, TenantSettings.defaults(),
                TenantSecrets.generate(), NOW, NOW, 1));
        return id;
    }

    StoredSurvey survey(TenantId t, String extra) {
        StoredSurvey s = new StoredSurvey(Survey.create(Fixtures.body("{'kind': 'nps', 'title': 'T'" + extra + "}",
                new dev.crm.shared.json.Violations()), Survey.newId(), t, Instant.parse("2026-11-01T00:00:00Z")), ZoneId.of("UTC"));
        surveys.create(s);
        return s;
    }

    /** A response, and a counter of its day off by one. */
    void skewed(TenantId t, StoredSurvey s) {
        String id = ResponseIds.random();
        new SurveyService(surveys).submit(t, s, new SubmittedResponse(Instant.parse("2026-11-20T10:00:00Z"),
                Map.of("score", 9L)), id, null, null);
        int shard = CounterShards.shardFor(id);
        LocalDate day = LocalDate.parse("2026-11-20");
        assertTrue(surveys.repair(t, s.id(), shard, day, surveys.counters(t, s.id(), shard, day), Map.of("score:9", 1L)));
    }

    SurveyRecount.JobStep runToEnd(Map<String, Object> input, int itemsPerStep) {
        Map<String, Object> checkpoint = Map.of();
        for (int steps = 0; steps < 10_000; steps++) {
            // through the checkpoint's JSON form, as the job store keeps it
            SurveyRecount.JobStep s = recount.advance(input, asStored(checkpoint), itemsPerStep, NOW);
            if (s.finished()) {
                return s;
            }
            assertTrue(s.done() <= s.total());
            checkpoint = s.state();
        }
        throw new AssertionError("the recount did not finish");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asStored(Map<String, Object> checkpoint) {
        return (Map<String, Object>) Json.parse(Json.write(checkpoint));
    }

    @Test
    void aStartedRecountIsAQueuedJobOfItsTenantFoundByItsId() {
        TenantId t = tenant(Tenant.Status.ACTIVE);
        StoredSurvey s = survey(t, "");
        Job job = recount.start(t, s);
        assertEquals(SurveyRecount.JOB_KIND, job.kind());
        assertEquals(Map.of("tenantId", t.value(), "surveyId", s.id()), job.input());
        assertEquals(CounterShards.SHARDS, job.total());
        assertEquals(job, recount.find(t, job.id()));
        assertNull(recount.find(tenant(Tenant.Status.ACTIVE), job.id()), "another tenant's job is not found");
        assertNull(recount.find(t, "imp_" + job.id().substring(4)), "not a recount id");
    }

    @Test
    void theNightlyRecountIsQueuedOnceADay() {
        SurveyRecount.Scheduled first = recount.scheduleNightly(NOW);
        assertEquals(new SurveyRecount.Scheduled("survey_recount_2026-11-24", true), first);
        assertFalse(recount.scheduleNightly(NOW.plusSeconds(60)).queued());
        assertTrue(recount.scheduleNightly(NOW.plusSeconds(86_400)).queued());
    }

    @Test
    void aRecountOfOneSurveyRepairsItsCountersAndReportsWhatItFound() {
        TenantId t = tenant(Tenant.Status.ACTIVE);
        StoredSurvey s = survey(t, "");
        skewed(t, s);
        SurveyRecount.JobStep done = runToEnd(recount.start(t, s).input(), 1);
        assertEquals(CounterShards.SHARDS, done.done());
        assertEquals(s.id(), done.state().get("surveyId"));
        assertEquals(1L, done.state().get("differences"));
        assertEquals(0L, runToEnd(recount.start(t, s).input(), 50).state().get("differences"), "nothing left to repair");
    }

    @Test
    void aRecountThatCannotRunIsRefused() {
        TenantId t = tenant(Tenant.Status.ACTIVE);
        assertThrows(SurveyRecount.CannotRecount.class,
                () -> recount.advance(Map.of("tenantId", t.value(), "surveyId", Survey.newId()), Map.of(), 5, NOW));
        assertThrows(SurveyRecount.CannotRecount.class, () -> recount.advance(Map.of("scope", "everything"), Map.of(), 5, NOW));
    }

    @Test
    void theNightlyRecountVisitsTheOpenSurveysOfActiveTenants() {
        TenantId a = tenant(Tenant.Status.ACTIVE);
        TenantId b = tenant(Tenant.Status.ACTIVE);
        TenantId leaving = tenant(Tenant.Status.DEPROVISIONING);
        StoredSurvey openA = survey(a, "");
        StoredSurvey openB = survey(b, "");
        StoredSurvey closedB = survey(b, ", 'closesAt': '2026-11-23T00:00:00Z'");
        StoredSurvey gone = survey(leaving, "");
        for (int i = 0; i < SurveyRecount.SURVEYS_PER_PAGE; i++) {
            survey(a, ""); // a second page of surveys
        }
        skewed(a, openA);
        skewed(b, openB);
        skewed(b, closedB);
        skewed(leaving, gone);
        SurveyRecount.JobStep done = runToEnd(Map.of("scope", SurveyRecount.ALL_OPEN_SURVEYS), 3);
        assertEquals(SurveyRecount.SURVEYS_PER_PAGE + 2L, done.state().get("surveys"));
        assertEquals(2L, done.state().get("differences"), "the closed survey and the leaving tenant's are left alone");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) done.state().get("listed");
        assertEquals(List.of(openA.id(), openB.id()).stream().sorted().toList(),
                listed.stream().map(d -> (String) d.get("surveyId")).sorted().toList());
    }
}
