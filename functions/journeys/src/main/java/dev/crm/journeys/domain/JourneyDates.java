package dev.crm.journeys.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The schedule of date triggers (docs/data-model.md, "Journeys"): one item per (journey, contact) due at
 * the contact's next occurrence, and per journey being activated a scan of the tenant's contacts that
 * writes them. Both sit on the due index the sweep reads. Every write is conditioned on what was read
 * ({@code revision}), so two sweeps, or a sweep and a contact's change, never both move an item.
 */
public interface JourneyDates {
    /**
     * A contact's next occurrence for a journey.
     *
     * @param trigger the {@link Trigger.DateTrigger#signature()} it was computed for
     */
    record DateItem(String contactId, String journeyId, String trigger, Instant dueAt, long revision) {}

    /** A scan of the tenant's contacts under way; {@code cursor} is where the next page starts (null: the first). */
    record Scan(String journeyId, String trigger, String cursor, long revision) {}

    /** Due work: a contact's occurrence, or ({@code contactId} null) a scan's next pages. */
    record DueWork(TenantId tenant, String journeyId, String contactId) {
        public boolean isScan() {
            return contactId == null;
        }
    }

    /** What is due at or before {@code now}, at most {@code limit}, oldest first per shard. */
    List<DueWork> due(Instant now, int limit);

    Optional<DateItem> find(TenantId t, String contactId, String journeyId);

    /**
     * Sets the contact's next occurrence.
     *
     * @param current the item as read (the write is conditioned on its revision), or null to create it
     *                only where there is none
     * @return false when the item changed meanwhile (or exists, for a create): nothing was written
     */
    boolean schedule(TenantId t, String contactId, String journeyId, String trigger, Instant dueAt, DateItem current);

    /**
     * The scan's write: creates the item, or replaces one computed for another trigger; an item of the
     * same trigger is left as it is (its occurrence may be due this minute, or already moved past an
     * enrolment).
     */
    void scheduleUnlessCurrent(TenantId t, String contactId, String journeyId, String trigger, Instant dueAt);

    /** Deletes the item if it is still as read. */
    boolean remove(TenantId t, DateItem current);

    /**
     * Enrols for the occurrence {@code current} names and, in the same transaction, moves the item to
     * {@code nextDue} (null: deletes it). The enrolment's id comes from (journey, contact, occurrence).
     * An item moved meanwhile (another sweep) is reported as {@code DUPLICATE}.
     */
    JourneyRepository.EnrolOutcome enrol(TenantId t, Enrolment enrolment, Entry entry, Instant now, DateItem current,
            Instant nextDue);

    Optional<Scan> scan(TenantId t, String journeyId);

    /** A page of the tenant's contacts (the contacts list index, oldest change first); {@code next} null at the end. */
    record ContactPage(List<Contact> contacts, String next) {}

    ContactPage contacts(TenantId t, String from, int limit);

    /** Records the scan's progress ({@code next} null: finished, the scan item is deleted); false when it moved meanwhile. */
    boolean advanceScan(TenantId t, Scan current, String next);
}
