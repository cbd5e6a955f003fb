package dev.crm.cases.domain.imports;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The lines of a case history import and their outcomes, under the import job (docs/data-model.md, "Case imports"). */
public interface CaseImportRepository {

    /** Stores the lines in chunks under the job; returns the number of lines in each chunk. */
    List<Integer> storeLines(TenantId tenant, String jobId, List<String> lines);

    /** The lines of chunk {@code index} (empty when there is no such chunk). */
    List<String> chunk(TenantId tenant, String jobId, int index);

    /**
     * Deletes the stored lines once every line has its outcome: they hold contacts' ids and case texts,
     * which a contact's erasure does not look for under the job (the outcomes hold none).
     */
    void dropLines(TenantId tenant, String jobId, int chunks);

    /** The lines (1-based) in {@code [fromLine, toLineExclusive)} that already have an outcome. */
    Set<Integer> linesDone(TenantId tenant, String jobId, int fromLine, int toLineExclusive);

    /**
     * Stores an imported case under the tenant's next number (the counter live creates use), its whole
     * history and the line's outcome, in one transaction with a check that the contact is active: a line
     * that fails uses no number. The {@code number} of {@code draft} is ignored.
     *
     * @return the number given, or empty when the line already has an outcome (a replayed step)
     * @throws dev.crm.cases.domain.CaseRepository.ContactNotActive when the contact is not an active contact
     */
    java.util.OptionalLong storeImported(TenantId tenant, String jobId, int line, SupportCase draft,
            List<HistoryEntry> history);

    /** Records a rejected line. @return false when the line already had an outcome */
    boolean rejectLine(TenantId tenant, String jobId, int line, List<Map<String, Object>> errors);

    /** One rejected line and its violations (pointer, detail). */
    record Rejection(int line, List<Map<String, Object>> errors) {}

    /** The outcomes so far: lines imported, and the rejected lines in line order. */
    record Tally(long imported, List<Rejection> rejected) {}

    Tally tally(TenantId tenant, String jobId);
}
