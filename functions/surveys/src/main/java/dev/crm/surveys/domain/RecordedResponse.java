package dev.crm.surveys.domain;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stored response. Its answers are kept in two parts because they are treated differently:
 * {@code counted} (scores and choices: what the aggregates are made of, kept when a contact is
 * erased, so results survive) and {@code texts} (free text, personal data that an erasure removes).
 *
 * @param contactId  the respondent when the response came through a respondent token; null when
 *                   anonymous (or once erased)
 * @param tokenNonce the nonce of the respondent token used, for tracing a link; null when anonymous
 */
public record RecordedResponse(String id, String surveyId, Instant submittedAt, String contactId, String tokenNonce,
        Map<String, Object> counted, Map<String, String> texts) {

    public RecordedResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(surveyId, "surveyId");
        Objects.requireNonNull(submittedAt, "submittedAt");
        counted = Collections.unmodifiableMap(new LinkedHashMap<>(counted));
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    /** Splits validated answers by question type: free text is personal, the rest is counted. */
    public static RecordedResponse of(String id, Survey survey, SubmittedResponse response, String contactId,
            String tokenNonce) {
        Map<String, Object> counted = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        response.answers().forEach((questionId, answer) -> {
            Question q = survey.question(questionId);
            if (q != null && q.type() == QuestionType.TEXT && answer instanceof String s) {
                texts.put(questionId, s);
            } else {
                counted.put(questionId, answer);
            }
        });
        return new RecordedResponse(id, survey.id(), response.submittedAt(), contactId, tokenNonce, counted, texts);
    }

    /** Every answer, counted and free text, in the order of the survey's questions (unknown ones last). */
    public Map<String, Object> answers(Survey survey) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Question q : survey.questions()) {
            Object a = counted.containsKey(q.id()) ? counted.get(q.id()) : texts.get(q.id());
            if (a != null) {
                all.put(q.id(), a);
            }
        }
        counted.forEach(all::putIfAbsent);
        texts.forEach(all::putIfAbsent);
        return all;
    }

    /** The calendar day it is counted on. */
    public LocalDate day(ZoneId zone) {
        return LocalDate.ofInstant(submittedAt, zone);
    }

    /** The answer to the survey's standard score question, or null (custom survey, or not answered). */
    public Integer score(Survey survey) {
        Question q = survey.scoreQuestion();
        return q != null && counted.get(q.id()) instanceof Number n ? n.intValue() : null;
    }

    /** What the submitter gets back (201): nothing beyond what it needs to refer to its response. */
    public Map<String, Object> receipt() {
        return receipt(id, surveyId, submittedAt);
    }

    public static Map<String, Object> receipt(String id, String surveyId, Instant submittedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("surveyId", surveyId);
        m.put("submittedAt", Times.format(submittedAt));
        return m;
    }

    /**
     * The response's API form, as a contact's timeline shows it: the survey, its kind ({@code surveyKind},
     * because a timeline entry's own {@code kind} is {@code survey_response}), the headline
     * score and whether that score is a risk signal (an NPS detractor, a CSAT of 1 or 2), and every answer.
     */
    public Map<String, Object> toJson(Survey survey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("surveyId", surveyId);
        m.put("surveyTitle", survey.title());
        m.put("surveyKind", survey.kind().wire());
        m.put("submittedAt", Times.format(submittedAt));
        Integer score = score(survey);
        m.put("score", score == null ? null : (long) score);
        m.put("riskSignal", score != null && Scores.isRiskSignal(survey.kind(), score));
        m.put("answers", answers(survey));
        return m;
    }

    /**
     * The response as its {@code survey.response_submitted} event carries it (docs/events.md): the API
     * form, the NPS group of an NPS score (what journeys filter on), and the contact when known.
     */
    public Map<String, Object> toEventJson(Survey survey) {
        Map<String, Object> m = toJson(survey);
        Integer score = score(survey);
        if (survey.kind() == SurveyKind.NPS && score != null) {
            m.put("npsCategory", Scores.npsCategory(score).name().toLowerCase(java.util.Locale.ROOT));
        }
        if (contactId != null) {
            m.put("contactId", contactId);
        }
        return m;
    }
}
