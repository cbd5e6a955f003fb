package dev.crm.shared.jobs;

import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recovers jobs nothing is working on any more. A job's worker is started by its stream record, and
 * the stream gives up on a record after its retries (the record then goes to the on-failure queue,
 * which nobody replays); a worker that dies each time, or a record lost on the way, leaves the job
 * {@code queued} or {@code running} with nobody to finish it. The sweeper finds such jobs in the
 * index of open jobs, queues each again a bounded number of times (the write starts a fresh worker)
 * and then ends it as failed, with a reason its client reads on the job's GET route.
 */
public final class StalledJobs {
    /**
     * How long past its due time ({@link Job#dueBy()}) a job must be before the sweeper acts: longer
     * than the stream takes to retry a dead worker's record (each retry waits out the lease, then
     * takes the job over), so the sweeper steps in only when that has stopped.
     */
    public static final Duration GRACE = Duration.ofMinutes(15);
    /** Times a stalled job is queued again before it is ended as failed. */
    public static final int MAX_RECOVERIES = 3;
    /** Jobs looked at per sweep; the rest wait for the next (every 5 minutes). */
    public static final int BATCH = 100;
    public static final String GAVE_UP = "the job stopped making progress and was restarted " + MAX_RECOVERIES
            + " times without finishing; it is not retried automatically: request it again";

    private final JobRepository jobs;
    private final Clock clock;

    public StalledJobs(JobRepository jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** What one sweep did. */
    public record Sweep(int requeued, int failed, int skipped) {}

    public Sweep sweep() {
        Instant dueBefore = clock.instant().minus(GRACE);
        int requeued = 0;
        int failed = 0;
        int skipped = 0;
        for (JobRef ref : jobs.stalled(dueBefore, BATCH)) {
            // The index lags the table: the job may have moved on since.
            Job job = jobs.find(ref);
            if (job == null || job.dueBy() == null || !job.dueBy().isBefore(dueBefore)) {
                skipped++;
            } else if (job.recoveries() < MAX_RECOVERIES) {
                if (jobs.requeueStalled(ref, dueBefore)) {
                    requeued++;
                    log("stalled job queued again", job);
                } else {
                    skipped++;
                }
            } else if (jobs.failStalled(ref, dueBefore, GAVE_UP)) {
                failed++;
                Metrics.count(MetricNames.JOBS_FAILED);
                log("stalled job failed", job);
            } else {
                skipped++;
            }
        }
        return new Sweep(requeued, failed, skipped);
    }

    private static void log(String message, Job job) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("jobId", job.id());
        f.put("jobKind", job.kind());
        if (job.tenantId() != null) {
            f.put("tenantId", job.tenantId());
        }
        f.put("status", job.status().wire());
        f.put("recoveries", job.recoveries());
        f.put("done", job.done());
        Log.info(message, f);
    }
}
