package dev.crm.cases.store.dynamodb;

import dev.crm.shared.tenant.TenantId;

/** The cases function's key formats (docs/data-model.md, "Cases"). */
public final class CaseKeys {
    private CaseKeys() {}

    /** One partition per case: the case item and (later) its history. */
    public static String caseItem(TenantId t, String caseId) {
        return t.value() + "#CASE#" + caseId;
    }

    public static final String CASE = "CASE";

    /**
     * History entries sort after the case item, oldest first: fixed-width instant, then the entry's
     * position among those one write appends at the same instant (a message before the reopening it
     * causes), then the entry id.
     */
    public static final String HISTORY_PREFIX = "H#";

    public static String history(java.time.Instant at, int position, String entryId) {
        return HISTORY_PREFIX + dev.crm.shared.store.dynamodb.Keys.sortableInstant(at) + "#" + position + "#" + entryId;
    }

    /** GSI1: all of a tenant's cases, by number (the list reads it newest first). */
    public static String allCases(TenantId t) {
        return t.value() + "#CASES";
    }

    /** GSI2: a tenant's cases in one status, by number (a list filtered by status reads only those). */
    public static String casesIn(TenantId t, String status) {
        return t.value() + "#CASES#" + status;
    }

    /** The index sort key: the number zero-padded to 10 digits, so text order is number order. */
    public static String byNumber(long number) {
        return String.format(java.util.Locale.ROOT, "%010d", number);
    }

    /** The tenant's case-number counter: one item, its {@code last} the last number handed out. */
    public static String counter(TenantId t) {
        return t.value() + "#CASES";
    }

    public static final String COUNTER = "COUNTER";
}
