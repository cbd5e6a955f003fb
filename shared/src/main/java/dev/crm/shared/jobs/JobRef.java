package dev.crm.shared.jobs;

import dev.crm.shared.tenant.TenantId;
import java.util.Objects;

/** Where a job lives: in its tenant's namespace, or the operator's ({@code tenant} null). */
public record JobRef(TenantId tenant, String id) {
    public JobRef {
        Objects.requireNonNull(id, "id");
    }

    public static JobRef of(TenantId tenant, String id) {
        return new JobRef(Objects.requireNonNull(tenant, "tenant"), id);
    }

    /** The operator's jobs (deprovisioning, the nightly recount of every tenant). */
    public static JobRef operator(String id) {
        return new JobRef(null, id);
    }

    public boolean isOperators() {
        return tenant == null;
    }
}
