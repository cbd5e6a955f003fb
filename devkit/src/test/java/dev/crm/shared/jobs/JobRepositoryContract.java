package dev.crm.shared.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link JobRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class JobRepositoryContract {
    protected final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private JobRepository jobs;

    /** A repository over this test's clock. */
    protected abstract JobRepository repository(Clock clock);

    @BeforeEach
    void setUp() {
        jobs = repository(clock);
    }

    private static JobRef tenantJob() {
        return JobRef.of(TenantId.generate(), Ids.random("job_", 20));
    }

    private Job queued(JobRef ref) {
        return jobs.create(ref.isOperators() ? new NewJob(ref, "sweep", null, Map.of("n", 3L), 0)
                : NewJob.forTenant(ref, "import", Map.of("rows", 3L, "name", "a.csv"), 3));
    }

    @Test
    void aCreatedJobIsQueuedWithItsInput() {
        JobRef ref = tenantJob();
        Job created = queued(ref);
        assertEquals(Job.Status.QUEUED, created.status());
        Job found = jobs.find(ref);
        assertEquals(ref, found.ref());
        assertEquals(ref.id(), found.id());
        assertEquals("import", found.kind());
        assertEquals(ref.tenant().value(), found.tenantId());
        assertEquals(Job.Status.QUEUED, found.status());
        assertEquals(0, found.done());
        assertEquals(3, found.total());
        assertEquals(Map.of("rows", 3L, "name", "a.csv"), found.input());
        assertEquals(0, found.handovers());
        assertNull(found.leaseOwner());
        assertEquals(clock.instant(), found.createdAt());
        assertEquals(clock.instant(), found.updatedAt());
    }

    @Test
    void aJobIdIsUniqueWithinItsNamespace() {
        JobRef ref = tenantJob();
        queued(ref);
        assertThrows(StoreException.UniqueViolation.class, () -> queued(ref));
        JobRef operators = JobRef.operator(ref.id());
        queued(operators);
        assertNull(jobs.find(operators).tenantId());
        assertEquals(ref.tenant().value(), jobs.find(ref).tenantId());
    }

    @Test
    void anUnknownJobIsNotFoundAndCannotBeClaimed() {
        assertNull(jobs.find(tenantJob()));
        assertNull(jobs.claim(tenantJob(), "w1", 1000));
    }

    @Test
    void oneWorkerAtATimeHoldsTheLeaseUntilItRunsOut() {
        JobRef ref = tenantJob();
        queued(ref);
        Job claimed = jobs.claim(ref, "w1", 60_000);
        assertNotNull(claimed);
        assertEquals(Job.Status.RUNNING, claimed.status());
        assertEquals("w1", claimed.leaseOwner());
        assertEquals(clock.millis() + 60_000, claimed.leaseUntilMillis());
        assertNull(jobs.claim(ref, "w2", 60_000), "held");
        clock.advance(Duration.ofSeconds(61));
        Job taken = jobs.claim(ref, "w2", 60_000);
        assertEquals("w2", taken.leaseOwner());
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.checkpoint(ref, "w1", 1, 3, Map.of(), 60_000));
    }

    @Test
    void aCheckpointRecordsProgressAndRenewsTheLease() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "w1", 60_000);
        clock.advance(Duration.ofSeconds(30));
        jobs.checkpoint(ref, "w1", 2, 3, Map.of("next", "row-3", "chunk", 1L), 60_000);
        Job j = jobs.find(ref);
        assertEquals(2, j.done());
        assertEquals(Map.of("next", "row-3", "chunk", 1L), j.checkpoint());
        assertEquals(clock.millis() + 60_000, j.leaseUntilMillis());
        assertEquals(clock.instant(), j.updatedAt());
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.checkpoint(ref, "w2", 3, 3, Map.of(), 60_000));
    }

    @Test
    void aHandOverQueuesTheJobAgainAndKeepsTheCheckpoint() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "w1", 60_000);
        jobs.checkpoint(ref, "w1", 1, 3, Map.of("next", 1L), 60_000);
        jobs.handOver(ref, "w1");
        Job j = jobs.find(ref);
        assertEquals(Job.Status.QUEUED, j.status());
        assertEquals(1, j.handovers());
        assertNull(j.leaseOwner());
        assertEquals(Map.of("next", 1L), j.checkpoint());
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.handOver(ref, "w1"));
        assertEquals("w2", jobs.claim(ref, "w2", 60_000).leaseOwner());
    }

    @Test
    void completingKeepsTheResultAndDropsInputAndCheckpoint() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "w1", 60_000);
        jobs.checkpoint(ref, "w1", 1, 3, Map.of("next", 1L), 60_000);
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.complete(ref, "w2", 3, 3, Map.of()));
        jobs.complete(ref, "w1", 3, 3, Map.of("created", 3L));
        Job j = jobs.find(ref);
        assertEquals(Job.Status.SUCCEEDED, j.status());
        assertEquals(3, j.done());
        assertEquals(Map.of("created", 3L), j.result());
        assertTrue(j.input().isEmpty());
        assertTrue(j.checkpoint().isEmpty());
        assertNull(j.leaseOwner());
        assertNull(jobs.claim(ref, "w2", 60_000), "finished");
    }

    @Test
    void failingRecordsTheReason() {
        JobRef ref = JobRef.operator(Ids.random("op_", 20));
        queued(ref);
        jobs.claim(ref, "w1", 60_000);
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.fail(ref, "w2", "no"));
        jobs.fail(ref, "w1", "the file is not CSV");
        Job j = jobs.find(ref);
        assertEquals(Job.Status.FAILED, j.status());
        assertEquals("the file is not CSV", j.error());
        assertNull(j.leaseOwner());
        assertNull(jobs.claim(ref, "w2", 60_000));
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        clock.set(Instant.parse("2026-11-24T10:00:00.123Z"));
        JobRef ref = tenantJob();
        queued(ref);
        assertEquals(Instant.parse("2026-11-24T10:00:00.123Z"), jobs.find(ref).createdAt());
    }

    // ---- failed attempts

    @Test
    void aFailedAttemptQueuesTheJobAgainAndIsCountedUntilProgressResetsTheCount() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "w1", 60_000);
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.handOverAfterFailure(ref, "w2"));
        jobs.handOverAfterFailure(ref, "w1");
        Job j = jobs.find(ref);
        assertEquals(Job.Status.QUEUED, j.status());
        assertEquals(1, j.failures());
        assertEquals(1, j.handovers());
        assertNull(j.leaseOwner());
        assertEquals(1, jobs.claim(ref, "w2", 60_000).failures(), "the claim tells the worker how many failed before");
        jobs.handOverAfterFailure(ref, "w2");
        jobs.claim(ref, "w3", 60_000);
        jobs.handOver(ref, "w3");
        assertEquals(2, jobs.find(ref).failures(), "a plain hand-over (time ran low) is not a failure");
        jobs.claim(ref, "w4", 60_000);
        jobs.checkpoint(ref, "w4", 1, 3, Map.of("next", 1L), 60_000);
        assertEquals(0, jobs.find(ref).failures(), "progress: the failures were not in a row");
    }

    // ---- stalled jobs (the sweeper's view)

    @Test
    void aQueuedJobNobodyClaimsIsStalledOnceItIsOverdue() {
        JobRef ref = tenantJob();
        queued(ref);
        assertEquals(clock.instant(), jobs.find(ref).dueBy(), "due to be claimed at once");
        assertFalse(jobs.stalled(clock.instant(), 1000).contains(ref));
        assertTrue(jobs.stalled(clock.instant().plusMillis(1), 1000).contains(ref));
    }

    @Test
    void aRunningJobIsStalledOnlyOnceItsLeaseRunsOutUnrenewed() {
        JobRef ref = JobRef.operator(Ids.random("op_", 20));
        queued(ref);
        Instant start = clock.instant();
        jobs.claim(ref, "w1", 60_000);
        assertFalse(jobs.stalled(start.plusSeconds(60), 1000).contains(ref), "the lease still holds");
        assertTrue(jobs.stalled(start.plusSeconds(60).plusMillis(1), 1000).contains(ref), "the lease ran out");
        clock.advance(Duration.ofSeconds(30));
        jobs.checkpoint(ref, "w1", 1, 3, Map.of(), 60_000);
        assertFalse(jobs.stalled(start.plusSeconds(60).plusMillis(1), 1000).contains(ref), "renewed by its checkpoint");
        assertTrue(jobs.stalled(start.plusSeconds(90).plusMillis(1), 1000).contains(ref));
    }

    @Test
    void finishedJobsAreNeverStalled() {
        JobRef done = tenantJob();
        queued(done);
        jobs.claim(done, "w1", 60_000);
        jobs.complete(done, "w1", 3, 3, Map.of());
        JobRef failed = tenantJob();
        queued(failed);
        jobs.claim(failed, "w1", 60_000);
        jobs.fail(failed, "w1", "no");
        Instant later = clock.instant().plus(Duration.ofDays(30));
        var stalled = jobs.stalled(later, 10_000);
        assertFalse(stalled.contains(done));
        assertFalse(stalled.contains(failed));
        assertFalse(jobs.requeueStalled(done, later));
        assertFalse(jobs.failStalled(failed, later, "again"));
        assertEquals(Job.Status.SUCCEEDED, jobs.find(done).status());
        assertEquals("no", jobs.find(failed).error());
    }

    @Test
    void atMostTheLimitIsReturned() {
        queued(tenantJob());
        queued(tenantJob());
        assertEquals(1, jobs.stalled(clock.instant().plusSeconds(1), 1).size());
    }

    @Test
    void requeueingAStalledJobQueuesItForAFreshWorkerAndCountsTheRecovery() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "dead", 60_000);
        jobs.checkpoint(ref, "dead", 1, 3, Map.of("next", 1L), 60_000);
        clock.advance(Duration.ofMinutes(5));
        assertTrue(jobs.requeueStalled(ref, clock.instant()));
        Job j = jobs.find(ref);
        assertEquals(Job.Status.QUEUED, j.status());
        assertEquals(1, j.recoveries());
        assertNull(j.leaseOwner());
        assertEquals(Map.of("next", 1L), j.checkpoint(), "a fresh worker resumes from the checkpoint");
        assertEquals(clock.instant(), j.updatedAt());
        assertEquals(clock.instant(), j.dueBy());
        assertFalse(jobs.requeueStalled(ref, clock.instant()), "no longer overdue: a second sweep leaves it");
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.checkpoint(ref, "dead", 2, 3, Map.of(), 60_000),
                "a worker that was only slow stops at its next write");
        assertEquals("w2", jobs.claim(ref, "w2", 60_000).leaseOwner());
        clock.advance(Duration.ofMinutes(5));
        assertTrue(jobs.requeueStalled(ref, clock.instant()));
        assertEquals(2, jobs.find(ref).recoveries());
    }

    @Test
    void aJobWhoseWorkerIsAliveIsNotStalled() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "live", 60_000);
        Instant beforeItsLeaseEnds = clock.instant().plusSeconds(30);
        assertFalse(jobs.requeueStalled(ref, beforeItsLeaseEnds));
        assertFalse(jobs.failStalled(ref, beforeItsLeaseEnds, "no"));
        Job j = jobs.find(ref);
        assertEquals(Job.Status.RUNNING, j.status());
        assertEquals("live", j.leaseOwner());
        assertEquals(0, j.recoveries());
        jobs.checkpoint(ref, "live", 1, 3, Map.of(), 60_000);
    }

    @Test
    void failingAStalledJobRecordsTheReasonAndClosesIt() {
        JobRef ref = tenantJob();
        queued(ref);
        jobs.claim(ref, "dead", 60_000);
        clock.advance(Duration.ofMinutes(5));
        assertTrue(jobs.failStalled(ref, clock.instant(), "the job stopped"));
        Job j = jobs.find(ref);
        assertEquals(Job.Status.FAILED, j.status());
        assertEquals("the job stopped", j.error());
        assertNull(j.leaseOwner());
        assertNull(j.dueBy());
        assertFalse(jobs.stalled(clock.instant().plus(Duration.ofDays(1)), 10_000).contains(ref));
        assertNull(jobs.claim(ref, "w2", 60_000));
        assertThrows(JobRepository.LeaseLost.class, () -> jobs.complete(ref, "dead", 3, 3, Map.of()));
    }
}
