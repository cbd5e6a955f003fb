package dev.crm.surveys.domain;

import dev.crm.shared.store.Backoff;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.SurveyRepository.NewResponse;
import dev.crm.surveys.domain.SurveyRepository.Recorded;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import dev.crm.surveys.domain.SurveyRepository.ScoresView;
import dev.crm.shared.segment.SegmentRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Surveys, responses and results: the rules, over the repository port. */
public final class SurveyService {
    /** Contended writes (responses of one contact, counters of one day and shard) are retried this often. */
    static final int MAX_ATTEMPTS = 40;
    /**
     * Segment results are computed from raw responses (membership is decided now, per contact), so a
     * request examines at most this many; a longer range is refused with a hint to narrow it.
     */
    public static final int MAX_SEGMENT_RESPONSES = 20_000;

    private final SurveyRepository surveys;
    private final Backoff backoff;

    public SurveyService(SurveyRepository surveys) {
        this(surveys, Backoff.JITTER);
    }

    public SurveyService(SurveyRepository surveys, Backoff backoff) {
        this.surveys = surveys;
        this.backoff = backoff;
    }

    // ---- surveys ----

    /** Stores a new survey with its public id lookup. */
    /**
     * Creates the survey; a survey of the tenant that already has its id is the answer instead (the id
     * derives from an Idempotency-Key, and an earlier run of the same request created it).
     *
     * @return the survey as stored
     */
    public StoredSurvey create(StoredSurvey survey) {
        try {
            surveys.create(survey);
            return survey;
        } catch (StoreException.VersionConflict e) {
            StoredSurvey existing = surveys.find(survey.survey().tenantId(), survey.id());
            if (existing == null) {
                throw e;
            }
            return existing;
        }
    }

    /** @return the tenant's survey, or null (another tenant's survey is simply not found) */
    public StoredSurvey find(TenantId tenant, String surveyId) {
        return surveys.find(tenant, surveyId);
    }

    /** @throws StoreException.VersionConflict when the survey changed since {@code current} was read */
    public void replace(StoredSurvey current, Survey updated) {
        surveys.replace(current, updated);
    }

    /** The tenant's surveys, newest first. */
    public Slice<StoredSurvey> list(TenantId tenant, int limit, Cursor from) {
        return surveys.list(tenant, limit, from);
    }

    /** Which tenant a public survey id belongs to, or null when it names no survey. */
    public TenantId tenantOf(String surveyId) {
        return Survey.isId(surveyId) ? surveys.tenantOf(surveyId) : null;
    }

    // ---- respondent links ----

    /** The contact a respondent link is issued to, or null when there is none (or it is being erased). */
    public Contact respondent(TenantId tenant, String contactId) {
        return surveys.contact(tenant, contactId);
    }

    // ---- submissions ----

    public enum Outcome {
        CREATED,
        /** The same submission was stored before (an earlier attempt with the same Idempotency-Key). */
        REPLAYED,
        /** The contact has responded already and the survey rejects duplicates. */
        TOKEN_USED,
        /** The response the Idempotency-Key created has since been replaced by a later one. */
        REPLACED_SINCE,
        /** The respondent token names a contact that no longer exists. */
        CONTACT_GONE
    }

    /** @param receipt the 201 body (null unless created or replayed) */
    public record Submitted(Outcome outcome, Map<String, Object> receipt) {}

