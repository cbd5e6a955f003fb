package dev.crm.shared.consent;

import dev.crm.shared.contact.AddressSuppression;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The contact decision over the stored state: what {@code POST /v1/contacts/{id}/contact-decisions}
 * answers and what a journey's send step asks at send time. One implementation, so both judge alike.
 */
public final class SendDecisions {
    private SendDecisions() {}

    /** The contact and the decision about it (the contact is what a sender renders its message from). */
    public record Judged(Contact contact, Decision decision) {}

    /**
     * Judges a message against the current state, the contact's zone (else the tenant's) and the sends
     * recorded on the channel from one cap period before the instant onwards. Marketing to an address
     * suppressed by an earlier erasure is refused first, whatever consent the new contact holds.
     *
     * @param secrets the tenant's, for the pseudonym of the contact's address
     * @throws StoreException.NotFound the contact does not exist (or is being erased)
     */
    public static Judged judge(ConsentRepository repository, TenantId t, String contactId, Channel channel, String topic,
            MessageClass messageClass, Instant at, ZoneId tenantZone, Map<Channel, FrequencyCap> tenantDefaultCaps,
            TenantSecrets secrets) {
        Contact contact = repository.findContact(t, contactId);
        if (contact == null) {
            throw new StoreException.NotFound();
        }
        String addressPseudonym = contact.data().email() == null ? null
                : AddressSuppression.ofEmail(secrets, contact.data().email());
        if (messageClass == MessageClass.MARKETING && addressPseudonym != null
                && repository.isSuppressed(t, addressPseudonym)) {
            return new Judged(contact, Decision.deny(DecisionReason.SUPPRESSED, null));
        }
        Preferences preferences = repository.find(t, contact.id());
        FrequencyCap cap = messageClass == MessageClass.MARKETING ? preferences.capFor(channel, tenantDefaultCaps) : null;
        List<Instant> sends = cap == null ? List.of() : repository.sends(t, contact.id(), channel, at.minus(cap.period()));
        return new Judged(contact, ContactDecisions.decide(channel, topic, messageClass, at, preferences,
                contact.zone(tenantZone), tenantDefaultCaps, sends));
    }
}
