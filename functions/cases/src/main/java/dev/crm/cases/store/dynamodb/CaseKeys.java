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

    /**
     * The index of a tenant's cases by SLA deadline (list {@code sort=dueAt}): the sparse, keys-only
     * {@code DueDeliveries} index, overloaded (docs/data-model.md, "Cases"). Partition {@code {t}#CASES#DUE},
     * sort key {@code dueAt} (N, epoch ms of the case's next due); only cases with a running clock carry it.
     */
    public static final String DUE_INDEX = "DueDeliveries";
    public static final String DUE_PK = "dueShard";
    public static final String DUE_SK = "dueAt";

    public static String dueCases(TenantId t) {
        return t.value() + "#CASES#DUE";
    }

    /**
     * The SLA schedule's index: the sparse, keys-only {@code OpenJobs} index, overloaded. Partition
     * {@code OPS#CASESLA#{0..7}} (spread by the case's key, read across tenants by the schedule only),
     * sort key {@code dueBy} (N, epoch ms of the case's next check); only cases with something left to
     * check carry it.
     */
    public static final int CHECK_SHARDS = 8;

    public static String checkShard(String casePk) {
        return checkShard(Math.floorMod(casePk.hashCode(), CHECK_SHARDS));
    }

    public static String checkShard(int shard) {
        return "OPS#CASESLA#" + shard;
    }

    /** The tenant and case id of a case item's partition key. */
    public static String[] parseCaseItem(String pk) {
        int i = pk.lastIndexOf("#CASE#");
        return i < 0 ? null : new String[] {pk.substring(0, i), pk.substring(i + "#CASE#".length())};
    }
}
