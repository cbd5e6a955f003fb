package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.NPS_WITH_EXTRAS;
import static dev.crm.surveys.domain.Fixtures.TENANT;
import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Response ids, the stored form of a response, and a contact's latest scores. */
class ResponsesTest {
    static final Instant AT = Instant.parse("2026-11-24T23:30:00Z");

    @Nested
    class Ids {
        @Test
        void aKeyGivesTheSameIdOnItsSurveyAndAnotherOneElsewhere() {
            String id = ResponseIds.forIdempotencyKey(TENANT, "srv_a", "key-1");
            assertTrue(ResponseIds.isId(id));
            assertEquals(id, ResponseIds.forIdempotencyKey(TENANT, "srv_a", "key-1"));
            assertNotEquals(id, ResponseIds.forIdempotencyKey(TENANT, "srv_b", "key-1"));
            assertNotEquals(id, ResponseIds.forIdempotencyKey(TENANT, "srv_a", "key-2"));
            assertNotEquals(id, ResponseIds.forIdempotencyKey(new TenantId("t_0123456789abcdefghjm"), "srv_a", "key-1"));
            assertTrue(ResponseIds.isId(ResponseIds.random()));
            assertNotEquals(ResponseIds.random(), ResponseIds.random());
            assertFalse(ResponseIds.isId("rsp_short"));
        }
    }

    @Nested
    class Recorded {
        final Survey survey = survey(NPS_WITH_EXTRAS);

        RecordedResponse response(Map<String, Object> answers) {
            return RecordedResponse.of("rsp_0123456789abcdefghjk", survey, new SubmittedResponse(AT, answers), "c_1", "nonce");
        }

        @Test
        void freeTextIsKeptApartFromWhatIsCounted() {
            Map<String, Object> answers = new LinkedHashMap<>();
            answers.put("why", "slow");
            answers.put("score", 4L);
            answers.put("channels", List.of("email"));
            RecordedResponse r = response(answers);
            assertEquals(Map.of("score", 4L, "channels", List.of("email")), r.counted());
            assertEquals(Map.of("why", "slow"), r.texts());
            assertEquals(List.of("score", "channels", "why"), List.copyOf(r.answers(survey).keySet()), "in question order");
            assertEquals(4, r.score(survey));
            assertEquals(LocalDate.parse("2026-11-25"), r.day(ZoneId.of("Europe/Berlin")));
            assertEquals(LocalDate.parse("2026-11-24"), r.day(ZoneId.of("UTC")));
        }

        @Test
        void itsApiFormCarriesTheSurveyTheScoreAndTheRiskSignal() {
            Map<String, Object> json = response(Map.of("score", 6L)).toJson(survey);
            assertEquals(Set.of("id", "surveyId", "surveyTitle", "surveyKind", "submittedAt", "score", "riskSignal", "answers"),
                    json.keySet());
            assertEquals("nps", json.get("surveyKind"));
            assertEquals(6L, json.get("score"));
            assertEquals(true, json.get("riskSignal"));
            assertEquals(false, response(Map.of("score", 7L)).toJson(survey).get("riskSignal"));
            assertEquals(Map.of("id", "rsp_0123456789abcdefghjk", "surveyId", survey.id(), "submittedAt", "2026-11-24T23:30:00Z"),
                    response(Map.of("score", 7L)).receipt());
            Survey custom = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'q', 'type': 'text', 'label': 'L'}]}");
            RecordedResponse r = RecordedResponse.of("rsp_0123456789abcdefghjk", custom, new SubmittedResponse(AT, Map.of("q", "hi")),
                    null, null);
            assertNull(r.toJson(custom).get("score"));
            assertEquals(false, r.toJson(custom).get("riskSignal"));
        }
    }

    @Nested
    class Latest {
        final Survey nps = survey("{'kind': 'nps', 'title': 'T'}");
        final Survey csat = survey("{'kind': 'csat', 'title': 'T'}");

        RecordedResponse answer(Survey s, long score, Instant at) {
            return RecordedResponse.of("rsp_0123456789abcdefghjk", s, new SubmittedResponse(at, Map.of("score", score)), "c_1", null);
        }

        @Test
        @SuppressWarnings("unchecked")
        void eachKindKeepsItsNewestScore() {
            Map<String, Object> view = LatestScores.apply(null, nps, answer(nps, 3, AT));
            assertEquals(Map.of("score", 3L, "surveyId", nps.id(), "respondedAt", "2026-11-24T23:30:00Z"), view.get("nps"));
            view = LatestScores.apply(view, csat, answer(csat, 5, AT));
            assertEquals(Set.of("nps", "csat"), view.keySet());
            Map<String, Object> later = LatestScores.apply(view, nps, answer(nps, 10, AT.plusSeconds(1)));
            assertEquals(10L, ((Map<String, Object>) later.get("nps")).get("score"));
            assertNull(LatestScores.apply(later, nps, answer(nps, 0, AT)), "an older answer changes nothing");
            assertEquals(5L, ((Map<String, Object>) later.get("csat")).get("score"));
        }

        @Test
        void aCustomSurveyOrAMissingScoreLeavesTheViewAlone() {
            Survey custom = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'q', 'type': 'score', 'label': 'L', 'min': 1, 'max': 3}]}");
            assertNull(LatestScores.apply(Map.of(), custom, RecordedResponse.of("rsp_0123456789abcdefghjk", custom,
                    new SubmittedResponse(AT, Map.of("q", 2L)), "c_1", null)));
        }
    }
}
