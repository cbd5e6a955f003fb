package dev.crm.contacts.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.PurchaseSummary;
import java.time.Instant;
import java.time.LocalDate;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rows of a bulk import and their outcomes, kept under the import job until it expires. */
public interface ImportRowRepository {

    /** Stores the rows of an import in chunks under the job; returns the number of rows in each chunk. */
    List<Integer> storeImportRows(TenantId tenant, String jobId, List<String> rows);

    /** The rows of chunk {@code index} (empty when there is no such chunk). */
    List<String> importChunk(TenantId tenant, String jobId, int index);

    /**
     * The rows (1-based) in [from, to) that already have an outcome marker of their own (a contact
     * import's rows; a touch point import's rejected lines: its applied lines are told by each contact's
     * {@link PurchaseBase#appliedThrough}). A step asks for its whole range.
     */
    Set<Integer> rowsDone(TenantId tenant, String jobId, int fromRow, int toRowExclusive);

    enum RowOutcome { CREATED, UPDATED, REJECTED }

    /** One rejected row, as the job reports it: the row and its violations (pointer, detail). */
    record Rejection(int row, List<Map<String, Object>> errors) {}

    /**
     * Writes a row's contact (new, or a new version of an existing one) together with the row's outcome
     * marker, in one transaction.
     *
     * @return false when the row already has an outcome (a replay after a crash)
     * @throws dev.crm.shared.store.StoreException.UniqueViolation when a guard is taken meanwhile
     * @throws dev.crm.shared.store.StoreException.VersionConflict when the existing contact changed meanwhile
     */
    boolean writeImportedContact(TenantId tenant, String jobId, int row, Contact previous, Contact contact, RowOutcome outcome);

    /** A row's new contact (its id derived from the job and row). */
    record ImportedContact(int row, Contact contact) {}

    /**
     * Creates several rows' new contacts, each with its guards and its row's "created" marker, in one
     * write: all or none. The rows name no email or external id twice.
     *
     * @return false when refused (a row has an outcome already, a contact or guard exists, the write
     *         contended): nothing is written, and each row is written on its own then
     * @throws dev.crm.shared.store.StoreException.Busy when the store throttles the write
     */
    boolean createImportedContacts(TenantId tenant, String jobId, List<ImportedContact> created);

    /** Records a rejected row (no contact written). @return false when the row already had an outcome */
    boolean rejectRow(TenantId tenant, String jobId, int row, List<Map<String, Object>> errors);

    /** Counts of every outcome and the rejected rows, read back from the markers. */
    record ImportTally(long created, long updated, List<Rejection> rejected) {}

    ImportTally tally(TenantId tenant, String jobId);

    void storeRejections(TenantId tenant, String jobId, List<Rejection> rejected);

    List<Rejection> rejections(TenantId tenant, String jobId);

    /**
     * The contacts holding these email addresses and external ids (batched reads of their guards); a
     * value no contact holds is left out.
     */
    record Holders(Map<String, String> byEmail, Map<String, String> byExternalId) {}

    Holders holders(TenantId tenant, Set<String> emails, Set<String> externalIds);

    // ---- interaction imports (InteractionImport) ----

    /**
     * What a contact's batch of imported lines applies to: its purchase summary, which of the days
     * asked for already have purchases, and the last line of this job already applied to it (0: none).
     */
    record PurchaseBase(PurchaseSummary summary, Set<LocalDate> purchaseDays, int appliedThrough) {}

    /** One imported line's touch point, its id derived from the job and line. */
    record ImportedInteraction(int row, Interaction interaction) {}

    /**
     * Touch points of one contact from one batch (in line order, every line after the contact's
     * {@link PurchaseBase#appliedThrough}) with their whole effect: the summary after them (null when none
     * is a purchase), the version it replaces, the purchase days they touch, and the number of complaints
     * to add.
     */
    record ContactBatch(String contactId, List<ImportedInteraction> rows, PurchaseSummary summary, long expectedVersion,
            Set<LocalDate> purchaseDays, long complaints) {
        public int lastRow() {
            return rows.get(rows.size() - 1).row();
        }
    }

    /** WRITTEN; CONTACT_MISSING (not active); REFUSED (applied or changed since it was read: read the base again). */
    enum BatchOutcome { WRITTEN, CONTACT_MISSING, REFUSED }

    /** Each contact's purchase base for the days given, with what this job applied to it (batched reads). */
    Map<String, PurchaseBase> purchaseBases(TenantId tenant, String jobId, Map<String, Set<LocalDate>> daysByContact,
            String defaultCurrency);

    /** The contacts holding these external ids (batched reads of their guards); ids no contact holds are left out. */
    Map<String, String> externalIdHolders(TenantId tenant, Set<String> externalIds);

    /**
     * What one {@link #writeImported} call may carry, in the adapter's own units; a batch costs
     * {@link #importWriteCost}. The domain splits and packs batches by these figures without knowing
     * what the store writes for them.
     */
    int importWriteBudget();

    /** What a batch touching {@code purchaseDays} purchase days costs against {@link #importWriteBudget} (its lines cost nothing). */
    int importWriteCost(int purchaseDays);

    /**
     * Writes batches (each one contact's lines of a step, no two of one contact, their costs within the
     * budget): each line's touch point (one item, its key and content derived from the job and line, so
     * writing it again changes nothing; it is its own guard, and being an import's it announces
     * nothing), then each batch's effect on the contact's summary together with its last line as this
     * job's applied mark, all or nothing per batch, conditioned on the summary as read and on the mark
     * being before the batch's first line. A batch's lines count as applied exactly when its effect is
     * written; a replay leaves them out ({@link PurchaseBase#appliedThrough}).
     *
     * @param recordedAt the touch points' recording instant (the same on every replay)
     * @return each batch's outcome, in order (a CONTACT_MISSING batch's touch points are removed again)
     */
    List<BatchOutcome> writeImported(TenantId tenant, String jobId, List<ContactBatch> batches, Instant recordedAt);
}
