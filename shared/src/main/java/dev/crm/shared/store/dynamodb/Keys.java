package dev.crm.shared.store.dynamodb;

import dev.crm.shared.tenant.TenantId;

/**
 * Every key format of the table, in one place (docs/data-model.md describes each).
 *
 * <p>Tenant-owned items: the partition key begins with the tenant id, so no query built from one
 * tenant's id can reach another's items. System lookups ({@code SYS#…}) resolve something to a
 * tenant before the tenant is known and hold nothing but that mapping. Operator records
 * ({@code OPS#…}) belong to the product operator.
 */
public final class Keys {
    /** The sort key of single-item partitions. */
    public static final String ITEM = "#";

    private Keys() {}

    // ---- system namespace (lookups before the tenant is known) ----

    public static String apiKeyMapping(String keyHash) {
        return "SYS#APIKEY#" + keyHash;
    }

    public static String slugMapping(String slug) {
        return "SYS#SLUG#" + slug;
    }

    /** The tenant registry: one partition, one item per tenant, sort key the tenant id. */
    public static final String TENANT_REGISTRY = "SYS#TENANTS";
    /** Never written: SnapStart priming reads it to warm the client (see {@code Priming}). */
    public static final String PRIMING = "SYS#PRIMING";

    // ---- operator namespace ----

    public static String operatorJob(String jobId) {
        return "OPS#JOB#" + jobId;
    }

    /** The open-jobs index's partitions, spread so the checkpoints of many jobs do not share one. */
    public static final int OPEN_JOB_SHARDS = 8;

    /** The open-jobs index partition of the job item with this partition key: stable per job. */
    public static String openJobs(String jobPk) {
        return openJobsShard(Math.floorMod(jobPk.hashCode(), OPEN_JOB_SHARDS));
    }

    public static String openJobsShard(int shard) {
        return "OPS#OPENJOBS#" + shard;
    }

    public static String operatorIdempotency(String hash) {
        return "OPS#IDEM#" + hash;
    }

    // ---- tenant namespace ----

    public static String tenantPrefix(TenantId t) {
        return t.value() + "#";
    }

    public static String tenant(TenantId t) {
        return t.value() + "#TENANT";
    }

    public static String apiKeys(TenantId t) {
        return t.value() + "#KEY";
    }

    public static String job(TenantId t, String jobId) {
        return t.value() + "#JOB#" + jobId;
    }

    public static String idempotency(TenantId t, String hash) {
        return t.value() + "#IDEM#" + hash;
    }

    // ---- a contact's item collection (one partition per contact: the 360° view is two queries) ----

    /** The partition of everything the product holds about one contact. */
    public static String contact(TenantId t, String contactId) {
        return t.value() + "#C#" + contactId;
    }

    /** Sort keys under {@code A#} are the contact's current state, read together by the 360° view. */
    public static final String STATE_PREFIX = "A#";
    public static final String CONTACT_PROFILE = "A#PROFILE";
    public static final String PURCHASE_SUMMARY = "A#PURCHASES";
    public static final String CHURN_SCORE = "A#SCORE";
    public static final String PREFERENCES = "A#PREFS";
    public static final String SURVEY_SCORES = "A#SURVEYS";

    /**
     * A case's link in its contact's partition while the case is unresolved (new, open, pending,
     * on hold): under {@code A#}, so the 360° view's state query reads the open cases with the rest.
     */
    public static final String OPEN_CASE_PREFIX = "A#CASE#";

    public static String openCaseLink(String caseId) {
        return OPEN_CASE_PREFIX + caseId;
    }

    /** The link once the case is solved or closed: out of the 360° view's read, still found by erasure. */
    public static final String RESOLVED_CASE_PREFIX = "CASE#";

    public static String resolvedCaseLink(String caseId) {
        return RESOLVED_CASE_PREFIX + caseId;
    }

