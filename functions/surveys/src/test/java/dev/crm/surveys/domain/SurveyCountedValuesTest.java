package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.body;
import static dev.crm.surveys.domain.Fixtures.pointers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Violations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A response's counters fit one DynamoDB update: the definition caps how many values it can count. */
class SurveyCountedValuesTest {
    static String multiChoice(String id, int options) {
        List<String> o = new ArrayList<>();
        for (int i = 0; i < options; i++) {
            o.add("{'value': 'o" + i + "', 'label': 'O'}");
        }
        return "{'id': '" + id + "', 'type': 'multi_choice', 'label': 'L', 'options': [" + String.join(", ", o) + "]}";
    }

    static String custom(int questions, int options) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < questions; i++) {
            q.add(multiChoice("q" + i, options));
        }
        return "{'kind': 'custom', 'title': 'T', 'questions': [" + String.join(", ", q) + "]}";
    }

    @Test
    void upToTheCapIsFineAndBeyondItIsAViolationOnTheQuestions() {
        // 1 (the response) + 3 × 49 = 148
        Violations ok = new Violations();
        assertNotNull(Survey.create(body(custom(3, 49), ok), Fixtures.SURVEY_ID, Fixtures.TENANT, Fixtures.CREATED));
        assertTrue(ok.isEmpty(), ok.items()::toString);
        // 1 + 4 × 40 = 161
        Violations tooMany = new Violations();
        assertNull(Survey.create(body(custom(4, 40), tooMany), Fixtures.SURVEY_ID, Fixtures.TENANT, Fixtures.CREATED));
        assertEquals(List.of("/questions"), pointers(tooMany));
        assertTrue(Fixtures.detail(tooMany, "/questions").contains("161"));
        // maxSelected bounds what one response can count
        String limited = custom(4, 40).replace("'type': 'multi_choice',", "'type': 'multi_choice', 'maxSelected': 30,");
        Violations v = new Violations();
        assertNotNull(Survey.create(body(limited, v), Fixtures.SURVEY_ID, Fixtures.TENANT, Fixtures.CREATED));
        assertTrue(v.isEmpty(), v.items()::toString);
    }

    @Test
    void standardQuestionsCountOneEach() {
        Survey s = Fixtures.survey(Fixtures.NPS_WITH_EXTRAS);
        // response, score, reason, channels (maxSelected 2), effort; free text is not counted
        assertEquals(1 + 1 + 1 + 2 + 1, Survey.countedValues(s.questions()));
    }
}
