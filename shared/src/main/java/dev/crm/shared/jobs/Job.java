package dev.crm.shared.jobs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Long-running work (imports, erasures, deprovisioning, churn runs) as the conventions describe it.
 * {@code checkpoint} is the worker's own resume point and never leaves the product.
 */
public record Job(JobRef ref, String id, String kind, String tenantId, Status status, long done, long total,
        Map<String, Object> input, Map<String, Object> result, String error, Map<String, Object> checkpoint,
        String leaseOwner, long leaseUntilMillis, long handovers, Instant createdAt, Instant updatedAt) {

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }
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
