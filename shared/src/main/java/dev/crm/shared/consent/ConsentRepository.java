package dev.crm.shared.consent;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What the contact decision reads and what recording a send writes: the port the preferences function
 * ({@code POST …/contact-decisions}, {@code …/sends}) and the journeys function (a journey's send step)
 * share, so caps count every send whichever function made it.
 */
public interface ConsentRepository {
    /** @return the active contact, or null when it does not exist or is being erased */
    Contact findContact(TenantId t, String contactId);

    /** Whether an erased contact's address, by its pseudonym, is suppressed for marketing. */
    boolean isSuppressed(TenantId t, String addressPseudonym);

    /** @return the stored state, or {@link Preferences#empty()} (version 0) when never written */
    Preferences find(TenantId t, String contactId);

    /** The instants of the sends on a channel at or after {@code from} (later ones included), in order. */
    List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from);

    /**
     * Records a send once per id: a replay of the same send answers the stored one, another send under
     * the same id a conflict.
     *
     * @throws dev.crm.shared.store.StoreException.Contention concurrent reports of the same id kept clashing
     */
    RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now);
}
