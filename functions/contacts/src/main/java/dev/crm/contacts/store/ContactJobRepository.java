package dev.crm.contacts.store;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;

/** What the contact jobs (import, erasure, anonymization) store beyond the contact itself. */
public interface ContactJobRepository {

    // ---- imports ----

    /** Stores the rows of an import in chunks under the job; returns the number of rows in each chunk. */
    List<Integer> storeImportRows(TenantId tenant, String jobId, List<String> rows);

    /** The rows of chunk {@code index}. */
    List<String> importChunk(TenantId tenant, String jobId, int index);

    /** The rows (1-based) of this batch that already have an outcome. */
    java.util.Set<Integer> rowsDone(TenantId tenant, String jobId, int fromRow, int toRowExclusive);

    enum RowOutcome { CREATED, UPDATED, REJECTED }

    /** One rejected row, as the job reports it. */
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

    // ---- erasure and anonymization ----

    /** Marks the contact as being erased (it reads as absent from now on) and creates the job, atomically. */
    boolean beginErasure(TenantId tenant, String contactId, dev.crm.shared.jobs.NewJob job);

    /** The contact in any state (an erasure reads it after marking it). */
    Contact findAnyState(TenantId tenant, String contactId);

    /** Suppresses the pseudonymised address for every channel, and records the fact of the erasure. */
    void suppress(TenantId tenant, String pseudonym, String reason, String jobId, java.time.Instant at);

    /** One page of the contact's items under a sort-key prefix (null: every item). */
    record ItemPage(List<Map<String, Object>> items, Map<String, Object> next) {}

    ItemPage items(TenantId tenant, String contactId, String skPrefix, Map<String, Object> from, int limit);

    /** Copies consent-ledger items to the pseudonymous ledger, without contact id, IP or user agent. */
    void copyLedgerPseudonymously(TenantId tenant, String pseudonym, List<Map<String, Object>> ledgerItems);

    /**
     * Strips personal data from items elsewhere that reference the contact (a timeline entry's
     * {@code refPk}/{@code refSk}, e.g. a survey response): removes {@code contactId} and {@code personal}.
     */
    void detachReferences(List<Map<String, Object>> timelineItems, boolean removeContactId);

    /** Deletes the given items (by PK/SK). @return how many */
    int delete(List<Map<String, Object>> items);

    /** Deletes the uniqueness guards if they still point at this contact. */
    void releaseGuards(TenantId tenant, Contact contact);

    /** Replaces the contact with its anonymised form (version + 1) and releases its guards, atomically. */
    void anonymize(TenantId tenant, Contact previous, Contact anonymized);

    /** Removes free text from interaction entries in place (the ledger is pseudonymised, never edited). */
    void stripPersonalData(List<Map<String, Object>> items);
}
