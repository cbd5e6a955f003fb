package dev.crm.churn.domain;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.StoreException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs the churn services queue and read, in memory: creating and finding jobs only (running
 * them is the job runner's, which has its own tests). {@link #finish} stands in for a worker.
 */
final class QueuedJobs implements JobRepository {
    private final Map<JobRef, Job> jobs = new LinkedHashMap<>();
    private final Instant now;

    QueuedJobs(Instant now) {
        this.now = now;
    }

    List<Job> all() {
        return List.copyOf(jobs.values());
    }

    void finish(JobRef ref, Map<String, Object> result, Instant at) {
        Job j = jobs.get(ref);
        jobs.put(ref, new Job(ref, j.id(), j.kind(), j.tenantId(), Job.Status.SUCCEEDED, j.done(), j.total(), Map.of(), result,
                null, Map.of(), null, 0, j.handovers(), j.createdAt(), at));
    }

    @Override
    public Job create(NewJob n) {
        if (jobs.containsKey(n.ref())) {
            throw new StoreException.UniqueViolation("job", n.ref().id());
        }
        Job j = new Job(n.ref(), n.ref().id(), n.kind(), n.tenantId(), Job.Status.QUEUED, 0, n.total(), n.input(), Map.of(),
                null, Map.of(), null, 0, 0, now, now);
        jobs.put(n.ref(), j);
        return j;
    }

    @Override
    public Job find(JobRef ref) {
        return jobs.get(ref);
    }

    @Override
    public Job claim(JobRef ref, String owner, long leaseMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void checkpoint(JobRef ref, String owner, long done, long total, Map<String, Object> checkpoint, long leaseMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void handOver(JobRef ref, String owner) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void complete(JobRef ref, String owner, long done, long total, Map<String, Object> result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void fail(JobRef ref, String owner, String error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void handOverAfterFailure(JobRef ref, String owner) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<JobRef> stalled(Instant dueBefore, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean requeueStalled(JobRef ref, Instant dueBefore) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean failStalled(JobRef ref, Instant dueBefore, String error) {
        throw new UnsupportedOperationException();
    }
}
