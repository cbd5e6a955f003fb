package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.body;
import static dev.crm.surveys.domain.Fixtures.pointers;
import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmissionTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private final Survey nps = survey("{'kind': 'nps', 'title': 'T'}");
    private final Survey personal = survey("{'kind': 'nps', 'title': 'T', 'allowAnonymous': false}");

    @Test
    void readsAnswersTokenAndHoneypot() {
        Violations v = new Violations();
        Submission s = Submission.parse(nps, body("{'answers': {'score': 9}, 'respondentToken': 'tok.abc', 'website': ''}", v), NOW);
        assertTrue(v.isEmpty());
        assertNotNull(s);
        assertEquals(Map.of("score", 9L), s.response().answers());
        assertEquals(NOW, s.response().submittedAt());
        assertEquals("tok.abc", s.respondentToken());
        assertFalse(s.honeypotFilled());
    }

    @Test
    void aFilledHoneypotIsAcceptedByTheParserAndReported() {
        Violations v = new Violations();
        Submission s = Submission.parse(nps, body("{'answers': {'score': 9}, 'website': 'https://spam.example'}", v), NOW);
        assertTrue(v.isEmpty());
        assertTrue(s.honeypotFilled());
        assertTrue(Submission.honeypotFilled(body("{'website': 1}", new Violations())));
        assertTrue(Submission.honeypotFilled(body("{'answers': 'junk', 'website': 'x'}", new Violations())),
                "checked without validating anything else");
        assertFalse(Submission.honeypotFilled(body("{'website': null}", new Violations())));
        assertFalse(Submission.honeypotFilled(body("{'website': '  '}", new Violations())));
        assertFalse(Submission.honeypotFilled(body("{}", new Violations())));
    }

    @Test
    void bodyProblems() {
        Violations v = new Violations();
        assertNull(Submission.parse(nps, body("{'respondentToken': '', 'contactId': 'c1'}", v), NOW));
        assertEquals(List.of("/contactId", "/respondentToken", "/answers"), pointers(v));
        Violations answers = new Violations();
        assertNull(Submission.parse(nps, body("{'answers': {'score': 11}}", answers), NOW));
        assertEquals(List.of("/answers/score"), pointers(answers));
        Violations notObject = new Violations();
        assertNull(Submission.parse(nps, body("{'answers': [9]}", notObject), NOW));
        assertEquals(List.of("/answers"), pointers(notObject));
    }

    @Test
    void aSurveyWithoutAnonymousResponsesNeedsAToken() {
        Violations v = new Violations();
        assertNull(Submission.parse(personal, body("{'answers': {'score': 9}}", v), NOW));
        assertEquals(List.of("/respondentToken"), pointers(v));
        Violations ok = new Violations();
        assertNotNull(Submission.parse(personal, body("{'answers': {'score': 9}, 'respondentToken': 'tok'}", ok), NOW));
        assertTrue(ok.isEmpty());
    }
}
