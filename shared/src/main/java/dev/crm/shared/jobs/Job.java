package dev.crm.shared.jobs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Long-running work (imports, erasures, deprovisioning, churn runs) as the conventions describe it.
 * {@code checkpoint} is the worker's own resume point and never leaves the product.
 *
 * @param failures   attempts in a row that failed without progress (a checkpoint resets it): the
 *                   runner gives up on the job at {@link JobRunner#MAX_FAILED_ATTEMPTS}
 * @param recoveries times the sweeper queued the job again after it stopped making progress
 *                   ({@link StalledJobs}); it fails the job at {@link StalledJobs#MAX_RECOVERIES}
 */
public record Job(JobRef ref, String id, String kind, String tenantId, Status status, long done, long total,
        Map<String, Object> input, Map<String, Object> result, String error, Map<String, Object> checkpoint,
        String leaseOwner, long leaseUntilMillis, long handovers, Instant createdAt, Instant updatedAt,
        long failures, long recoveries) {

    /** A job that has neither failed nor been recovered (what the services' tests build). */
    public Job(JobRef ref, String id, String kind, String tenantId, Status status, long done, long total,
            Map<String, Object> input, Map<String, Object> result, String error, Map<String, Object> checkpoint,
            String leaseOwner, long leaseUntilMillis, long handovers, Instant createdAt, Instant updatedAt) {
        this(ref, id, kind, tenantId, status, done, total, input, result, error, checkpoint, leaseOwner,
                leaseUntilMillis, handovers, createdAt, updatedAt, 0, 0);
    }

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /**
     * When an open job is next due to show a sign of life: a queued job at once (a worker should claim
     * it), a running one before its lease runs out (its worker renews the lease at each checkpoint).
     * Null for a finished job. Open jobs are indexed by it (docs/data-model.md, "Open jobs").
     */
    public Instant dueBy() {
        return switch (status) {
            case QUEUED -> updatedAt;
            case RUNNING -> Instant.ofEpochMilli(leaseUntilMillis);
            default -> null;
        };
    }

    /** The API representation; {@code extra} adds what the job reports (per-row results, parameters). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind);
        m.put("status", status.wire());
        m.put("done", done);
        m.put("total", total);
        m.put("createdAt", createdAt);
        m.put("updatedAt", updatedAt);
        if (result != null && !result.isEmpty()) {
            m.put("result", result);
        }
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }
}
