package dev.crm.journeys.store.dynamodb;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;

/** The journeys function's key formats (docs/data-model.md, "Journeys"). */
final class JourneyKeys {
    /** Enrolments due to run are spread over this many partitions of the OpenJobs index. */
    static final int DUE_SHARDS = 8;
    /** A journey's counters are spread over this many items, so concurrent enrolments rarely touch the same one. */
    static final int COUNT_SHARDS = 8;
    static final String DEFINITION_PREFIX = "V#";
    static final String COUNTS_PREFIX = "STATS#";
    static final String ENROLMENT_PREFIX = "JE#";
    static final String GUARD_PREFIX = "JG#";

    private JourneyKeys() {}

    /** A journey's partition: the journey ({@link Keys#ITEM}), its definition versions and its counters. */
    static String journey(TenantId t, String journeyId) {
        return t.value() + "#JOURNEY#" + journeyId;
    }

    /** GSI1: the tenant's journeys, newest first. */
    static String journeysIndex(TenantId t) {
        return t.value() + "#JOURNEYS";
    }

    /** GSI2: the tenant's journeys of one status, newest first. */
    static String journeysByStatus(TenantId t, String status) {
        return t.value() + "#JOURNEYS#" + status;
    }

    static String journeysIndexSort(java.time.Instant createdAt, String journeyId) {
        return Keys.sortableInstant(createdAt) + "#" + journeyId;
    }

    static String definition(long version) {
        return DEFINITION_PREFIX + String.format("%08d", version);
    }

    static String counts(int shard) {
        return COUNTS_PREFIX + shard;
    }

    /** The tenant's active journeys, one item each: what an event is matched against. */
    static String activeJourneys(TenantId t) {
        return t.value() + "#JOURNEYS#ACTIVE";
    }

    /** An enrolment, in its contact's partition (erased with the contact). */
    static String enrolment(String journeyId, String enrolmentId) {
        return ENROLMENT_PREFIX + journeyId + "#" + enrolmentId;
    }

    static String enrolmentsOf(String journeyId) {
        return ENROLMENT_PREFIX + journeyId + "#";
    }

    /** The contact's entry guard for a journey: the last entry's instant, which the entry rule is checked against. */
    static String guard(String journeyId) {
        return GUARD_PREFIX + journeyId;
    }

    static String dueShard(String enrolmentId) {
        return "OPS#JOURNEY#" + Math.floorMod(enrolmentId.hashCode(), DUE_SHARDS);
    }

    static String dueShard(int shard) {
        return "OPS#JOURNEY#" + shard;
    }

    /** Date triggers' due work is spread over this many partitions of the OpenJobs index, apart from steps'. */
    static final int DATE_SHARDS = 8;
    static final String DATE_PREFIX = "JD#";
    /** The scan of a date journey being activated, in the journey's partition. */
    static final String DATE_SCAN = "DATES";

    /** A contact's next occurrence for a date journey, in its contact's partition (erased with the contact). */
    static String date(String journeyId) {
        return DATE_PREFIX + journeyId;
    }

    static String dateShard(String key) {
        return dateShard(Math.floorMod(key.hashCode(), DATE_SHARDS));
    }

    static String dateShard(int shard) {
        return "OPS#JOURNEYDATE#" + shard;
    }

    /** {tenant, journeyId} of a journey partition key, or null. */
    static String[] parseJourney(String pk) {
        int i = pk.indexOf("#JOURNEY#");
        return i < 0 ? null : new String[] {pk.substring(0, i), pk.substring(i + 9)};
    }

    /** The preferences function's topics partition (its {@code PreferenceKeys.topics}), read here only. */
    static String topics(TenantId t) {
        return t.value() + "#TOPICS";
    }

    /** {tenant, contactId} of a contact partition key, or null. */
    static String[] parseContact(String pk) {
        int i = pk.indexOf("#C#");
        return i < 0 ? null : new String[] {pk.substring(0, i), pk.substring(i + 3)};
    }

    /** {journeyId, enrolmentId} of an enrolment sort key, or null. */
    static String[] parseEnrolment(String sk) {
        if (!sk.startsWith(ENROLMENT_PREFIX)) {
            return null;
        }
        String rest = sk.substring(ENROLMENT_PREFIX.length());
        int i = rest.lastIndexOf('#');
        return i < 0 ? null : new String[] {rest.substring(0, i), rest.substring(i + 1)};
    }
}
