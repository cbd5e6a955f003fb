package dev.crm.cases.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** The tenants' cases (docs/data-model.md, "Cases"). */
public interface CaseRepository {
    /**
     * Stores a new case under the tenant's next number, in one transaction with the number's counter
     * and a check that the contact is an active contact of the tenant (and, when the draft has an
     * assignee, that the assignee is an active agent of the tenant): a failed create uses no number.
     * The {@code number} of {@code draft} is ignored; {@code created} is the history's first entry, written with it.
     *
     * @return the stored case (with its number); the existing one when a case with this id exists (a
     *         keyed request's re-run)
     * @throws ContactNotActive when the contact is not an active contact of the tenant
     * @throws AssigneeNotActive when the draft's assignee is not an active agent of the tenant (checked
     *         first: a create with both wrong names the assignee)
     */
    SupportCase create(SupportCase draft, HistoryEntry created);

    Optional<SupportCase> find(TenantId tenant, String id);

    /**
     * Stores {@code updated} (whose version is {@code expectedVersion + 1}) if the case is still at
     * {@code expectedVersion}, appending {@code entries} to its history in the same transaction. An
     * {@code sla_breached} entry is written only if its metric is not yet recorded on the stored case
     * (a condition of the same write): one writer records each breach. An {@code assigned} entry that
     * names a new assignee ({@code to}) is written only if that agent is an active agent of the tenant
     * at the write (a condition of the same write, so an agent deactivated after any earlier read
     * still gets no case); an unchanged assignee is not checked.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when it changed
     * @throws dev.crm.shared.store.StoreException.NotFound when it is gone
     * @throws AssigneeNotActive when the new assignee is not an active agent of the tenant; nothing is written
     */
    SupportCase replace(SupportCase updated, long expectedVersion, List<HistoryEntry> entries);

    /** The case's history, oldest first (empty when the case does not exist). */
    Slice<HistoryEntry> history(TenantId tenant, String caseId, Cursor after, int limit);

    /** What a list is narrowed to; a null field does not narrow. */
    record Filter(SupportCase.Status status, String assignee, String category, SupportCase.Priority priority,
            String contactId, boolean breached, Sort sort) {
        public Filter(SupportCase.Status status, String assignee, String category, SupportCase.Priority priority,
                String contactId) {
            this(status, assignee, category, priority, contactId, false, Sort.NUMBER);
        }
    }

    /**
     * A list's order: newest (highest number) first, or the earliest SLA deadline first ({@code dueAt}:
     * only cases with a running clock, by {@link CaseSla#nextDue()}).
     */
    enum Sort { NUMBER, DUE_AT }

    /** A case's address, as the SLA schedule's index gives it. */
    record CaseRef(TenantId tenant, String id) {}

    /** Cases whose {@link CaseSla#nextCheck()} is at or before {@code now}, at most {@code limit}, across tenants. */
    List<CaseRef> dueForCheck(java.time.Instant now, int limit);

    /**
     * Stores the SLA instants of {@code c} (its next due and next check) if the case is still at
     * {@code c.version()}; nothing else changes. A case that changed meanwhile is left as it is (the
     * write that changed it computed them).
     */
    void refreshCheck(SupportCase c);

    /** The most items one list request examines beyond the key (filters other than status); docs/api.md. */
    int MAX_EXAMINED = 1000;

    /**
     * The tenant's cases, newest (highest number) first, or by {@link Sort#DUE_AT}. A status is served by
     * the index key (number order); the other filters ({@code breached}: a breach is recorded) are applied
     * to what is read, examining at most {@link #MAX_EXAMINED} items per call, so a
     * page may hold fewer than {@code limit} items and still have a next cursor.
     */
    Slice<SupportCase> list(TenantId tenant, Filter filter, Cursor after, int limit);


    /** The contact is unknown to the tenant, erased or being erased. */
    final class ContactNotActive extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ContactNotActive() {
            super("contact not active", null, false, false);
        }
    }

    /** The assignee is no agent of the tenant (unknown, another tenant's) or an inactive one. */
    final class AssigneeNotActive extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AssigneeNotActive() {
            super("assignee not active", null, false, false);
        }
    }
}
