package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.body;
import static dev.crm.surveys.domain.Fixtures.detail;
import static dev.crm.surveys.domain.Fixtures.pointers;
import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnswersTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private final Survey survey = survey(Fixtures.NPS_WITH_EXTRAS);

    /** Validates {@code {"answers": <json>}} as a handler would: pointers start at /answers. */
    private SubmittedResponse validate(String answersJson, Violations v) {
        JsonObject submission = body("{'answers': " + answersJson + "}", v);
        return Answers.validate(survey, submission.requiredObject("answers"), NOW);
    }

    private SubmittedResponse valid(String answersJson) {
        Violations v = new Violations();
        SubmittedResponse r = validate(answersJson, v);
        assertTrue(v.isEmpty(), () -> "unexpected violations " + v.items());
        assertNotNull(r);
        return r;
    }

    private Violations invalid(String answersJson) {
        Violations v = new Violations();
        assertNull(validate(answersJson, v));
        assertFalse(v.isEmpty());
        return v;
    }

    @Test
    void acceptsAFullAnswerAndKeepsQuestionOrder() {
        SubmittedResponse r = valid("{'why': 'fast support\\nthanks', 'channels': ['chat', 'email'], 'effort': 2, 'reason': 'fast', 'score': 9}");
        assertEquals(NOW, r.submittedAt());
        assertEquals(List.of("score", "reason", "channels", "effort", "why"), List.copyOf(r.answers().keySet()));
        assertEquals(9L, r.answers().get("score"));
        assertEquals("fast", r.answers().get("reason"));
        assertEquals(List.of("chat", "email"), r.answers().get("channels"));
        assertEquals("fast support\nthanks", r.answers().get("why"), "free text is kept as given");
    }

    @Test
    void optionalQuestionsMayBeLeftOutNulledOrBlank() {
        SubmittedResponse r = valid("{'score': 0, 'channels': ['phone'], 'reason': null, 'why': '   '}");
        assertEquals(Map.of("score", 0L, "channels", List.of("phone")), r.answers());
    }

    @Test
    void scoreBoundsAreInclusive() {
        assertEquals(0L, valid("{'score': 0, 'channels': ['phone']}").answers().get("score"));
        assertEquals(10L, valid("{'score': 10, 'channels': ['phone']}").answers().get("score"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "11", "100000000000000000000"})
    void outOfRangeScore(String score) {
        Violations v = invalid("{'score': " + score + ", 'channels': ['phone']}");
        assertEquals(List.of("/answers/score"), pointers(v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'9'", "9.0", "9.5", "true", "[9]", "{'v': 9}"})
    void aScoreMustBeAnInteger(String score) {
        Violations v = invalid("{'score': " + score + ", 'channels': ['phone']}");
        assertEquals(List.of("/answers/score"), pointers(v));
        assertEquals("must be an integer from 0 to 10", detail(v, "/answers/score"));
    }

    @Test
    void missingRequiredAnswers() {
        Violations v = invalid("{}");
        assertEquals(List.of("/answers/score", "/answers/channels"), pointers(v));
        assertEquals("required", detail(v, "/answers/score"));
        assertEquals(List.of("/answers/score", "/answers/channels"), pointers(invalid("{'score': null, 'channels': []}")));
    }

    @Test
    void unknownQuestions() {
        Violations v = invalid("{'score': 9, 'channels': ['phone'], 'website': 'x', 'a/b': 1}");
        assertEquals(List.of("/answers/website", "/answers/a~1b"), pointers(v));
        assertEquals("unknown question", detail(v, "/answers/website"));
    }

    @Test
    void singleChoiceMustBeAnOfferedValue() {
        assertEquals(List.of("/answers/reason"), pointers(invalid("{'score': 9, 'channels': ['phone'], 'reason': 'slow'}")));
        assertEquals(List.of("/answers/reason"), pointers(invalid("{'score': 9, 'channels': ['phone'], 'reason': 'Fast'}")));
        Violations v = invalid("{'score': 9, 'channels': ['phone'], 'reason': ['fast']}");
        assertEquals("must be the value of one of the options", detail(v, "/answers/reason"));
    }

    @Test
    void multiChoiceProblemsPointAtTheElement() {
        Violations v = invalid("{'score': 9, 'channels': ['phone', 'fax', 3]}");
        assertEquals(List.of("/answers/channels/1", "/answers/channels/2"), pointers(v));
        assertEquals("is not one of the options offered", detail(v, "/answers/channels/1"));
        assertEquals(List.of("/answers/channels/1"), pointers(invalid("{'score': 9, 'channels': ['phone', 'phone']}")));
        assertEquals(List.of("/answers/channels"), pointers(invalid("{'score': 9, 'channels': 'phone'}")));
    }

    @Test
    void multiChoiceSelectionCounts() {
        Violations tooMany = invalid("{'score': 9, 'channels': ['phone', 'email', 'chat']}");
        assertEquals(List.of("/answers/channels"), pointers(tooMany));
        assertEquals("select at most 2 options", detail(tooMany, "/answers/channels"));
        assertEquals(List.of("/answers/channels"), pointers(invalid("{'score': 9, 'channels': ['phone', 'phone', 'phone', 'phone']}")));

        Survey atLeastTwo = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'pick', 'type': 'multi_choice', 'label': 'L',"
                + " 'minSelected': 2, 'options': [{'value': 'a', 'label': 'A'}, {'value': 'b', 'label': 'B'}, {'value': 'c', 'label': 'C'}]}]}");
        Violations v = new Violations();
        assertNull(Answers.validate(atLeastTwo, body("{'answers': {'pick': ['a']}}", v).requiredObject("answers"), NOW));
        assertEquals("select at least 2 options", detail(v, "/answers/pick"));
        Violations ok = new Violations();
        SubmittedResponse unanswered = Answers.validate(atLeastTwo, body("{'answers': {'pick': []}}", ok).requiredObject("answers"), NOW);
        assertTrue(ok.isEmpty(), "an empty selection on an optional question is no answer");
        assertEquals(Map.of(), unanswered.answers());
    }

    @Test
    void textTooLongOrWithControlCharacters() {
        valid("{'score': 9, 'channels': ['phone'], 'why': '" + "ü".repeat(20) + "'}");
        valid("{'score': 9, 'channels': ['phone'], 'why': '" + "\\ud83d\\ude00".repeat(20) + "'}");
        Violations tooLong = invalid("{'score': 9, 'channels': ['phone'], 'why': '" + "x".repeat(21) + "'}");
        assertEquals("must be at most 20 characters", detail(tooLong, "/answers/why"));
        for (String bad : new String[] {"a\\u0000b", "a\\u001bb", "a\\u007fb", "a\\u0085b", "a\\ud800b", "a\\udc00"}) {
            Violations v = invalid("{'score': 9, 'channels': ['phone'], 'why': '" + bad + "'}");
            assertEquals("must not contain control characters", detail(v, "/answers/why"), bad);
        }
        valid("{'score': 9, 'channels': ['phone'], 'why': 'a\\tb\\r\\n<b>&amp;</b>'}");
        assertEquals(List.of("/answers/why"), pointers(invalid("{'score': 9, 'channels': ['phone'], 'why': 5}")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Violations v = invalid("{'extra': 1, 'score': 12, 'reason': 'slow', 'channels': ['fax'], 'effort': 0, 'why': '" + "x".repeat(30) + "'}");
        assertEquals(List.of("/answers/extra", "/answers/score", "/answers/reason", "/answers/channels/0", "/answers/effort",
                "/answers/why"), pointers(v));
    }

    @Test
    void otherScoreQuestionsUseTheirOwnRange() {
        assertEquals(5L, valid("{'score': 9, 'channels': ['phone'], 'effort': 5}").answers().get("effort"));
        assertEquals("must be from 1 to 5", detail(invalid("{'score': 9, 'channels': ['phone'], 'effort': 6}"), "/answers/effort"));
    }

    @Test
    void standardSurveyRanges() {
        Survey csat = survey("{'kind': 'csat', 'title': 'T'}");
        Survey ces = survey("{'kind': 'ces', 'title': 'T'}");
        for (var c : new Object[][] {{csat, 0L, false}, {csat, 1L, true}, {csat, 5L, true}, {csat, 6L, false},
            {ces, 0L, false}, {ces, 1L, true}, {ces, 7L, true}, {ces, 8L, false}}) {
            Violations v = new Violations();
            SubmittedResponse r = Answers.validate((Survey) c[0], body("{'answers': {'score': " + c[1] + "}}", v).requiredObject("answers"), NOW);
            assertEquals(c[2], r != null, () -> ((Survey) c[0]).kind() + " " + c[1]);
        }
    }
}
