package dev.crm.surveys.domain;

import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.store.SurveyRepository;
import dev.crm.surveys.store.SurveyRepository.NewResponse;
import dev.crm.surveys.store.SurveyRepository.Recorded;
import dev.crm.surveys.store.SurveyRepository.Respondent;
import dev.crm.surveys.store.SurveyRepository.ScoresView;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.segment.SegmentRule;
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

    public SurveyService(SurveyRepository surveys) {
        this.surveys = surveys;
    }

    public SurveyRepository repository() {
        return surveys;
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
                    previousResponse = surveys.response(previous);
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
            Recorded outcome = surveys.record(new NewResponse(tenant, stored, response, counts, timeline, previous,
                    previousResponse, previousCounts, scoresView, scoresVersion, latestNps));
            switch (outcome) {
                case CREATED:
                    return new Submitted(Outcome.CREATED, response.receipt());
                case ID_TAKEN:
                    return replay(tenant, stored, responseId);
                case CONTACT_GONE:
                    return new Submitted(Outcome.CONTACT_GONE, null);
                default:
                    // another response of the contact, or of the same counters, got in first: read again
                    backoff(attempt);
            }
        }
        throw new IllegalStateException("response still contended after " + MAX_ATTEMPTS + " attempts");
    }

    private Submitted replay(TenantId tenant, StoredSurvey stored, String responseId) {
        RecordedResponse existing = surveys.response(tenant, stored.id(), responseId);
        return existing == null ? new Submitted(Outcome.REPLACED_SINCE, null)
                : new Submitted(Outcome.REPLAYED, existing.receipt());
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L + Math.min(attempt, 10) * 5L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- results ----

    /** From the day counters: one query per shard, whatever the number of responses. */
    public SurveyResults results(TenantId tenant, StoredSurvey stored, ResultsQuery query) {
        return SurveyResults.fromDayCounts(stored.survey(), query,
                surveys.dayCounts(tenant, stored.id(), query.from(), query.to()));
    }

    /**
     * The results of the responses whose contact is a member of the segment now (segments are rules
     * evaluated when read, so membership is today's, like the contacts function's member list).
     * Anonymous responses belong to no segment.
     *
     * @param rule the segment's stored rule
     * @throws SurveyRepository.TooManyResponses over {@link #MAX_SEGMENT_RESPONSES} in the range
     */
    public SurveyResults segmentResults(TenantId tenant, StoredSurvey stored, ResultsQuery query, Object rule) {
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
