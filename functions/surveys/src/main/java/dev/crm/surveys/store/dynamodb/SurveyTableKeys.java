package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The surveys function's key formats in the tenant namespace (docs/data-model.md, "Surveys"); the
 * public id lookup is {@link dev.crm.shared.store.dynamodb.SurveyKeys#surveyMapping}.
 *
 * <p>Responses and counters are spread over {@link dev.crm.surveys.domain.CounterShards#SHARDS}
 * partitions per survey (the shard comes from the response id), because a hot survey would otherwise
 * write every response into one partition, limited to about 1,000 write units a second.
 */
public final class SurveyTableKeys {
    private SurveyTableKeys() {}

    /** The survey's own item (SK {@code #}). */
    public static String survey(TenantId t, String surveyId) {
        return t.value() + "#SURVEY#" + surveyId;
    }

    /** GSI1: the tenant's surveys, newest first. */
    public static String surveysIndex(TenantId t) {
        return t.value() + "#SURVEYS";
    }

    public static String surveysIndexSort(Instant createdAt, String surveyId) {
        return Keys.sortableInstant(createdAt) + "#" + surveyId;
    }

    /** One shard of a survey's responses: responses under {@code T#}, their id guards under {@code ID#}. */
    public static String responses(TenantId t, String surveyId, int shard) {
        return t.value() + "#SRVR#" + surveyId + "#" + shard;
    }

    public static final String RESPONSE_PREFIX = "T#";
    /** Sorts after every response's key (and before the id guards' {@code ID#}). */
    static final String AFTER_RESPONSES = "T$";

    /** Responses sort by submission time, so a day's responses are one key range. */
    public static String response(Instant submittedAt, String responseId) {
        return RESPONSE_PREFIX + Keys.sortableInstant(submittedAt) + "#" + responseId;
    }

    /** The first response sort key possible at {@code from} or later (null: the first of all). */
    static String responsesFrom(Instant from) {
        return RESPONSE_PREFIX + (from == null ? "" : Keys.sortableInstant(from));
    }

    /** The last response sort key possible before {@code end} ('$' sorts right after the '#' before the id). */
    static String responsesBefore(Instant end) {
        return RESPONSE_PREFIX + Keys.sortableInstant(end.minusMillis(1)) + "$";
    }

    /** Guards a response id: a retried submission with the same derived id finds it and stores nothing. */
    public static String responseId(String responseId) {
        return "ID#" + responseId;
    }

    /** One shard of a survey's day counters; the sort key is the day. */
    public static String counters(TenantId t, String surveyId, int shard) {
        return t.value() + "#SRVC#" + surveyId + "#" + shard;
    }

    public static String day(LocalDate day) {
        return day.toString();
    }

    /** In the contact's partition: the contact's one response to a survey. */
    public static String respondent(String surveyId) {
        return "SRV#" + surveyId;
    }

    /** A fixed-window rate counter (expires shortly after its window). */
    public static String rateWindow(TenantId t, String surveyId, String client, long windowId) {
        return t.value() + "#RATE#" + surveyId + "#" + client + "#" + windowId;
    }

    /** Idempotency records of public submissions: scoped to the tenant and the survey (the route is in the hash). */
    public static String submissionIdempotency(TenantId t, String surveyId, String hash) {
        return Keys.idempotency(t, surveyId + "#" + hash);
    }

    // ---- response imports: under the job's partition (Keys.job) ----

    /** Staged lines (CHUNK#0000) and rejected lines (LINE#000001), under the job. */
    static final ImportLines.Layout IMPORT_LINES = new ImportLines.Layout("SURVEY", "CHUNK#", "LINE#");
    static final String IMPORT_APPLIED_PREFIX = "APPLIED#";

    /** An applied part's marker, keyed by the part's first line (a line is in one part only). */
    static String importApplied(int firstLine) {
        return String.format(java.util.Locale.ROOT, IMPORT_APPLIED_PREFIX + "%06d", firstLine);
    }
}
