package dev.crm.contacts.store;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.contacts.domain.Interaction;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.contacts.domain.Segment;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Contacts, their touch points and segments, always within one tenant. */
public interface ContactRepository {

    /** A page of results and where the next one starts (null: no more). */
    record Slice<T>(List<T> items, Map<String, Object> next) {}

    /** Filters of the contact list that the store answers from its indexes. */
    record ListQuery(LifecycleStage stage, String tag, Instant updatedSince) {}

    /** @throws dev.crm.shared.store.StoreException.UniqueViolation with the holder's id (email, externalId) */
    void create(TenantId tenant, Contact contact);

    /** @return the contact (strongly consistent), or null */
    Contact find(TenantId tenant, String contactId);

    /**
     * Replaces the contact if its version is still {@code previous.version()}, moving uniqueness
     * guards when email or external id change.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when it changed meanwhile
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when the new email or external id is taken
     */
    void replace(TenantId tenant, Contact previous, Contact updated);

    String findIdByEmail(TenantId tenant, String email);

    String findIdByExternalId(TenantId tenant, String externalId);

    Slice<Contact> list(TenantId tenant, ListQuery query, int limit, Map<String, Object> from);

    /** The resume point of the unfiltered contact list right after {@code contact}. */
    Map<String, Object> resumeAfter(TenantId tenant, Contact contact);

    // ---- touch points ----

    /** The purchase summary and whether {@code day} already had purchases: what a new purchase is applied to. */
    record PurchaseState(PurchaseSummary summary, boolean dayHadPurchases, java.math.BigDecimal daySpend, long dayPurchases) {}

    PurchaseState purchaseState(TenantId tenant, String contactId, LocalDate day, String defaultCurrency);

    /** A purchase's effect, written atomically with the touch point. */
    record PurchaseUpdate(PurchaseSummary summary, long expectedVersion, LocalDate day, java.math.BigDecimal daySpend,
            long dayPurchases, boolean dayExisted) {}

    enum AppendOutcome { CREATED, CONTACT_MISSING, CONTENTION }

    /** The existing touch point with this id: its fingerprint and representation. */
    record ExistingInteraction(String fingerprint, Map<String, Object> json) {}

    /**
     * Appends a touch point (and its purchase or complaint effect) in one transaction.
     *
     * @return CONTENTION when another write got in between (retry with fresh state)
     * @throws InteractionExists when the id is already used
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
    Slice<Map<String, Object>> timeline(TenantId tenant, String contactId, int limit, Map<String, Object> from);

    /** Every purchase ever recorded for the contact (for recomputing the summary). */
    List<Interaction> purchases(TenantId tenant, String contactId);

    /** The contact's whole current state and recent touch points: two parallel reads. */
    record View360(Contact contact, PurchaseSummary purchases, long complaints, Map<String, Object> preferences,
            Map<String, Object> surveyScores, Map<String, Object> churnScore, List<Map<String, Object>> recentInteractions) {}

    View360 view360(TenantId tenant, String contactId, int recent, String defaultCurrency);

    /** Purchase summaries, churn scores and survey scores for a page of contacts (batched reads). */
    Map<String, ContactFacts> facts(TenantId tenant, List<Contact> contacts);

    // ---- segments ----

    /** @throws dev.crm.shared.store.StoreException.LimitReached over {@link Segment#MAX_PER_TENANT} */
    void createSegment(TenantId tenant, Segment segment);

    Segment findSegment(TenantId tenant, String segmentId);

    List<Segment> segments(TenantId tenant);

    boolean deleteSegment(TenantId tenant, String segmentId);
}
