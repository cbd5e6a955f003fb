package dev.crm.shared.jobs;

import dev.crm.shared.log.Log;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a job in bounded steps: claim, step, checkpoint, repeat; hands the job over to a fresh
 * invocation when the remaining time runs low, so no Lambda is ever cut off mid-write. A step must
 * be idempotent with respect to its checkpoint: after a crash the last checkpoint is replayed.
 */
public final class JobRunner {
    /** Time kept in reserve for the last checkpoint and the handover write. */
    public static final long SAFETY_MILLIS = 10_000;
    public static final long LEASE_MILLIS = 120_000;

    private final JobRepository jobs;

    public JobRunner(JobRepository jobs) {
        this.jobs = jobs;
    }

    /** One step's outcome: progress so far, where to resume, and the result once finished. */
    public record Step(long done, long total, Map<String, Object> checkpoint, boolean finished,
            Map<String, Object> result) {

        public static Step progress(long done, long total, Map<String, Object> checkpoint) {
            return new Step(done, total, checkpoint, false, null);
        }

        public static Step finished(long done, long total, Map<String, Object> result) {
            return new Step(done, total, Map.of(), true, result);
        }
    }

    @FunctionalInterface
    public interface Work {
        /** Does one bounded chunk of the job, starting from {@code job.checkpoint()}. */
        Step step(Job job);
    }

    /** A failure that retrying cannot fix (bad input discovered late): the job ends as failed. */
    public static final class PermanentFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PermanentFailure(String clientMessage) {
            super(clientMessage, null, false, false);
        }
    }

    public enum Outcome { FINISHED, HANDED_OVER, NOT_CLAIMED, LEASE_LOST, FAILED }

    public Outcome run(String pk, String owner, LongSupplier remainingMillis, Work work) {
        Job job = jobs.claim(pk, owner, LEASE_MILLIS);
        if (job == null) {
            return Outcome.NOT_CLAIMED;
        }
        try {
            while (true) {
                if (remainingMillis.getAsLong() < SAFETY_MILLIS) {
                    jobs.handOver(pk, owner);
                    log("job handed over", job);
                    return Outcome.HANDED_OVER;
                }
                Step step = work.step(job);
                if (step.finished()) {
                    jobs.complete(pk, owner, step.done(), step.total(), step.result());
                    log("job finished", job);
                    return Outcome.FINISHED;
                }
                jobs.checkpoint(pk, owner, step.done(), step.total(), step.checkpoint(), LEASE_MILLIS);
                job = new Job(job.pk(), job.id(), job.kind(), job.tenantId(), job.status(), step.done(), step.total(),
                        job.input(), job.result(), job.error(), step.checkpoint(), owner, job.leaseUntilMillis(),
                        job.handovers(), job.createdAt(), job.updatedAt());
            }
        } catch (JobRepository.LeaseLost e) {
            return Outcome.LEASE_LOST;
        } catch (PermanentFailure e) {
            jobs.fail(pk, owner, e.getMessage());
            log("job failed", job);
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            // Transient (throttling, a timeout): give the job back so the stream retries it from the
            // last checkpoint; if even that write fails, the lease expires and a retry claims it.
            try {
                jobs.handOver(pk, owner);
            } catch (RuntimeException ignored) {
                // the lease will expire
            }
            throw e;
        }
    }

    private static void log(String message, Job job) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("jobId", job.id());
        f.put("jobKind", job.kind());
        if (job.tenantId() != null) {
            f.put("tenantId", job.tenantId());
        }
        f.put("done", job.done());
        f.put("total", job.total());
        Log.info(message, f);
    }
}
