package dev.crm.surveys.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/** The port to the rate-limit counters shared by every Lambda instance, one per window. */
public interface RateCounterRepository {
    /**
     * Adds one request to a window's counter.
     *
     * @param client    who is counted: a pseudonym of one client, or {@link #ALL_CLIENTS}
     * @param windowId  the window (its id is part of the key, so a new window starts at zero)
     * @param expiresAt when the counter may be deleted (it is never read after its window)
     * @return the window's count including this request
     */
    long increment(TenantId tenant, String surveyId, String client, long windowId, Instant expiresAt);

    /** The client name of a survey-wide counter (pseudonyms are hex, so they never equal it). */
    String ALL_CLIENTS = "all";
}
