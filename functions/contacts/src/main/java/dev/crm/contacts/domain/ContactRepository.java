package dev.crm.contacts.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Contacts, their touch points and segments, always within one tenant. */
public interface ContactRepository {

    /** Filters of the contact list that the store answers from its indexes. */
    record ListQuery(LifecycleStage stage, String tag, Instant updatedSince) {
        public static final ListQuery ALL = new ListQuery(null, null, null);
    }

    /**
     * @throws dev.crm.shared.store.StoreException.VersionConflict when a contact with this id exists
     *         (whatever its email or external id)
     * @throws dev.crm.shared.store.StoreException.UniqueViolation with the holder's id (email, externalId)
     * @throws dev.crm.shared.store.StoreException.Contention when another write touched the same guard meanwhile
     */
    void create(TenantId tenant, Contact contact);

    /**
     * Creates the contacts as {@link #create} creates one, all in one transaction (a bulk import's new
     * contacts: one transaction for many instead of one each). All or nothing.
     *
     * @return false when any would be refused (its id, email or external id taken, or the write
     *         conflicted): nothing was written, and the caller creates each on its own to learn why
     */
    boolean createAll(TenantId tenant, java.util.List<Contact> contacts);

    /** @return the contact in any state (strongly consistent), or null */
    Contact find(TenantId tenant, String contactId);

    /**
     * Replaces the contact if its version is still {@code previous.version()}, moving uniqueness
     * guards when email or external id change.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when it changed meanwhile
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when the new email or external id is taken
     */
    void replace(TenantId tenant, Contact previous, Contact updated);

    /** @return the id of the contact holding this email address, or null */
    String findIdByEmail(TenantId tenant, String email);

    /** @return the id of the contact holding this external id, or null */
    String findIdByExternalId(TenantId tenant, String externalId);

    /** Active contacts, newest change first (oldest first when {@code updatedSince} is given). */
    Slice<Contact> list(TenantId tenant, ListQuery query, int limit, Cursor from);

    /** Where the unfiltered contact list continues right after {@code contact}. */
    Cursor resumeAfter(TenantId tenant, Contact contact);

    // ---- touch points ----

    /** The purchase summary and whether {@code day} already had purchases: what a new purchase is applied to. */
    record PurchaseState(PurchaseSummary summary, boolean dayHadPurchases, BigDecimal daySpend, long dayPurchases) {}

    PurchaseState purchaseState(TenantId tenant, String contactId, LocalDate day, String defaultCurrency);

    /** A purchase's effect, written atomically with the touch point. */
    record PurchaseUpdate(PurchaseSummary summary, long expectedVersion, LocalDate day, BigDecimal daySpend,
            long dayPurchases, boolean dayExisted) {}

    enum AppendOutcome { CREATED, CONTACT_MISSING }

    /** The existing touch point with this id: its fingerprint and its API representation. */
    record ExistingInteraction(String fingerprint, Map<String, Object> json) {}

    /**
     * Appends a touch point (and its purchase or complaint effect) in one transaction.
     *
     * @throws InteractionExists when the id is already used
     * @throws dev.crm.shared.store.StoreException.Contention when another write got in between (retry with fresh state)
     */
    AppendOutcome appendInteraction(TenantId tenant, String contactId, Interaction interaction, PurchaseUpdate purchase,
            boolean complaint, Instant recordedAt);

    /** Thrown when a touch point id is taken; carries what is stored under it. */
    final class InteractionExists extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ExistingInteraction existing;

        public InteractionExists(ExistingInteraction existing) {
            super("interaction exists", null, false, false);
            this.existing = existing;
        }

        public ExistingInteraction existing() {
            return existing;
        }
    }

    /** Timeline entries, newest first. */
    Slice<TimelineEntry> timeline(TenantId tenant, String contactId, int limit, Cursor from);

    /** Every purchase ever recorded for the contact (for recomputing the summary). */
    List<Interaction> purchases(TenantId tenant, String contactId);

    /**
     * The contact's whole current state and recent touch points. Preferences, survey scores and the
     * churn score are the API representations their own functions keep beside the contact; the open
     * cases are the links the cases function keeps there (oldest first).
     */
    record View360(Contact contact, PurchaseSummary purchases, long complaints, Map<String, Object> preferences,
            Map<String, Object> surveyScores, Map<String, Object> churnScore, List<TimelineEntry> recentInteractions,
            List<dev.crm.shared.contact.CaseLink> openCases) {}

    /** @return null when the contact does not exist */
    View360 view360(TenantId tenant, String contactId, int recent, String defaultCurrency);

    /** Purchase summaries, churn scores and survey scores for a page of contacts (batched reads). */
    Map<String, ContactFacts> facts(TenantId tenant, List<Contact> contacts);

    // ---- segments ----

    /**
     * @throws dev.crm.shared.store.StoreException.LimitReached over {@link Segment#MAX_PER_TENANT}
     * @throws dev.crm.shared.store.StoreException.VersionConflict when a segment with this id exists
     */
    void createSegment(TenantId tenant, Segment segment);

    Segment findSegment(TenantId tenant, String segmentId);

    List<Segment> segments(TenantId tenant);

    /** @return false when there was no such segment */
    boolean deleteSegment(TenantId tenant, String segmentId);
}
