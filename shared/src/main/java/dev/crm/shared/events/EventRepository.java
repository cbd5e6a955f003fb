package dev.crm.shared.events;

import dev.crm.shared.tenant.TenantId;
import java.util.Optional;

/**
 * The stored events (docs/data-model.md, "Events"): each kept 30 days, the source every outlet
 * (the bus, webhooks, a replay) reads its payload from.
 */
public interface EventRepository {
    /** How {@link #record} ended. */
    enum Outcome {
        /** Stored (now or by an earlier delivery of the same change). */
        RECORDED,
        /** Not kept: the contact whose data it carries is erased, being erased or anonymised. */
        WITHHELD
    }

    /**
     * Stores the event once (a second call with the same id changes nothing). An event carrying a
     * contact's personal data is kept only while that contact is active: stored in the contact's
     * partition, it is erased with the contact, and one stored while an erasure ran is removed here.
     */
    Outcome record(Event event);

    /** The stored envelope (JSON), or empty when it expired or was erased with its contact. */
    Optional<String> envelope(TenantId tenant, String eventId, String personalDataOf);
}