    /**
     * A case's own partition (the cases function's {@code CaseKeys.caseItem}, the same format): what a
     * contact's erasure deletes, found through the contact's case links.
     */
    public static String casePartition(TenantId t, String caseId) {
        return t.value() + "#CASE#" + caseId;
    }

    /** Sort keys under {@code T#} are the timeline, ordered by time. */
    public static final String TIMELINE_PREFIX = "T#";

    /**
     * A timeline entry: interactions, consent changes and survey responses share one ordering.
     * The instant is written with fixed millisecond precision so keys sort chronologically.
     */
    public static String timeline(java.time.Instant at, String kind, String id) {
        return TIMELINE_PREFIX + sortableInstant(at) + "#" + kind + "#" + id;
    }

    /** Guards a client-supplied interaction id: a replay finds it and stores nothing new. */
    public static String interactionGuard(String interactionId) {
        return "IX#" + interactionId;
    }

    /** Per purchase day (tenant calendar), so back-dated purchases update the summary exactly. */
    public static String purchaseDay(java.time.LocalDate day) {
        return "PD#" + day;
    }

    /** Consent ledger entries, append-only, in the contact's partition. */
    public static final String LEDGER_PREFIX = "L#";

    public static String ledgerEntry(java.time.Instant at, String entryId) {
        return LEDGER_PREFIX + sortableInstant(at) + "#" + entryId;
    }

    /** Uniqueness guards: hashed so keys stay short and carry no address in clear. */
    public static String emailGuard(TenantId t, String emailHash) {
        return t.value() + "#EMAIL#" + emailHash;
    }

    public static String externalIdGuard(TenantId t, String externalIdHash) {
        return t.value() + "#EXT#" + externalIdHash;
    }

    /** GSI1: the tenant's contacts by last update. */
    public static String contactsIndex(TenantId t) {
        return t.value() + "#CONTACTS";
    }

    /** GSI2: the tenant's contacts of one lifecycle stage by last update. */
    public static String stageIndex(TenantId t, String stage) {
        return t.value() + "#STAGE#" + stage;
    }

    /** GSI1 on purchase summaries, sharded so one big tenant's purchases spread over partitions. */
    public static String summariesIndex(TenantId t, int shard) {
        return t.value() + "#SUMMARIES#" + shard;
    }

    public static final int SUMMARY_SHARDS = 8;

    /** GSI2 on purchase timeline entries, by time: what a churn backtest rebuilds summaries from. */
    public static String purchasesIndex(TenantId t, int shard) {
        return t.value() + "#PURCHASES#" + shard;
    }

    /** The shard of a contact in the sharded per-tenant indexes: stable per contact. */
    public static int contactShard(String contactId) {
        return Math.floorMod(contactId.hashCode(), SUMMARY_SHARDS);
    }

    public static String segments(TenantId t) {
        return t.value() + "#SEGMENTS";
    }

    /** What survives an erasure: the suppression of a pseudonymised address, and the fact of the erasure. */
    public static String suppression(TenantId t, String pseudonym) {
        return t.value() + "#SUPPRESSED#" + pseudonym;
    }

    public static String erasureRecord(TenantId t) {
        return t.value() + "#ERASURES";
    }

    /** Consent-ledger entries of an erased contact, kept under its pseudonym only. */
    public static String pseudonymousLedger(TenantId t, String pseudonym) {
        return t.value() + "#LEDGER#" + pseudonym;
    }

    // ---- events (docs/data-model.md, "Events") ----

    /** An event that carries no contact's personal data: a partition of its own. */
    public static String event(TenantId t, String eventId) {
        return t.value() + "#EV#" + eventId;
    }

    /** An event carrying a contact's personal data, in the contact's partition: erased with it. */
    public static String contactEvent(String eventId) {
        return "EV#" + eventId;
    }

    /** Fixed-width UTC instant (millisecond precision) so string order is time order. */
    public static String sortableInstant(java.time.Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(at);
    }
}
