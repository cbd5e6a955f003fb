package dev.crm.contacts.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.PurchaseSummary;
import java.math.BigDecimal;
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
     * The rows (1-based) in [from, to) that already have an outcome: a marker of their own, or (a touch
     * point import's lines) an applied batch whose first line is in the range. A step asks for its whole range.
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

    // ---- interaction imports (InteractionImport) ----

    /** A contact's purchase summary and the stored days among those asked for: what a batch of purchases applies to. */
    record PurchaseBase(PurchaseSummary summary, Map<LocalDate, PurchaseDay> days) {}

    /** A purchase day item: the spend and number of purchases on that day. */
    record PurchaseDay(BigDecimal spend, long purchases) {}

    /** One imported line's touch point, its id derived from the job and line. */
    record ImportedInteraction(int row, Interaction interaction) {}

    /**
     * Touch points of one contact from one batch with their whole effect: the summary after them
     * (null when none is a purchase), the version it replaces, the days' new figures, and the number
     * of complaints to add.
     */
    record ContactBatch(String contactId, List<ImportedInteraction> rows, PurchaseSummary summary, long expectedVersion,
            Map<LocalDate, PurchaseDay> days, Set<LocalDate> daysExisting, long complaints) {}

    enum BatchOutcome { WRITTEN, CONTACT_MISSING, ROW_DONE, CONTENDED }

    /** Each contact's purchase base for the days given (batched reads). */
    Map<String, PurchaseBase> purchaseBases(TenantId tenant, Map<String, Set<LocalDate>> daysByContact, String defaultCurrency);

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
     * budget): the touch points (guard, timeline entry: the items a recorded touch point has, whose
     * keys and content derive from the job and line, so writing them again changes nothing), then
     * each batch's effect on the summary and days with its lines' "applied" record (keyed by the
     * batch's first line), all or nothing per batch. A batch's lines count as applied exactly when its
     * effect is written; a replay leaves them out ({@link #rowsDone}).
     *
     * @param recordedAt the touch points' recording instant (the same on every replay)
     * @return each batch's outcome, in order: WRITTEN; CONTACT_MISSING (not active: its touch points
     *         are removed again); ROW_DONE (its first line is applied already, by another worker);
     *         CONTENDED (the summary or a day changed since it was read)
     */
    List<BatchOutcome> writeImported(TenantId tenant, String jobId, List<ContactBatch> batches, Instant recordedAt);
}
