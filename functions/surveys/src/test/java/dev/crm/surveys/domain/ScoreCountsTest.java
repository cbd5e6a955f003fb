package dev.crm.surveys.domain;

import static dev.crm.surveys.domain.Fixtures.survey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ScoreCountsTest {
    private final Survey survey = survey(Fixtures.NPS_WITH_EXTRAS);

    private static Map<String, Object> answers(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void oneResponseCountsItsScoreChoicesAndOtherScores() {
        ScoreCounts c = ScoreCounts.ofResponse(survey, answers("score", 9L, "reason", "fast", "channels", List.of("chat", "email"),
                "effort", 2L, "why", "text is not counted"));
        assertEquals(1, c.responses());
        assertEquals(Map.of(9, 1L), c.scores());
        assertEquals(Map.of("reason", Map.of("fast", 1L), "channels", Map.of("chat", 1L, "email", 1L), "effort", Map.of("2", 1L)),
                c.answers());
        assertEquals(Map.of("responses", 1L, "score:9", 1L, "answer:channels:chat", 1L, "answer:channels:email", 1L,
                "answer:effort:2", 1L, "answer:reason:fast", 1L), c.toCounters());
    }

    @Test
    void integralNumbersOfAnyTypeCountAlike() {
        ScoreCounts expected = ScoreCounts.ofResponse(survey, answers("score", 7L, "effort", 3L));
        assertEquals(expected, ScoreCounts.ofResponse(survey, answers("score", 7, "effort", new BigDecimal("3.0"))));
        assertEquals(expected, ScoreCounts.ofResponse(survey, answers("score", BigInteger.valueOf(7), "effort", (short) 3)));
    }

    @Test
    void whatDoesNotFitIsNotCounted() {
        ScoreCounts c = ScoreCounts.ofResponse(survey, answers("score", "9", "reason", List.of("fast"), "channels", "chat",
                "effort", new BigDecimal("2.5"), "gone", "x"));
        assertEquals(1, c.responses());
        assertTrue(c.scores().isEmpty());
        assertTrue(c.answers().isEmpty());
    }

    @Test
    void aCustomSurveyHasNoStandardScore() {
        Survey custom = survey("{'kind': 'custom', 'title': 'T', 'questions': [{'id': 'score', 'type': 'score', 'label': 'L', 'min': -2, 'max': 2}]}");
        ScoreCounts c = ScoreCounts.ofResponse(custom, answers("score", -2L));
        assertTrue(c.scores().isEmpty());
        assertEquals(Map.of("score", Map.of("-2", 1L)), c.answers());
        assertEquals(c, ScoreCounts.fromCounters(c.toCounters()));
    }

    @Test
    void countsAddSubtractAndDropZeros() {
        ScoreCounts a = ScoreCounts.ofResponse(survey, answers("score", 9L, "reason", "fast"));
        ScoreCounts b = ScoreCounts.ofResponse(survey, answers("score", 3L, "reason", "fast"));
        ScoreCounts both = a.plus(b);
        assertEquals(2, both.responses());
        assertEquals(1, both.score(9));
        assertEquals(0, both.score(5));
        assertEquals(Map.of("fast", 2L), both.answers("reason"));
        assertEquals(Map.of(), both.answers("channels"));
        assertEquals(b, both.plus(a.negate()), "removing a response leaves exactly the rest");
        assertEquals(ScoreCounts.EMPTY, a.plus(a.negate()));
        assertTrue(a.plus(a.negate()).isEmpty());
        assertEquals(both, ScoreCounts.sum(List.of(a, ScoreCounts.EMPTY, b)));
        assertEquals(both.hashCode(), b.plus(a).hashCode());
        assertNotEquals(a, b);
    }

    @Test
    void countersRoundTripAndSumAcrossShards() {
        ScoreCounts a = ScoreCounts.ofResponse(survey, answers("score", 9L, "channels", List.of("chat")));
        ScoreCounts b = ScoreCounts.ofResponse(survey, answers("score", 9L, "channels", List.of("chat", "phone"), "effort", 5L));
        assertEquals(a, ScoreCounts.fromCounters(a.toCounters()));
        Map<String, Number> stored = new java.util.HashMap<>(a.plus(b).toCounters());
        stored.put("score:9", new BigDecimal("2")); // a store may hand numbers back as decimals
        assertEquals(a.plus(b), ScoreCounts.fromCounters(stored));
        assertEquals(Map.of(), ScoreCounts.EMPTY.toCounters());
        assertThrows(IllegalArgumentException.class, () -> ScoreCounts.fromCounters(Map.of("votes", 1L)));
        assertThrows(IllegalArgumentException.class, () -> ScoreCounts.fromCounters(Map.of("answer:reason", 1L)));
        assertThrows(IllegalArgumentException.class, () -> ScoreCounts.fromCounters(Map.of("answer::x", 1L)));
    }

    @Test
    void byDayUsesTheCalendarDayInTheZone() {
        ZoneId auckland = ZoneId.of("Pacific/Auckland");
        List<SubmittedResponse> responses = List.of(
                new SubmittedResponse(Instant.parse("2026-11-20T10:59:59Z"), answers("score", 10L)), // 23:59:59 NZDT
                new SubmittedResponse(Instant.parse("2026-11-20T11:00:00Z"), answers("score", 0L)),  // 00:00 next day
                new SubmittedResponse(Instant.parse("2026-11-20T12:00:00Z"), answers("score", 0L)));
        SortedMap<LocalDate, ScoreCounts> days = ScoreCounts.byDay(survey, auckland, responses);
        assertEquals(List.of(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-21")), List.copyOf(days.keySet()));
        assertEquals(1, days.get(LocalDate.parse("2026-11-20")).score(10));
        assertEquals(2, days.get(LocalDate.parse("2026-11-21")).score(0));
        assertEquals(1, ScoreCounts.byDay(survey, ZoneId.of("UTC"), responses).size());
    }
}
