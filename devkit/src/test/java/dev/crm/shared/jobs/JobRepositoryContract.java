package dev.crm.shared.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
