package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/** The counters of the public routes' limits, shared by every Lambda instance: one per limit, subject and window. */
public interface PublicRateCounterRepository {
    /**
     * Adds one request to the counter of {@code subject} (a keyed pseudonym, a case id or {@link #EVERYONE})
     * in the window that starts at {@code windowStart}.
     *
     * @param expiresAt when the counter may be deleted (it is never read after its window)
     * @return the window's count including this request
     */
    long increment(TenantId tenant, String limitName, String subject, Instant windowStart, Instant expiresAt);

    /** The subject of a tenant-wide counter (pseudonyms are hex and case ids start with cs_, so none equals it). */
    String EVERYONE = "all";
}
