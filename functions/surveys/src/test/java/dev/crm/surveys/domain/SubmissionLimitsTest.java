package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.surveys.store.memory.InMemoryRateCounterRepository;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The two per-minute limits over the in-memory counters. */
class SubmissionLimitsTest {
    static final Instant NOW = Instant.parse("2026-11-02T10:00:20Z");
    final Survey survey = Fixtures.survey("{'kind': 'nps', 'title': 'T', 'rateLimit': {'perClientPerMinute': 2}}");
    final SubmissionLimits limits = new SubmissionLimits(new InMemoryRateCounterRepository(), 3);

    @Test
    void aClientOverItsLimitWaitsForTheNextWindowWithoutUsingTheSurveysBudget() {
        assertEquals(0, limits.check(Fixtures.TENANT, survey, "aaa", NOW));
        assertEquals(0, limits.check(Fixtures.TENANT, survey, "aaa", NOW));
        long wait = limits.check(Fixtures.TENANT, survey, "aaa", NOW);
        assertTrue(wait > 0 && wait <= 60, "until the window ends: " + wait);
        assertEquals(0, limits.check(Fixtures.TENANT, survey, "bbb", NOW), "the refused one was not counted for the survey");
        assertTrue(limits.check(Fixtures.TENANT, survey, "ccc", NOW) > 0, "the survey's own limit of 3");
        assertEquals(0, limits.check(Fixtures.TENANT, survey, "aaa", NOW.plusSeconds(60)), "a new window");
    }

    @Test
    void aSurveyLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SubmissionLimits(new InMemoryRateCounterRepository(), 0));
    }
}
