package dev.crm.surveys.domain;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The port to the surveys' store: surveys, their responses and running aggregates, always within one
 * tenant (system lookups aside). Domain types only; where things are kept is the adapter's business.
 */
public interface SurveyRepository {

    // ---- surveys ----

    /**
     * Creates the survey and its public id lookup in one transaction.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when a survey with this id exists
     */
    void create(StoredSurvey survey);

    /** @return the survey (strongly consistent), or null */
    StoredSurvey find(TenantId tenant, String surveyId);

    /** @throws dev.crm.shared.store.StoreException.VersionConflict when it changed since {@code previous} */
    void replace(StoredSurvey previous, Survey updated);

    /** Newest first, from {@code from} (null: the newest). */
    Slice<StoredSurvey> list(TenantId tenant, int limit, Cursor from);

    /** The public id lookup: which tenant a survey id belongs to, or null. System path: no tenant yet. */
    TenantId tenantOf(String surveyId);

    // ---- responses ----

    /** Who answered a survey through a respondent token (one per contact and survey), and with which response. */
    record Respondent(String contactId, String responseId, Instant submittedAt) {}

    /** @return the contact's response guard for the survey, or null when it has not responded */
    Respondent respondent(TenantId tenant, String surveyId, String contactId);

    /** @return the stored response with this id, or null (never stored, or replaced since) */
    RecordedResponse response(TenantId tenant, String surveyId, String responseId);

    /** The response a respondent's guard points at, or null. */
    RecordedResponse response(TenantId tenant, String surveyId, Respondent respondent);

    /** The contact's latest-scores view and the version it was read at (0: never written). */
    record ScoresView(Map<String, Object> view, long version) {}

    ScoresView latestScores(TenantId tenant, String contactId);

    /**
     * Everything one response writes, in one transaction: the response and its id guard, the day
     * counters, and for a known contact its respondent guard, timeline entry, latest scores and
     * latest NPS; for a replaced response also its removal and the negation of its counts.
     *
     * @param counts        what the response adds to its day's counters
     * @param replaced      the response this one replaces (same contact and survey), or null
     * @param replacedCounts what {@code replaced} is taken off its own day's counters (null with it)
     * @param scoresView    the contact's new latest-scores view, or null to leave it unchanged
     * @param scoresVersion the version {@code scoresView} was computed from
     * @param latestNps     the contact's new latest NPS for the purchase summary, or null
     */
    record NewResponse(TenantId tenant, StoredSurvey survey, RecordedResponse response, ScoreCounts counts,
            Map<String, Object> timelineData, Respondent replaced, RecordedResponse replacedResponse,
            ScoreCounts replacedCounts, Map<String, Object> scoresView, long scoresVersion, Integer latestNps) {}

    enum Recorded {
        CREATED,
        /** A response with this id exists already: an earlier attempt of the same submission. */
        ID_TAKEN,
        /** The contact's respondent guard is not as read: it has (or now has) another response. */
        RESPONDENT_TAKEN,
        /** The contact no longer exists or is being erased. */
        CONTACT_GONE
    }

    /**
     * @throws dev.crm.shared.store.StoreException.Contention when another write touched the same items
     *         meanwhile (the contact's latest scores changed since read, or a transaction conflict): read
     *         again and retry
     */
    Recorded record(NewResponse response);

    /** Summed over shards: counts per calendar day in [from, to), days without responses absent. */
    Map<LocalDate, ScoreCounts> dayCounts(TenantId tenant, String surveyId, LocalDate from, LocalDate to);

    /** Thrown when a range holds more responses than a caller is prepared to examine. */
    final class TooManyResponses extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TooManyResponses() {
            super("too many responses", null, false, false);
        }
    }

    /**
     * Every response submitted in [from, to), in no particular order.
     *
     * @throws TooManyResponses when there are more than {@code max}
     */
    List<RecordedResponse> responses(TenantId tenant, String surveyId, Instant from, Instant to, int max);

    // ---- contacts and segments (owned by the contacts function; read here) ----

    /** @return the contact, or null when it does not exist or is being erased */
    Contact contact(TenantId tenant, String contactId);

    /** The stored rule of a segment (parsed JSON), or null when the tenant has no such segment. */
    Object segmentRule(TenantId tenant, String segmentId);

    /**
     * The facts of the active contacts among {@code contactIds}; absent or erased contacts are left out.
     *
     * @param withScores whether to read the purchase summary, churn score and survey scores too (rules
     *                   on the record alone need only the contact item)
     */
    Map<String, ContactFacts> facts(TenantId tenant, Collection<String> contactIds, boolean withScores);

    // ---- recount ----

    /** One shard's counters of one day, and how many writes they had received when read. */
    record CounterSnapshot(boolean exists, long writes, ScoreCounts counts) {}

    /** The first day on or after {@code from} (null: the beginning) with counters or responses in the shard. */
    LocalDate nextDay(TenantId tenant, StoredSurvey survey, int shard, LocalDate from);

    CounterSnapshot counters(TenantId tenant, String surveyId, int shard, LocalDate day);

    /** The counted answers of every response of the shard submitted on {@code day} (in the survey's zone). */
    List<Map<String, Object>> answersOn(TenantId tenant, StoredSurvey survey, int shard, LocalDate day);

    /**
     * Adds {@code deltas} to the day's counters if they still have the writes {@code read} saw.
     *
     * @return false when a response (or another repair) changed them since: read again
     */
    boolean repair(TenantId tenant, String surveyId, int shard, LocalDate day, CounterSnapshot read,
            Map<String, Long> deltas);
}
