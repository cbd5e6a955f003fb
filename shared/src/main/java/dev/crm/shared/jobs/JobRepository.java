package dev.crm.shared.jobs;

/**
 * Job records. A job is claimed with a lease (one worker at a time), checkpointed after each chunk,
 * and handed over by setting it back to {@code queued}: that write is what starts the next worker
 * invocation (see docs/architecture.md, "Jobs").
 */
public interface JobRepository {

    /**
     * Queues the job. Creating it is the enqueue: the store's change stream starts its worker.
     *
     * @return the job as stored
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when a job with its id exists
     */
    Job create(NewJob job);

    /**
     * Queues the job, or finds it queued already: a job whose id derives from a request's
     * Idempotency-Key exists when an earlier run of the same request created it (and lost its
     * completion), and that job is the answer, not a second one.
     *
     * @return the job as stored (the existing one, in whatever state it is now)
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when a job of another kind holds the id
     */
    default Job createOrFind(NewJob job) {
        try {
            return create(job);
        } catch (dev.crm.shared.store.StoreException.UniqueViolation e) {
            Job existing = find(job.ref());
            if (existing == null || !job.kind().equals(existing.kind())) {
                throw e;
            }
            return existing;
        }
    }

    /** @return the job (strongly consistent), or null */
    Job find(JobRef ref);

    /**
     * Takes the job if it is queued or its previous worker's lease ran out.
     *
     * @return the claimed job, or null when it is finished or another worker holds it
     */
    Job claim(JobRef ref, String owner, long leaseMillis);

    /** Records progress and the resume point, renewing the lease. @throws LeaseLost */
    void checkpoint(JobRef ref, String owner, long done, long total, java.util.Map<String, Object> checkpoint,
            long leaseMillis);

    /** Gives the job back as queued so a fresh worker invocation resumes it. @throws LeaseLost */
    void handOver(JobRef ref, String owner);

    /**
     * Finishes the job with its result. The input and the checkpoint are removed: what a job worked
     * on (a contact being erased, say) must not outlive it. @throws LeaseLost
     */
    void complete(JobRef ref, String owner, long done, long total, java.util.Map<String, Object> result);

    /**
     * Gives the job back as queued after an attempt failed, counting the failure in
     * {@link Job#failures()} (a checkpoint resets the count: the job made progress). @throws LeaseLost
     */
    void handOverAfterFailure(JobRef ref, String owner);

    /** Ends the job as failed with a reason a client may read. @throws LeaseLost */
    void fail(JobRef ref, String owner, String error);

    /**
     * Open jobs (queued or running) that were due to show a sign of life before {@code dueBefore}
     * ({@link Job#dueBy()}): queued and never claimed, or running under a lease nobody renewed. Read
     * from an index of open jobs only, so the cost follows the number of open jobs, not the table.
     * The index is eventually consistent: check each job before acting on it.
     *
     * @return at most {@code limit} jobs, in no particular order
     */
    java.util.List<JobRef> stalled(java.time.Instant dueBefore, int limit);

    /**
     * Queues a stalled job again (its lease, if any, is dropped) so the stream starts a fresh worker,
     * counting it in {@link Job#recoveries()}.
     *
     * @return false when the job is no longer stalled (finished, or a worker wrote since)
     */
    boolean requeueStalled(JobRef ref, java.time.Instant dueBefore);

    /**
     * Ends a stalled job as failed with a reason a client may read.
     *
     * @return false when the job is no longer stalled (finished, or a worker wrote since)
     */
    boolean failStalled(JobRef ref, java.time.Instant dueBefore, String error);

    /** Another worker took the job over (our lease expired): stop without writing anything more. */
    final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LeaseLost() {
            super("job lease lost", null, false, false);
        }
    }
}
