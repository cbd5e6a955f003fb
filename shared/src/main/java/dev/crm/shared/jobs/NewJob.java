package dev.crm.shared.jobs;

import java.time.Instant;
import java.util.Map;

/**
 * A job about to be queued.
 *
 * @param tenantId the tenant the job works on: its own for a tenant's job, the one being deleted for
 *                 the operator's deprovisioning, null for work across tenants
 * @param total    the units of work known up front (rows of an import), or 0
 */
public record NewJob(JobRef ref, String kind, String tenantId, Map<String, Object> input, long total) {
    public NewJob {
        input = input == null ? Map.of() : input;
    }

    /**
     * The job as its creating write stores it at {@code at}: queued, nothing done. A route that created
     * it answers from this instead of reading the item back.
     */
    public Job queuedAt(Instant at) {
        return new Job(ref, ref.id(), kind, tenantId, Job.Status.QUEUED, 0, total, input, Map.of(), null, Map.of(),
                null, 0, 0, at, at);
    }

    /** A tenant's own job. */
    public static NewJob forTenant(JobRef ref, String kind, Map<String, Object> input, long total) {
        return new NewJob(ref, kind, ref.tenant().value(), input, total);
    }
}