    /**
     * Stores one response with everything it changes, exactly once: the response, its day's counters,
     * and for a known contact its timeline and latest scores. Under {@code replace} a contact's second
     * response takes the first one's place, its counts moving from the old day to the new one in the
     * same transaction.
     *
     * @param responseId from {@link ResponseIds}: derived from the Idempotency-Key when there is one
     * @param contactId  the respondent (from a verified respondent token), or null when anonymous
     */
    public Submitted submit(TenantId tenant, StoredSurvey stored, SubmittedResponse answers, String responseId,
            String contactId, String tokenNonce) {
        Survey survey = stored.survey();
        RecordedResponse response = RecordedResponse.of(responseId, survey, answers, contactId, tokenNonce);
        ScoreCounts counts = ScoreCounts.ofResponse(survey, response.counted());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Respondent previous = null;
            RecordedResponse previousResponse = null;
            ScoreCounts previousCounts = null;
            Map<String, Object> scoresView = null;
            long scoresVersion = 0;
            Integer latestNps = null;
            Map<String, Object> timeline = null;
            if (contactId != null) {
                previous = surveys.respondent(tenant, stored.id(), contactId);
                if (previous != null) {
                    if (previous.responseId().equals(responseId)) {
                        return replay(tenant, stored, responseId);
                    }
                    if (survey.duplicatePolicy() == DuplicatePolicy.REJECT) {
                        return new Submitted(Outcome.TOKEN_USED, null);
                    }
                    previousResponse = surveys.response(tenant, stored.id(), previous);
                    // Taken off under the current definition, as the recount counts: results agree either way.
                    previousCounts = previousResponse == null ? null
                            : ScoreCounts.ofResponse(survey, previousResponse.counted());
                }
                ScoresView view = surveys.latestScores(tenant, contactId);
                scoresVersion = view.version();
                scoresView = LatestScores.apply(view.view(), survey, response);
                if (scoresView != null && survey.kind() == SurveyKind.NPS) {
                    latestNps = response.score(survey);
                }
                timeline = response.toJson(survey);
            }
            Recorded outcome;
            try {
                outcome = surveys.record(new NewResponse(tenant, stored, response, counts, timeline, previous,
                        previousResponse, previousCounts, scoresView, scoresVersion, latestNps));
            } catch (StoreException.Contention e) {
                outcome = null; // the same counters or scores were written meanwhile
            }
            if (outcome == Recorded.CREATED) {
                Metrics.count(MetricNames.SURVEY_RESPONSES);
                Metrics.tenant(tenant.value()); // a public route: the router knows no caller
                return new Submitted(Outcome.CREATED, response.receipt());
            }
            if (outcome == Recorded.ID_TAKEN) {
                return replay(tenant, stored, responseId);
            }
            if (outcome == Recorded.CONTACT_GONE) {
                return new Submitted(Outcome.CONTACT_GONE, null);
            }
            // another response of the contact, or of the same counters, got in first: read again
            backoff.pause(attempt);
        }
        throw new IllegalStateException("response still contended after " + MAX_ATTEMPTS + " attempts");
    }

    private Submitted replay(TenantId tenant, StoredSurvey stored, String responseId) {
        RecordedResponse existing = surveys.response(tenant, stored.id(), responseId);
        return existing == null ? new Submitted(Outcome.REPLACED_SINCE, null)
                : new Submitted(Outcome.REPLAYED, existing.receipt());
    }

    // ---- results ----

    /** From the day counters: one query per shard, whatever the number of responses. */
    public SurveyResults results(TenantId tenant, StoredSurvey stored, ResultsQuery query) {
        return SurveyResults.fromDayCounts(stored.survey(), query,
                surveys.dayCounts(tenant, stored.id(), query.from(), query.to()));
    }

    /** The tenant has no segment with the id asked for. */
    public static final class NoSuchSegment extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoSuchSegment() {
            super("no such segment", null, false, false);
        }
    }

    /**
     * The results of the responses whose contact is a member of the segment now (segments are rules
     * evaluated when read, so membership is today's, like the contacts function's member list).
     * Anonymous responses belong to no segment.
     *
     * @throws NoSuchSegment when the tenant has no such segment
     * @throws SurveyRepository.TooManyResponses over {@link #MAX_SEGMENT_RESPONSES} in the range
     */
    public SurveyResults segmentResults(TenantId tenant, StoredSurvey stored, ResultsQuery query, String segmentId) {
        Object rule = surveys.segmentRule(tenant, segmentId);
        if (rule == null) {
            throw new NoSuchSegment();
        }
        SegmentRule evaluator = SegmentRules.parseStored(rule);
        Instant from = query.from().atStartOfDay(stored.zone()).toInstant();
        Instant to = query.to().atStartOfDay(stored.zone()).toInstant();
        List<RecordedResponse> responses = surveys.responses(tenant, stored.id(), from, to, MAX_SEGMENT_RESPONSES);
        Set<String> contacts = new HashSet<>();
        for (RecordedResponse r : responses) {
            if (r.contactId() != null) {
                contacts.add(r.contactId());
            }
        }
        Set<String> members = new HashSet<>();
        surveys.facts(tenant, contacts, evaluator.needsFacts()).forEach((id, facts) -> {
            if (evaluator.matches(facts)) {
                members.add(id);
            }
        });
        List<SubmittedResponse> counted = new ArrayList<>();
        for (RecordedResponse r : responses) {
            if (r.contactId() != null && members.contains(r.contactId())) {
                counted.add(new SubmittedResponse(r.submittedAt(), r.counted()));
            }
        }
        return SurveyResults.fromResponses(stored.survey(), query, counted);
    }
}
