package dev.crm.shared.jobs;

import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Runs a job in bounded steps: claim, step, checkpoint, repeat; hands the job over to a fresh
 * invocation when the remaining time runs low, so no Lambda is ever cut off mid-write. A step must
 * be idempotent with respect to its checkpoint: after a crash the last checkpoint is replayed.
 */
public final class JobRunner {
    /** Time kept in reserve for the last checkpoint and the handover write. */
    public static final long SAFETY_MILLIS = 10_000;
    public static final long LEASE_MILLIS = 120_000;
    /**
     * Attempts in a row that may fail without progress before the job is ended as failed. Each failed
     * attempt hands the job over and fails its invocation, so without a bound a job that always fails
     * would be retried for ever (every hand-over is a new stream record) and never say so.
     */
    public static final int MAX_FAILED_ATTEMPTS = 5;
    /** What a client reads on a job that kept failing (no internals: the log has the exception class). */
    public static final String GAVE_UP = "the job failed " + MAX_FAILED_ATTEMPTS
            + " times in a row without making progress; it is not retried automatically: request it again";
    /** How often an invocation waiting on another's lease looks whether that worker is still alive. */
    static final long WATCH_MILLIS = 5_000;

    /** Waits; tests pass one that moves their clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;

        Sleeper REAL = Thread::sleep;
    }

    private final JobRepository jobs;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Predicate<Throwable> transientFailure;

    /** A runner that counts every failure against {@link #MAX_FAILED_ATTEMPTS}. */
    public JobRunner(JobRepository jobs, Clock clock, Sleeper sleeper) {
        this(jobs, clock, sleeper, e -> false);
    }

    /**
     * @param transientFailure whether a failure is the store's passing trouble (throttling, a timeout):
     *                         such attempts are handed over without counting, so a burst of throttling
     *                         never ends a job that would have finished once it passed
     */
    public JobRunner(JobRepository jobs, Clock clock, Sleeper sleeper, Predicate<Throwable> transientFailure) {
        this.jobs = jobs;
        this.clock = clock;
        this.sleeper = sleeper;
        this.transientFailure = transientFailure;
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

    public Outcome run(JobRef pk, String owner, LongSupplier remainingMillis, Work work) {
        Job job = jobs.claim(pk, owner, LEASE_MILLIS);
        if (job == null) {
            job = takeOverIfAbandoned(pk, owner, remainingMillis);
            if (job == null) {
                return Outcome.NOT_CLAIMED;
            }
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
                job = new Job(job.ref(), job.id(), job.kind(), job.tenantId(), job.status(), step.done(), step.total(),
                        job.input(), job.result(), job.error(), step.checkpoint(), owner, job.leaseUntilMillis(),
                        job.handovers(), job.createdAt(), job.updatedAt(), 0, job.recoveries());
            }
        } catch (JobRepository.LeaseLost e) {
            return Outcome.LEASE_LOST;
        } catch (PermanentFailure e) {
            jobs.fail(pk, owner, e.getMessage());
            Metrics.count(MetricNames.JOBS_FAILED);
            log("job failed", job);
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            boolean passing = transientFailure.test(e);
            if (!passing && job.failures() + 1 >= MAX_FAILED_ATTEMPTS) {
                // The last attempt: end the job where its client can see it, and let the stream move on.
                try {
                    jobs.fail(pk, owner, GAVE_UP);
                } catch (RuntimeException notEvenThat) {
                    throw e; // the lease expires; a retry or the sweeper (StalledJobs) ends it
                }
                Metrics.count(MetricNames.JOBS_FAILED);
                log("job failed: attempts exhausted (" + e.getClass().getSimpleName() + ")", job);
                return Outcome.FAILED;
            }
            // Give the job back (counting the failure unless it is the store's passing trouble) so a
            // fresh invocation retries it from the last checkpoint; if even that write fails, the lease
            // expires and a retry claims it.
            try {
                if (passing) {
                    jobs.handOver(pk, owner);
                } else {
                    jobs.handOverAfterFailure(pk, owner);
                }
            } catch (RuntimeException ignored) {
                // the lease will expire
            }
            throw e;
        }
    }

    /**
     * Another worker holds the job. Usually it is alive (a duplicate delivery): its checkpoints renew the
     * lease and this invocation leaves it alone. But a worker that died without handing over (killed by
     * a timeout or out of memory) left a lease that nothing else will ever clear: its failed invocation
     * is this retry. So watch the lease; if it runs out without being renewed, take the job over.
     *
     * @return the job, claimed; null when its worker is alive or it finished or was handed over
     */
    private Job takeOverIfAbandoned(JobRef pk, String owner, LongSupplier remainingMillis) {
        Job held = jobs.find(pk);
        while (held != null && held.status() == Job.Status.RUNNING) {
            long left = held.leaseUntilMillis() - clock.millis();
            if (left < 0) {
                Job claimed = jobs.claim(pk, owner, LEASE_MILLIS);
                if (claimed != null) {
                    log("job taken over from an abandoned lease", claimed);
                }
                return claimed;
            }
            if (remainingMillis.getAsLong() - Math.min(left + 1, WATCH_MILLIS) < 2 * SAFETY_MILLIS) {
                // No time to wait it out here: fail, so the stream delivers the record again later.
                throw new LeaseHeld();
            }
            pause(Math.min(left + 1, WATCH_MILLIS));
            Job now = jobs.find(pk);
            if (now != null && now.status() == Job.Status.RUNNING && now.leaseUntilMillis() != held.leaseUntilMillis()) {
                return null; // renewed: its worker is alive
            }
            held = now;
        }
        return null;
    }

    private void pause(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting on a job's lease", e);
        }
    }

    /** Another worker's lease was live and this invocation had no time left to wait it out. */
    public static final class LeaseHeld extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseHeld() {
            super("another worker holds the job's lease", null, false, false);
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
