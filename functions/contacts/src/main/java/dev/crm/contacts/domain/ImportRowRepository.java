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

    /** The rows (1-based) of this batch that already have an outcome. */
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

    enum BatchOutcome { WRITTEN, CONTACT_MISSING, ROW_DONE }

    /** Each contact's purchase base for the days given (batched reads). */
    Map<String, PurchaseBase> purchaseBases(TenantId tenant, Map<String, Set<LocalDate>> daysByContact, String defaultCurrency);

    /** The contacts holding these external ids (batched reads of their guards); ids no contact holds are left out. */
    Map<String, String> externalIdHolders(TenantId tenant, Set<String> externalIds);

    /**
     * Writes the batch's touch points (guard, timeline entry: the items a recorded touch point has),
     * their effect on the summary and days, and each row's outcome marker, in one transaction.
     *
     * @return CONTACT_MISSING when the contact is not active, ROW_DONE when a row already has an outcome
     * @throws dev.crm.shared.store.StoreException.Contention when the summary or a day changed since it was read
     */
    BatchOutcome writeImportedInteractions(TenantId tenant, String jobId, ContactBatch batch, Instant recordedAt);

    /**
     * Writes several contacts' batches as {@link #writeImportedInteractions} writes one, all in one
     * transaction (a transaction costs DynamoDB Local a fixed ~10 ms whatever its size, so a batch
     * of small contacts goes out in a few large ones). All or nothing.
     *
     * @return false when any batch would not be WRITTEN (a condition failed, the write conflicted):
     *         nothing was written, and the caller writes each batch on its own to learn why
     */
    boolean writeImportedGroup(TenantId tenant, String jobId, List<ContactBatch> batches, Instant recordedAt);
}
