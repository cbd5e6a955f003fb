package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queuing runs on demand and nightly, and finding them. */
class ChurnRunsTest {
    static final Instant NOW = Instant.parse("2026-11-24T23:30:00Z");
    private final QueuedJobs jobs = new QueuedJobs(NOW);
    private final TenantId a = TenantId.generate();
    private final TenantId b = TenantId.generate();
    private final ChurnRuns runs = new ChurnRuns(jobs, tenantsListing(List.of(a, b)), Clock.fixed(NOW, ZoneOffset.UTC));

    /** Only the listing of tenant ids is what the schedule needs of the tenants. */
    static TenantRepository tenantsListing(List<TenantId> ids) {
        return (TenantRepository) Proxy.newProxyInstance(TenantRepository.class.getClassLoader(),
                new Class<?>[] {TenantRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listTenantIds")) {
                        return ids;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRunStartedOnDemandIsAQueuedChurnRunOfTheTenant() {
        Job run = runs.start(a, null);
        assertTrue(run.id().matches("run_[0-9a-z]{20}"), run.id());
        assertEquals(ChurnRun.KIND, run.kind());
        assertEquals(Job.Status.QUEUED, run.status());
        assertEquals(Map.of("trigger", "api"), run.input());
        assertEquals(run.id(), runs.find(a, run.id()).id());
        Job backtest = runs.start(a, LocalDate.parse("2026-06-30"));
        assertEquals(Map.of("trigger", "api", "asOf", "2026-06-30"), backtest.input());
    }

    @Test
    void onlyTheTenantsOwnChurnRunsAreFound() {
        Job run = runs.start(a, null);
        assertNull(runs.find(b, run.id()));
        assertNull(runs.find(a, "run_nope"));
        assertNull(runs.find(a, null));
        jobs.create(NewJob.forTenant(JobRef.of(a, "run_aaaaaaaaaaaaaaaaaaaa"), "contact_import", Map.of(), 0));
        assertNull(runs.find(a, "run_aaaaaaaaaaaaaaaaaaaa"), "another kind of job");
    }

    @Test
    void theNightlyScheduleQueuesOneRunPerTenantPerDayOnce() {
        ChurnRuns.Nightly first = runs.queueNightly();
        assertEquals(LocalDate.parse("2026-11-24"), first.day(), "the day in UTC");
        assertEquals(2, first.queued());
        assertEquals(0, first.alreadyQueued());
        ChurnRuns.Nightly again = runs.queueNightly();
        assertEquals(0, again.queued());
        assertEquals(2, again.alreadyQueued());
        assertEquals(2, jobs.all().size());
        Job nightly = runs.find(a, ChurnRuns.nightlyRunId(a, first.day()));
        assertNotNull(nightly);
        assertEquals(Map.of("trigger", "schedule"), nightly.input());
        assertTrue(!ChurnRuns.nightlyRunId(a, first.day()).equals(ChurnRuns.nightlyRunId(b, first.day())));
        assertTrue(!ChurnRuns.nightlyRunId(a, first.day()).equals(ChurnRuns.nightlyRunId(a, first.day().plusDays(1))));
    }
}
