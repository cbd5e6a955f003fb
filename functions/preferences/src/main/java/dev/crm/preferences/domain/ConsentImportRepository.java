package dev.crm.preferences.domain;

import dev.crm.shared.consent.Preferences;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The lines of a consent import, their outcomes and the grouped writes they make (docs/data-model.md, "Consent imports"). */
public interface ConsentImportRepository {

    /** A line of the file and its number in the file (non-blank lines counted from 1). */
    record NumberedLine(int line, String text) {}

    /** Stores the lines, in the order given, in chunks under the job; returns the number of lines in each chunk. */
    List<Integer> storeLines(TenantId tenant, String jobId, List<NumberedLine> lines);

    /** The lines of chunk {@code index} (empty when there is no such chunk). */
    List<NumberedLine> chunk(TenantId tenant, String jobId, int index);

    /** Deletes the stored lines once every line has its outcome (they name contacts; the outcomes do not). */
    void dropLines(TenantId tenant, String jobId, int chunks);

    /** The lines (file numbers) among {@code lines} that already have an outcome. */
    Set<Integer> linesDone(TenantId tenant, String jobId, Collection<Integer> lines);

    /**
     * A contact's consent as an import line meets it.
     *
     * @param updatedAt   when the state was last written (null: never)
     * @param lastChanged when each status last changed, by {@link ConsentImport#statusKey}; read from the
     *                    ledger only when the state was written after the contact's earliest line, else empty
     */
    record ContactConsent(Preferences preferences, Instant updatedAt, Map<String, Instant> lastChanged) {}

    /**
     * @param earliestLineAt the contacts to read, each with the earliest {@code at} among its lines
     * @return the consent of those that are active contacts of the tenant (others are absent)
     */
    Map<String, ContactConsent> consentOf(TenantId tenant, Map<String, Instant> earliestLineAt);

    /** A ledger entry with the state version its line produced and its place within the line. */
    record LedgerWrite(LedgerEntry entry, long stateVersion, int position) {}

    /**
     * One contact's lines written together: the state after them (null when they changed nothing), conditioned
     * on {@code expectedVersion}, their ledger entries and their outcomes. A null {@code contactId}: rejections only.
     */
    record Unit(String contactId, long expectedVersion, Preferences next, Instant updatedAt, List<LedgerWrite> entries,
            List<Integer> imported, Map<Integer, List<Map<String, Object>>> rejected) {

        /** The items the unit puts in a transaction: the contact check, the state, two per entry, one per outcome. */
        public int items() {
            return (contactId == null ? 0 : 1) + (next == null ? 0 : 1) + 2 * entries.size() + imported.size()
                    + rejected.size();
        }
    }

    /**
     * Writes the units in one transaction (at most {@link PreferencesRepository#MAX_TRANSACTION_ITEMS} items,
     * at most one unit per contact), all or nothing; imported ledger and timeline entries carry the job id.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict a state moved on, a contact stopped being
     *         active or a line got its outcome since they were read: read again and recompute
     * @throws dev.crm.shared.store.StoreException.Contention another transaction touched the same items
     */
    void write(TenantId tenant, String jobId, List<Unit> units);

    /** One rejected line and its violations (pointer, detail). */
    record Rejection(int line, List<Map<String, Object>> errors) {}

    /** The outcomes so far: lines imported, and the rejected lines in line order. */
    record Tally(long imported, List<Rejection> rejected) {}

    Tally tally(TenantId tenant, String jobId);
}
