package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.CREATED;
import static dev.crm.surveys.domain.Fixtures.SURVEY_ID;
import static dev.crm.surveys.domain.Fixtures.TENANT;
import static dev.crm.surveys.domain.Fixtures.body;
import static dev.crm.surveys.domain.Fixtures.detail;
import static dev.crm.surveys.domain.Fixtures.pointers;
import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SurveyTest {

    private static Violations violationsOf(String json) {
        Violations v = new Violations();
        Survey s = Survey.create(body(json, v), SURVEY_ID, TENANT, CREATED);
        assertNull(s, "a body with violations yields no survey");
        assertFalse(v.isEmpty());
        return v;
    }

    @Nested
    class Creating {
        @ParameterizedTest
        @CsvSource({"nps, 0, 10", "csat, 1, 5", "ces, 1, 7"})
        void aStandardSurveyWithoutQuestionsGetsItsRequiredScoreQuestion(String kind, int min, int max) {
            Survey s = survey("{'kind': '" + kind + "', 'title': 'Feedback'}");
            assertEquals(1, s.questions().size());
            Question q = s.questions().get(0);
            assertEquals("score", q.id());
            assertEquals(QuestionType.SCORE, q.type());
            assertTrue(q.required());
            assertEquals(min, q.min());
            assertEquals(max, q.max());
            assertFalse(q.label().isBlank());
            assertEquals(q, s.scoreQuestion());
        }

        @Test
        void anEmptyQuestionListCountsAsNone() {
            assertEquals(List.of(Question.standardScore(SurveyKind.NPS)),
                    survey("{'kind': 'nps', 'title': 'T', 'questions': []}").questions());
        }

        @Test
        void defaultsAreApplied() {
            Survey s = survey("{'kind': 'nps', 'title': 'Feedback'}");
            assertTrue(s.allowAnonymous());
            assertEquals(DuplicatePolicy.REJECT, s.duplicatePolicy());
            assertEquals(30, s.perClientPerMinute());
            assertNull(s.opensAt());
            assertNull(s.closesAt());
            assertEquals(SURVEY_ID, s.id());
            assertEquals(TENANT, s.tenantId());
            assertEquals(CREATED, s.createdAt());
            assertEquals(CREATED, s.updatedAt());
            assertEquals(1, s.version());
        }

        @Test
        void readsEveryField() {
            Survey s = survey("{'kind': 'csat', 'title': 'Support', 'opensAt': '2026-11-01T00:00:00+01:00',"
                    + " 'closesAt': '2026-12-01T00:00:00Z', 'allowAnonymous': false, 'duplicatePolicy': 'replace',"
                    + " 'rateLimit': {'perClientPerMinute': 10000}}");
            assertEquals(SurveyKind.CSAT, s.kind());
            assertEquals("Support", s.title());
            assertEquals(Instant.parse("2026-10-31T23:00:00Z"), s.opensAt());
            assertEquals(Instant.parse("2026-12-01T00:00:00Z"), s.closesAt());
            assertFalse(s.allowAnonymous());
            assertEquals(DuplicatePolicy.REPLACE, s.duplicatePolicy());
            assertEquals(10_000, s.perClientPerMinute());
        }

        @Test
        void readsEachQuestionTypeWithItsRulesAndDefaults() {
            Survey s = survey(Fixtures.NPS_WITH_EXTRAS);
            assertEquals(List.of("score", "reason", "channels", "effort", "why"),
                    s.questions().stream().map(Question::id).toList());
            Question score = s.question("score");
            assertTrue(score.required(), "the standard score question is required by default");
            assertEquals(0, score.min());
            assertEquals(10, score.max());
            Question reason = s.question("reason");
            assertFalse(reason.required());
            assertEquals(List.of(new Question.Option("fast", "Fast"), new Question.Option("friendly", "Friendly"),
                    new Question.Option("cheap", "Cheap")), reason.options());
            Question channels = s.question("channels");
            assertTrue(channels.required());
            assertEquals(1, channels.minSelected());
            assertEquals(2, channels.maxSelected());
            assertEquals(1, s.question("effort").min());
            assertEquals(5, s.question("effort").max());
            assertEquals(20, s.question("why").maxLength());
        }

        @Test
        void questionDefaults() {
            Survey s = survey("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'pick', 'type': 'multi_choice', 'label': 'L', 'options': [{'value': 'a', 'label': 'A'}, {'value': 'b', 'label': 'B'}, {'value': 'c', 'label': 'C'}]},"
                    + "{'id': 'note', 'type': 'text', 'label': 'L'}]}");
            assertEquals(1, s.question("pick").minSelected());
            assertEquals(3, s.question("pick").maxSelected());
            assertFalse(s.question("pick").required());
            assertEquals(2000, s.question("note").maxLength());
            assertNull(s.scoreQuestion(), "a custom survey has no standard score");
        }

        @Test
        void aCustomSurveyMayCallAQuestionScoreWithAnyRangeAndLeaveItOptional() {
            Survey s = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'score', 'type': 'score', 'label': 'L', 'min': -3, 'max': 3}]}");
            assertFalse(s.question("score").required());
            assertEquals(-3, s.question("score").min());
            assertNull(s.scoreQuestion());
        }

        @Test
        void theStandardScoreQuestionMayRepeatItsRange() {
            Survey s = survey("{'kind': 'ces', 'title': 'T', 'questions': [{'id': 'score', 'type': 'score', 'label': 'Easy?', 'min': 1, 'max': 7, 'required': true}]}");
            assertEquals(7, s.scoreQuestion().max());
            assertEquals("Easy?", s.scoreQuestion().label());
        }
    }

    @Nested
    class Rejecting {
        @Test
        void missingKindAndTitle() {
            Violations v = violationsOf("{}");
            assertEquals(List.of("/kind", "/title"), pointers(v));
        }

        @Test
        void unknownFieldsIncludingTenantIdAndReadOnlyFieldsOnCreate() {
            Violations v = violationsOf("{'kind': 'nps', 'title': 'T', 'tenantId': 't_x', 'id': 'srv_x', 'colour': 'red'}");
            assertEquals(List.of("/tenantId", "/id", "/colour"), pointers(v));
            assertEquals("unknown field", detail(v, "/colour"));
        }

        @Test
        void badScalars() {
            Violations v = violationsOf("{'kind': 'poll', 'title': '', 'opensAt': 'tomorrow', 'closesAt': '2026-12-01',"
                    + " 'allowAnonymous': 'yes', 'duplicatePolicy': 'ignore', 'rateLimit': {'perClientPerMinute': 0, 'burst': 5}}");
            assertEquals(List.of("/kind", "/title", "/opensAt", "/closesAt", "/allowAnonymous", "/duplicatePolicy",
                    "/rateLimit/burst", "/rateLimit/perClientPerMinute"), pointers(v));
            assertEquals("must be one of nps, csat, ces, custom", detail(v, "/kind"));
        }

        @Test
        void titleLimits() {
            assertEquals(List.of("/title"), pointers(violationsOf("{'kind': 'nps', 'title': '" + "x".repeat(201) + "'}")));
            assertEquals(List.of("/title"), pointers(violationsOf("{'kind': 'nps', 'title': 'two\\nlines'}")));
            survey("{'kind': 'nps', 'title': '" + "é".repeat(200) + "'}");
        }

        @Test
        void rateLimitBounds() {
            assertEquals(List.of("/rateLimit/perClientPerMinute"),
                    pointers(violationsOf("{'kind': 'nps', 'title': 'T', 'rateLimit': {'perClientPerMinute': 10001}}")));
            assertEquals(List.of("/rateLimit"), pointers(violationsOf("{'kind': 'nps', 'title': 'T', 'rateLimit': 5}")));
            assertEquals(1, survey("{'kind': 'nps', 'title': 'T', 'rateLimit': {'perClientPerMinute': 1}}").perClientPerMinute());
            assertEquals(30, survey("{'kind': 'nps', 'title': 'T', 'rateLimit': {}}").perClientPerMinute());
        }

        @Test
        void closesAtMustFollowOpensAt() {
            Violations v = violationsOf("{'kind': 'nps', 'title': 'T', 'opensAt': '2026-11-01T00:00:00Z', 'closesAt': '2026-11-01T01:00:00+01:00'}");
            assertEquals(List.of("/closesAt"), pointers(v));
            assertEquals("must be after opensAt", detail(v, "/closesAt"));
        }

        @Test
        void aCustomSurveyNeedsQuestions() {
            assertEquals(List.of("/questions"), pointers(violationsOf("{'kind': 'custom', 'title': 'T'}")));
            assertEquals(List.of("/questions"), pointers(violationsOf("{'kind': 'custom', 'title': 'T', 'questions': []}")));
        }

        @Test
        void atMostThirtyQuestions() {
            StringBuilder qs = new StringBuilder();
            for (int i = 0; i < 31; i++) {
                qs.append(i == 0 ? "" : ",").append("{'id': 'q").append(i).append("', 'type': 'text', 'label': 'L'}");
            }
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': [" + qs + "]}");
            assertEquals(List.of("/questions"), pointers(v));
            survey("{'kind': 'custom', 'title': 'T', 'questions': [" + qs.substring(0, qs.lastIndexOf(",{")) + "]}");
        }

        @Test
        void questionIdsFollowThePatternAndAreUnique() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'Why', 'type': 'text', 'label': 'L'},"
                    + "{'id': '1st', 'type': 'text', 'label': 'L'},"
                    + "{'id': 'a-b', 'type': 'text', 'label': 'L'},"
                    + "{'id': '" + "a".repeat(41) + "', 'type': 'text', 'label': 'L'},"
                    + "{'id': 'ok_Id9', 'type': 'text', 'label': 'L'},"
                    + "{'id': 'ok_Id9', 'type': 'text', 'label': 'L'},"
                    + "{'type': 'text', 'label': 'L'}]}");
            assertEquals(List.of("/questions/0/id", "/questions/1/id", "/questions/2/id", "/questions/3/id",
                    "/questions/5/id", "/questions/6/id"), pointers(v));
            assertEquals("duplicate question id", detail(v, "/questions/5/id"));
            assertEquals("required", detail(v, "/questions/6/id"));
            survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': '" + "a".repeat(40) + "', 'type': 'text', 'label': 'L'}]}");
        }

        @Test
        void questionShapeProblems() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "'text',"
                    + "{'id': 'a', 'type': 'slider', 'label': 'L'},"
                    + "{'id': 'b', 'type': 'text', 'label': '', 'required': 'no'},"
                    + "{'id': 'c', 'type': 'text', 'label': '" + "x".repeat(501) + "', 'options': []}]}");
            assertEquals(List.of("/questions/0", "/questions/1/type", "/questions/2/label", "/questions/2/required",
                    "/questions/3/options", "/questions/3/label"), pointers(v));
            assertEquals("unknown field", detail(v, "/questions/3/options"));
        }

        @Test
        void fieldsOfAnotherTypeAreUnknown() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'a', 'type': 'score', 'label': 'L', 'min': 1, 'max': 5, 'maxLength': 3},"
                    + "{'id': 'b', 'type': 'single_choice', 'label': 'L', 'minSelected': 1, 'options': [{'value': 'x', 'label': 'X'}, {'value': 'y', 'label': 'Y'}]}]}");
            assertEquals(List.of("/questions/0/maxLength", "/questions/1/minSelected"), pointers(v));
        }

        @Test
        void customScoreRanges() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'a', 'type': 'score', 'label': 'L'},"
                    + "{'id': 'b', 'type': 'score', 'label': 'L', 'min': 5, 'max': 5},"
                    + "{'id': 'c', 'type': 'score', 'label': 'L', 'min': -100, 'max': 100},"
                    + "{'id': 'd', 'type': 'score', 'label': 'L', 'min': 1.5, 'max': 101}]}");
            assertEquals(List.of("/questions/0/min", "/questions/0/max", "/questions/1/max", "/questions/2/max",
                    "/questions/3/min", "/questions/3/max"), pointers(v));
            assertEquals("must be greater than min", detail(v, "/questions/1/max"));
            assertEquals("a scale has at most 101 values", detail(v, "/questions/2/max"));
            survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'a', 'type': 'score', 'label': 'L', 'min': -50, 'max': 50}]}");
        }

        @Test
        void choiceOptionProblemsPointAtTheOption() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'a', 'type': 'single_choice', 'label': 'L'},"
                    + "{'id': 'b', 'type': 'single_choice', 'label': 'L', 'options': [{'value': 'x', 'label': 'X'}]},"
                    + "{'id': 'c', 'type': 'single_choice', 'label': 'L', 'options': ['x', {'value': 'Bad', 'label': 'B'},"
                    + "  {'value': 'y', 'label': 'Y', 'colour': 1}, {'value': 'y', 'label': 'Again'}, {'value': 'z', 'label': ''}]}]}");
            assertEquals(List.of("/questions/0/options", "/questions/1/options", "/questions/2/options/0",
                    "/questions/2/options/1/value", "/questions/2/options/2/colour", "/questions/2/options/3/value",
                    "/questions/2/options/4/label"), pointers(v));
            assertEquals("duplicate option value", detail(v, "/questions/2/options/3/value"));
            assertEquals("must have at least 2 options", detail(v, "/questions/1/options"));
        }

        @Test
        void atMostFiftyOptions() {
            StringBuilder options = new StringBuilder();
            for (int i = 0; i < 51; i++) {
                options.append(i == 0 ? "" : ",").append("{'value': 'v").append(i).append("', 'label': 'V'}");
            }
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'a', 'type': 'multi_choice', 'label': 'L', 'options': [" + options + "]}]}");
            assertEquals(List.of("/questions/0/options"), pointers(v));
        }

        @Test
        void selectionBoundsMustFitTheOptions() {
            String options = "'options': [{'value': 'x', 'label': 'X'}, {'value': 'y', 'label': 'Y'}, {'value': 'z', 'label': 'Z'}]";
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'a', 'type': 'multi_choice', 'label': 'L', 'maxSelected': 4, " + options + "},"
                    + "{'id': 'b', 'type': 'multi_choice', 'label': 'L', 'minSelected': 3, 'maxSelected': 2, " + options + "},"
                    + "{'id': 'c', 'type': 'multi_choice', 'label': 'L', 'minSelected': 0, " + options + "}]}");
            assertEquals(List.of("/questions/0/maxSelected", "/questions/1/minSelected", "/questions/2/minSelected"), pointers(v));
        }

        @Test
        void textLengthBounds() {
            Violations v = violationsOf("{'kind': 'custom', 'title': 'T', 'questions': ["
                    + "{'id': 'a', 'type': 'text', 'label': 'L', 'maxLength': 0},"
                    + "{'id': 'b', 'type': 'text', 'label': 'L', 'maxLength': 5001}]}");
            assertEquals(List.of("/questions/0/maxLength", "/questions/1/maxLength"), pointers(v));
            assertEquals(5000, survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'a', 'type': 'text', 'label': 'L', 'maxLength': 5000}]}")
                    .question("a").maxLength());
        }

        @Test
        void aStandardSurveyWithQuestionsMustIncludeItsScoreQuestion() {
            Violations v = violationsOf("{'kind': 'nps', 'title': 'T', 'questions': [{'id': 'why', 'type': 'text', 'label': 'L'}]}");
            assertEquals(List.of("/questions"), pointers(v));
            assertTrue(detail(v, "/questions").contains("score"));
        }

        @ParameterizedTest
        @CsvSource({"nps, 1, 10, /questions/0/min", "nps, 0, 5, /questions/0/max", "csat, 0, 5, /questions/0/min",
            "ces, 1, 5, /questions/0/max"})
        void theStandardScoreQuestionHasTheKindsRange(String kind, int min, int max, String pointer) {
            Violations v = violationsOf("{'kind': '" + kind + "', 'title': 'T', 'questions': [{'id': 'score', 'type': 'score', 'label': 'L', 'min': "
                    + min + ", 'max': " + max + "}]}");
            assertEquals(List.of(pointer), pointers(v));
        }

        @Test
        void theStandardScoreQuestionIsOfTypeScoreAndRequired() {
            Violations v = violationsOf("{'kind': 'nps', 'title': 'T', 'questions': [{'id': 'score', 'type': 'text', 'label': 'L', 'required': false}]}");
            assertEquals(List.of("/questions/0/type", "/questions/0/required"), pointers(v));
            assertEquals(List.of("/questions/1/id"), pointers(violationsOf("{'kind': 'nps', 'title': 'T', 'questions': ["
                    + "{'id': 'score', 'type': 'score', 'label': 'L'}, {'id': 'score', 'type': 'score', 'label': 'L'}]}")));
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            Violations v = violationsOf("{'kind': 'custom', 'title': '', 'questions': [{'id': 'a', 'type': 'score', 'label': 'L', 'min': 3, 'max': 1},"
                    + "{'id': 'b', 'type': 'single_choice', 'label': 'L', 'options': [{'value': 'x', 'label': 'X'}, {'value': 'x', 'label': 'Y'}]}],"
                    + " 'opensAt': '2026-12-01T00:00:00Z', 'closesAt': '2026-11-01T00:00:00Z'}");
            assertEquals(List.of("/title", "/questions/0/max", "/questions/1/options/1/value", "/closesAt"), pointers(v));
        }

        @Test
        void aNonObjectBody() {
            Violations v = new Violations();
            assertNull(Survey.create(dev.crm.shared.json.JsonObject.of(Json.parse("[1]"), v), SURVEY_ID, TENANT, CREATED));
            assertEquals("", pointers(v).get(0));
        }
    }

    @Nested
    class State {
        private final Survey windowed = survey("{'kind': 'nps', 'title': 'T', 'opensAt': '2026-11-01T00:00:00Z', 'closesAt': '2026-12-01T00:00:00Z'}");

        @Test
        void openFromOpensAtInclusiveUntilClosesAtExclusive() {
            assertFalse(windowed.isOpen(Instant.parse("2026-10-31T23:59:59.999Z")));
            assertEquals(Survey.State.SCHEDULED, windowed.state(Instant.parse("2026-10-31T23:59:59.999Z")));
            assertTrue(windowed.isOpen(Instant.parse("2026-11-01T00:00:00Z")));
            assertTrue(windowed.isOpen(Instant.parse("2026-11-30T23:59:59.999Z")));
            assertFalse(windowed.isOpen(Instant.parse("2026-12-01T00:00:00Z")));
            assertEquals(Survey.State.CLOSED, windowed.state(Instant.parse("2026-12-01T00:00:00Z")));
        }

        @Test
        void missingBoundsDoNotLimit() {
            Survey always = survey("{'kind': 'nps', 'title': 'T'}");
            assertTrue(always.isOpen(Instant.EPOCH));
            assertTrue(always.isOpen(Instant.parse("2999-01-01T00:00:00Z")));
            Survey onlyCloses = survey("{'kind': 'nps', 'title': 'T', 'closesAt': '2026-12-01T00:00:00Z'}");
            assertTrue(onlyCloses.isOpen(Instant.EPOCH));
            assertFalse(onlyCloses.isOpen(Instant.parse("2026-12-01T00:00:00Z")));
        }
    }

    @Nested
    class Representations {
        @Test
        void fullJsonHasEveryFieldWithDefaultsAndMetadata() {
            Survey s = survey("{'kind': 'nps', 'title': 'T', 'closesAt': '2026-12-01T01:00:00+01:00'}");
            Map<String, Object> json = s.toJson();
            assertEquals(List.of("id", "tenantId", "kind", "title", "questions", "opensAt", "closesAt", "allowAnonymous",
                    "duplicatePolicy", "rateLimit", "createdAt", "updatedAt", "version"), List.copyOf(json.keySet()));
            assertEquals("nps", json.get("kind"));
            assertEquals("reject", json.get("duplicatePolicy"));
            assertNull(json.get("opensAt"));
            assertEquals("2026-12-01T00:00:00Z", json.get("closesAt"));
            assertEquals(Map.of("perClientPerMinute", 30L), json.get("rateLimit"));
            assertEquals(TENANT.value(), json.get("tenantId"));
            assertEquals("{\"id\":\"score\",\"type\":\"score\",\"label\":\"How likely are you to recommend us to a friend or colleague?\","
                    + "\"required\":true,\"min\":0,\"max\":10}", Json.write(((List<?>) json.get("questions")).get(0)));
        }

        @Test
        void questionJsonCarriesEachTypesRules() {
            String written = Json.write(survey(Fixtures.NPS_WITH_EXTRAS).toJson().get("questions"));
            assertTrue(written.contains("{\"id\":\"reason\",\"type\":\"single_choice\",\"label\":\"Main reason\",\"required\":false,"
                    + "\"options\":[{\"value\":\"fast\",\"label\":\"Fast\"},{\"value\":\"friendly\",\"label\":\"Friendly\"},{\"value\":\"cheap\",\"label\":\"Cheap\"}]}"), written);
            assertTrue(written.contains("\"minSelected\":1,\"maxSelected\":2}"), written);
            assertTrue(written.contains("{\"id\":\"why\",\"type\":\"text\",\"label\":\"Anything else?\",\"required\":false,\"maxLength\":20}"), written);
        }

        @Test
        void publicJsonHasWhatAFormNeedsAndNoTenantData() {
            Survey s = survey("{'kind': 'nps', 'title': 'T', 'opensAt': '2026-11-01T00:00:00Z', 'rateLimit': {'perClientPerMinute': 7}, 'duplicatePolicy': 'replace'}");
            Map<String, Object> json = s.toPublicJson(Instant.parse("2026-10-01T00:00:00Z"));
            assertEquals(List.of("id", "kind", "title", "questions", "state", "opensAt", "closesAt", "allowAnonymous"),
                    List.copyOf(json.keySet()));
            assertEquals("scheduled", json.get("state"));
            assertEquals("open", s.toPublicJson(Instant.parse("2026-11-02T00:00:00Z")).get("state"));
            String written = Json.write(json);
            assertFalse(written.contains(TENANT.value()));
            assertFalse(written.contains("perClientPerMinute"));
            assertFalse(written.contains("replace"));
        }

        @Test
        void storedSurveysReadBackEqualEvenWithOtherNumberTypes() {
            Survey s = survey(Fixtures.NPS_WITH_EXTRAS);
            assertEquals(s, Survey.fromStored(s.toJson()));
            @SuppressWarnings("unchecked")
            Map<String, Object> asStored = (Map<String, Object>) Json.parse(Json.write(s.toJson()));
            asStored.put("version", new BigDecimal("1"));
            assertEquals(s, Survey.fromStored(asStored));
            Map<String, Object> broken = new LinkedHashMap<>(s.toJson());
            broken.put("title", "");
            assertThrows(IllegalStateException.class, () -> Survey.fromStored(broken));
            broken.remove("version");
            assertThrows(IllegalStateException.class, () -> Survey.fromStored(broken));
        }

        @Test
        void idsAreRandomAndRecognised() {
            String a = Survey.newId();
            assertTrue(Survey.isId(a));
            assertFalse(a.equals(Survey.newId()));
            assertFalse(Survey.isId("srv_short"));
            assertFalse(Survey.isId("t_0123456789abcdefghjk"));
        }
    }

    @Nested
    class Merging {
        private final Instant later = Instant.parse("2026-11-05T10:00:00Z");
        private final Survey original = survey(Fixtures.NPS_WITH_EXTRAS);

        private Survey merge(Survey s, String patch, Violations v) {
            return s.merge(body(patch, v), later);
        }

        private Survey mergeOk(Survey s, String patch) {
            Violations v = new Violations();
            Survey merged = merge(s, patch, v);
            assertTrue(v.isEmpty(), () -> "unexpected violations " + v.items());
            assertNotNull(merged);
            return merged;
        }

        @Test
        void changesOnlyWhatThePatchNamesAndBumpsTheVersion() {
            Survey m = mergeOk(original, "{'title': 'New title', 'closesAt': '2026-12-31T00:00:00Z', 'rateLimit': {'perClientPerMinute': 5}}");
            assertEquals("New title", m.title());
            assertEquals(Instant.parse("2026-12-31T00:00:00Z"), m.closesAt());
            assertEquals(5, m.perClientPerMinute());
            assertEquals(original.questions(), m.questions());
            assertEquals(original.duplicatePolicy(), m.duplicatePolicy());
            assertEquals(2, m.version());
            assertEquals(later, m.updatedAt());
            assertEquals(original.createdAt(), m.createdAt());
            assertEquals(original.id(), m.id());
        }

        @Test
        void nullReturnsToTheDefaultOrRemovesTheBound() {
            Survey s = mergeOk(original, "{'opensAt': '2026-11-02T00:00:00Z', 'allowAnonymous': false, 'duplicatePolicy': 'replace', 'rateLimit': {'perClientPerMinute': 9}}");
            Survey back = mergeOk(s, "{'opensAt': null, 'allowAnonymous': null, 'duplicatePolicy': null, 'rateLimit': null}");
            assertNull(back.opensAt());
            assertTrue(back.allowAnonymous());
            assertEquals(DuplicatePolicy.REJECT, back.duplicatePolicy());
            assertEquals(30, back.perClientPerMinute());
            assertEquals(30, mergeOk(s, "{'rateLimit': {'perClientPerMinute': null}}").perClientPerMinute());
        }

        @Test
        void questionsAreReplacedWhole() {
            Survey m = mergeOk(original, "{'questions': null}");
            assertEquals(List.of(Question.standardScore(SurveyKind.NPS)), m.questions());
            Survey two = mergeOk(original, "{'questions': [{'id': 'score', 'type': 'score', 'label': 'Recommend?'}, {'id': 'why', 'type': 'text', 'label': 'Why?'}]}");
            assertEquals(List.of("score", "why"), two.questions().stream().map(Question::id).toList());
        }

        @Test
        void theMergedSurveyIsValidatedWithPointersIntoThePatch() {
            Violations v = new Violations();
            assertNull(merge(original, "{'title': null, 'questions': [{'id': 'score', 'type': 'score', 'label': 'L'},"
                    + " {'id': 'pick', 'type': 'single_choice', 'label': 'L', 'options': [{'value': 'a', 'label': 'A'}, 7]}], 'colour': 'red'}", v));
            assertEquals(List.of("/colour", "/title", "/questions/1/options/1"), pointers(v));
        }

        @Test
        void crossFieldRulesSeeTheStoredValues() {
            Survey windowed = mergeOk(original, "{'opensAt': '2026-11-10T00:00:00Z'}");
            Violations v = new Violations();
            assertNull(merge(windowed, "{'closesAt': '2026-11-09T00:00:00Z'}", v));
            assertEquals(List.of("/closesAt"), pointers(v));
        }

        @Test
        void kindIsImmutable() {
            Violations v = new Violations();
            assertNull(merge(original, "{'kind': 'csat'}", v));
            assertEquals(List.of("/kind"), pointers(v));
            assertEquals(original.kind(), mergeOk(original, "{'kind': 'nps'}").kind());
            Violations nulled = new Violations();
            assertNull(merge(original, "{'kind': null}", nulled));
            assertEquals(List.of("/kind"), pointers(nulled));
        }

        @Test
        void readOnlyFieldsSentBackUnchangedAreIgnoredChangedAreViolations() {
            Survey same = mergeOk(original, Json.write(original.toJson()).replace('"', '\''));
            assertEquals(original.questions(), same.questions());
            assertEquals(2, same.version());
            Violations v = new Violations();
            assertNull(merge(original, "{'id': 'srv_other', 'tenantId': 't_x', 'version': 7, 'createdAt': '2020-01-01T00:00:00Z',"
                    + " 'updatedAt': '2020-01-01T00:00:00Z'}", v));
            assertEquals(List.of("/id", "/tenantId", "/version", "/createdAt", "/updatedAt"), pointers(v));
            assertEquals(original, Survey.fromStored(original.toJson()), "the original is untouched");
        }

        @Test
        void theStandardScoreQuestionCannotBeDroppedByAPatch() {
            Violations v = new Violations();
            assertNull(merge(original, "{'questions': [{'id': 'why', 'type': 'text', 'label': 'L'}]}", v));
            assertEquals(List.of("/questions"), pointers(v));
        }
    }

    @Test
    void mergePatchFollowsRfc7396() {
        // examples from RFC 7396 appendix A
        assertEquals(Json.parse("{\"a\":\"z\"}"), Survey.mergePatch(Json.parse("{\"a\":\"b\"}"), Json.parse("{\"a\":\"z\"}")));
        assertEquals(Json.parse("{\"a\":\"b\"}"), Survey.mergePatch(Json.parse("{\"a\":\"b\",\"b\":\"c\"}"), Json.parse("{\"b\":null}")));
        assertEquals(Json.parse("{\"a\":[\"c\"]}"), Survey.mergePatch(Json.parse("{\"a\":[\"b\"]}"), Json.parse("{\"a\":[\"c\"]}")));
        assertEquals(Json.parse("{\"a\":{\"bb\":{}}}"), Survey.mergePatch(Json.parse("{}"), Json.parse("{\"a\":{\"bb\":{\"ccc\":null}}}")));
        assertEquals(Json.parse("{\"a\":\"foo\"}"), Survey.mergePatch(Json.parse("[1,2]"), Json.parse("{\"a\":\"foo\"}")));
        assertEquals(Json.parse("{\"e\":null,\"a\":1}"), Survey.mergePatch(Json.parse("{\"e\":null}"), Json.parse("{\"a\":1}")));
    }
}
