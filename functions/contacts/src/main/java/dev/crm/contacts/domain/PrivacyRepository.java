package dev.crm.contacts.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Map;

/**
 * What the privacy operations (export, erasure, anonymisation) do with everything held about one
 * contact. The paged operations work through the contact's items a bounded page at a time, so a
 * job step stays short and a replayed step is harmless.
 */
public interface PrivacyRepository {

    /**
     * Marks the contact as being erased by {@code job} (it reads as absent from now on) and creates the
     * job, atomically, created {@code at} (so the caller can answer with the job as stored).
     *
     * @return false when the contact does not exist or is already being erased
     */
    boolean beginErasure(TenantId tenant, String contactId, NewJob job, Instant at);

    /** @return the id of the erasure job that marked the contact, while it is being erased; else null */
    String erasureJobOf(TenantId tenant, String contactId);

    /**
     * Hands the erasure of a contact over from {@code failedJobId} (a job that gave up) to {@code job},
     * creating it, atomically.
     *
     * @return false when the contact is no longer being erased by {@code failedJobId}
     */
    boolean restartErasure(TenantId tenant, String contactId, String failedJobId, NewJob job);

    /** The contact in any state (an erasure reads it after marking it), or null. */
    Contact findAnyState(TenantId tenant, String contactId);

    /** Suppresses the pseudonymised address for every channel, and records the fact of the erasure. */
    void suppress(TenantId tenant, String pseudonym, String reason, String jobId, Instant at);

    /** Deletes the uniqueness guards if they still point at this contact. */
    void releaseGuards(TenantId tenant, Contact contact);

    /**
     * Replaces the contact with its anonymised form (version + 1) and releases its guards, atomically.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when the contact changed meanwhile
     */
    void anonymize(TenantId tenant, Contact previous, Contact anonymized);

    /**
     * Moves up to {@code limit} consent-ledger entries of the contact to the pseudonymous ledger
     * (without contact id, IP address, user agent or actor).
     *
     * @return how many entries were moved; 0 when none are left
     */
    int moveLedgerPage(TenantId tenant, String contactId, String pseudonym, int limit);

    /**
     * For one page of the contact's timeline, strips the link and the personal values from items
     * elsewhere that reference the contact (e.g. survey responses).
     *
     * @return where the next page starts, or null after the last
     */
    Cursor detachReferences(TenantId tenant, String contactId, Cursor from, int limit);

    /**
     * For one page of the contact's timeline, strips personal values from referencing items (which
     * keep their link) and free text from the contact's own touch points.
     *
     * @return where the next page starts, or null after the last
     */
    Cursor anonymizeTimeline(TenantId tenant, String contactId, Cursor from, int limit);

    /**
     * Deletes up to {@code limit} items of one of the contact's cases (the case, its history and what
     * else its partition holds; the case item first, so no later write of the case succeeds), then that
     * case's link in the contact's partition once nothing of the case is left.
     *
     * @return how many items were deleted; 0 when no case of the contact is left
     */
    int deleteCasePage(TenantId tenant, String contactId, int limit);

    /** Deletes up to {@code limit} of the contact's items. @return how many; 0 when none are left */
    int deletePage(TenantId tenant, String contactId, int limit);

    /** What an item held about the contact is, for the export. */
    enum HeldKind { TIMELINE, CONSENT_LEDGER, SEND, PURCHASE_SUMMARY, STATE, CASE, OTHER }

    /**
     * One thing held about the contact, as the export shows it: {@code name} names a piece of state
     * (e.g. {@code prefs}); {@code content} is null for items the export leaves out (OTHER).
     */
    record HeldItem(HeldKind kind, String name, Map<String, Object> content) {}

    /** Everything held about the contact, a page at a time, in storage order (the timeline oldest first). */
    Slice<HeldItem> heldItems(TenantId tenant, String contactId, Cursor from, int limit);
}
