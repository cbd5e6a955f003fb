package dev.crm.devkit.memory;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link JobRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code JobRepositoryContract}. Documents (input, checkpoint, result) come back as the store gives
 * them: copies, with integral numbers as {@code Long}.
 */
public final class InMemoryJobRepository implements JobRepository {
    private final Clock clock;
    private final Map<JobRef, Job> jobs = new ConcurrentHashMap<>();

    public InMemoryJobRepository(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Job create(NewJob job) {
        if (jobs.containsKey(job.ref())) {
            throw new StoreException.UniqueViolation("jobId", job.ref().id());
        }
        Instant now = now();
        Job created = new Job(job.ref(), job.ref().id(), job.kind(), job.tenantId(), Job.Status.QUEUED, 0, job.total(),
                copy(job.input()), Map.of(), null, Map.of(), null, 0, 0, now, now);
        jobs.put(job.ref(), created);
        return created;
    }

    @Override
    public Job find(JobRef ref) {
        return jobs.get(ref);
    }

    @Override
    public synchronized Job claim(JobRef ref, String owner, long leaseMillis) {
        Job j = jobs.get(ref);
        long now = clock.millis();
        if (j == null || !(j.status() == Job.Status.QUEUED
                || (j.status() == Job.Status.RUNNING && j.leaseUntilMillis() < now))) {
            return null;
        }
        Job claimed = with(j, Job.Status.RUNNING, j.done(), j.total(), j.input(), j.result(), j.error(), j.checkpoint(),
                owner, now + leaseMillis, j.handovers(), j.failures(), j.recoveries());
        jobs.put(ref, claimed);
        return claimed;
    }

    @Override
    public synchronized void checkpoint(JobRef ref, String owner, long done, long total, Map<String, Object> checkpoint,
            long leaseMillis) {
        Job j = held(ref, owner);
        jobs.put(ref, with(j, j.status(), done, total, j.input(), j.result(), j.error(), copy(checkpoint), owner,
                clock.millis() + leaseMillis, j.handovers(), 0, j.recoveries()));
    }

    @Override
    public synchronized void handOver(JobRef ref, String owner) {
        Job j = held(ref, owner);
        jobs.put(ref, with(j, Job.Status.QUEUED, j.done(), j.total(), j.input(), j.result(), j.error(), j.checkpoint(),
                null, 0, j.handovers() + 1, j.failures(), j.recoveries()));
    }

    @Override
    public synchronized void handOverAfterFailure(JobRef ref, String owner) {
        Job j = held(ref, owner);
        jobs.put(ref, with(j, Job.Status.QUEUED, j.done(), j.total(), j.input(), j.result(), j.error(), j.checkpoint(),
                null, 0, j.handovers() + 1, j.failures() + 1, j.recoveries()));
    }

    @Override
    public synchronized void complete(JobRef ref, String owner, long done, long total, Map<String, Object> result) {
        Job j = held(ref, owner);
        jobs.put(ref, with(j, Job.Status.SUCCEEDED, done, total, Map.of(), copy(result), j.error(), Map.of(), null, 0,
                j.handovers(), j.failures(), j.recoveries()));
    }

    @Override
    public synchronized void fail(JobRef ref, String owner, String error) {
        Job j = held(ref, owner);
        jobs.put(ref, with(j, Job.Status.FAILED, j.done(), j.total(), j.input(), j.result(), error, j.checkpoint(), null,
                0, j.handovers(), j.failures(), j.recoveries()));
    }

    @Override
    public List<JobRef> stalled(Instant dueBefore, int limit) {
        return jobs.values().stream().filter(j -> isStalled(j, dueBefore)).map(Job::ref).limit(limit).toList();
    }

    private static boolean isStalled(Job j, Instant dueBefore) {
        return j != null && j.dueBy() != null && j.dueBy().isBefore(dueBefore);
    }

    @Override
    public synchronized boolean requeueStalled(JobRef ref, Instant dueBefore) {
        Job j = jobs.get(ref);
        if (!isStalled(j, dueBefore)) {
            return false;
        }
        jobs.put(ref, with(j, Job.Status.QUEUED, j.done(), j.total(), j.input(), j.result(), j.error(), j.checkpoint(),
                null, 0, j.handovers(), j.failures(), j.recoveries() + 1));
        return true;
    }

    @Override
    public synchronized boolean failStalled(JobRef ref, Instant dueBefore, String error) {
        Job j = jobs.get(ref);
        if (!isStalled(j, dueBefore)) {
            return false;
        }
        jobs.put(ref, with(j, Job.Status.FAILED, j.done(), j.total(), j.input(), j.result(), error, j.checkpoint(),
                null, 0, j.handovers(), j.failures(), j.recoveries()));
        return true;
    }

    private Job held(JobRef ref, String owner) {
        Job j = jobs.get(ref);
        if (j == null || !owner.equals(j.leaseOwner())) {
            throw new LeaseLost();
        }
        return j;
    }

    private Job with(Job j, Job.Status status, long done, long total, Map<String, Object> input,
            Map<String, Object> result, String error, Map<String, Object> checkpoint, String owner, long leaseUntil,
            long handovers, long failures, long recoveries) {
        return new Job(j.ref(), j.id(), j.kind(), j.tenantId(), status, done, total, input, result, error, checkpoint,
                owner, leaseUntil, handovers, j.createdAt(), now(), failures, recoveries);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A deep copy as a round trip through the store would give it (integral numbers as Long). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> document) {
        if (document == null || document.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return (Map<String, Object>) Json.parse(Json.write(document));
    }
}
