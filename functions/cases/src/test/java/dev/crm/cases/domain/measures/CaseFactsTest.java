package dev.crm.cases.domain.measures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.imports.CaseImport;
import dev.crm.cases.domain.imports.HistoryLine;
import dev.crm.shared.json.Violations;
import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One case's measured figures, from a history replayed through the live workflow (as an import does). */
class CaseFactsTest {
    static final TenantId T = new TenantId("t_aaaaaaaaaaaaaaaaaaaa");
    static final BusinessCalendar CALENDAR = BusinessCalendar.defaultFor(ZoneId.of("UTC"));
    static final SlaPolicy NORMAL = SlaPolicy.defaultFor("normal");
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static CaseImport.Replayed replay(String json) {
        Violations v = new Violations();
        HistoryLine line = HistoryLine.parse(json, c -> null, NOW, v);
        assertTrue(v.isEmpty(), v.items().toString());
        return CaseImport.replay(T, "cs_aaaaaaaaaaaaaaaaaaaa", "seed", line, dev.crm.cases.domain.SlaTerms.defaults());
    }

    static final String BASE = "\"contactId\": \"c_1\", \"channel\": \"email\", \"category\": \"billing\", "
            + "\"priority\": \"normal\", \"subject\": \"s\", ";

    @Test
    void pendingPausesTheResolutionAndAReopenedSolveCountsFromTheLastSolve() {
        // Monday 2026-11-02: created 09:00, answered 10:00, pending 11:00-13:00 (customer replies),
        // solved 15:00, reopened by the customer 16:00, solved again Tuesday 10:00
        var r = replay("{" + BASE + "\"createdAt\": \"2026-11-02T09:00:00Z\", \"messages\": ["
                + "{\"author\": \"agent\", \"visibility\": \"public\", \"body\": \"a\", \"at\": \"2026-11-02T10:00:00Z\"},"
                + "{\"author\": \"customer\", \"visibility\": \"public\", \"body\": \"b\", \"at\": \"2026-11-02T13:00:00Z\"},"
                + "{\"author\": \"customer\", \"visibility\": \"public\", \"body\": \"c\", \"at\": \"2026-11-02T16:00:00Z\"},"
                + "{\"author\": \"agent\", \"visibility\": \"public\", \"body\": \"d\", \"at\": \"2026-11-03T09:30:00Z\"}],"
                + "\"statusChanges\": [{\"status\": \"pending\", \"at\": \"2026-11-02T11:00:00Z\"},"
                + "{\"status\": \"solved\", \"at\": \"2026-11-02T15:00:00Z\"},"
                + "{\"status\": \"solved\", \"at\": \"2026-11-03T10:00:00Z\"}]}");
        SupportCase c = r.after();
        assertEquals(SupportCase.Status.SOLVED, c.status());
        assertEquals(Instant.parse("2026-11-02T10:00:00Z"), c.firstResponseAt());
        CaseFacts f = CaseFacts.of(c, r.history(), CALENDAR, NORMAL, NOW);
        assertTrue(f.solved());
        assertTrue(f.reopened());
        assertEquals(Duration.ofHours(1), f.firstResponse().elapsedBusiness());
        // business: Mon 09-17 (8 h) minus pending 2 h minus solved-before-reopen 15-16 (1 h), Tue 09-10 (1 h)
        assertEquals(Duration.ofHours(6), f.resolution().elapsedBusiness());
        // calendar: 25 h minus 2 h pending minus 1 h solved
        assertEquals(Duration.ofHours(22), f.resolution().elapsedCalendar());
        assertEquals(2, f.publicAgentMessages());
        assertFalse(f.resolution().breached());

        // as it stood Monday 15:30: solved, not yet reopened, one agent message
        CaseFacts then = CaseFacts.of(c, r.history(), CALENDAR, NORMAL, Instant.parse("2026-11-02T15:30:00Z"));
        assertTrue(then.solved());
        assertFalse(then.reopened());
        assertEquals(1, then.publicAgentMessages());
        assertEquals(Duration.ofHours(4), then.resolution().elapsedBusiness());
        // as it stood Monday 16:30: reopened, so not solved
        assertFalse(CaseFacts.of(c, r.history(), CALENDAR, NORMAL, Instant.parse("2026-11-02T16:30:00Z")).solved());
    }

    @Test
    void aClosedCaseIsSolvedAtItsSolveAndAnUnansweredOneHasNoFirstResponse() {
        var r = replay("{" + BASE + "\"createdAt\": \"2026-11-02T09:00:00Z\", \"statusChanges\": ["
                + "{\"status\": \"solved\", \"at\": \"2026-11-02T12:00:00Z\"},"
                + "{\"status\": \"closed\", \"at\": \"2026-11-09T12:00:00Z\"}]}");
        CaseFacts f = CaseFacts.of(r.after(), r.history(), CALENDAR, NORMAL, NOW);
        assertTrue(f.solved());
        assertFalse(f.reopened());
        assertNull(f.firstResponse());
        assertEquals(Duration.ofHours(3), f.resolution().elapsedCalendar());
        assertEquals(0, f.publicAgentMessages());
    }

    @Test
    void aHistoryThatBreaksTheWorkflowIsRejectedAtItsStatusChange() {
        Violations v = new Violations();
        HistoryLine line = HistoryLine.parse("{" + BASE + "\"createdAt\": \"2026-11-02T09:00:00Z\", \"statusChanges\": ["
                + "{\"status\": \"solved\", \"at\": \"2026-11-02T12:00:00Z\"},"
                + "{\"status\": \"on_hold\", \"at\": \"2026-11-02T13:00:00Z\"}]}", c -> null, NOW, v);
        try {
            CaseImport.replay(T, "cs_aaaaaaaaaaaaaaaaaaaa", "seed", line, dev.crm.cases.domain.SlaTerms.defaults());
            throw new AssertionError("replayed");
        } catch (CaseImport.Rejected e) {
            assertEquals("/statusChanges/1/status", e.pointer());
        }
        Violations early = new Violations();
        assertNull(HistoryLine.parse("{" + BASE + "\"createdAt\": \"2026-11-02T09:00:00Z\", \"messages\": ["
                + "{\"author\": \"agent\", \"visibility\": \"public\", \"body\": \"a\", \"at\": \"2026-11-01T10:00:00Z\"}]}",
                c -> null, NOW, early));
        assertEquals("/messages/0/at", early.items().get(0).get("pointer"));
    }

    @Test
    void groupsSummariseWithMedianAndNearestRankP90() {
        assertEquals(new Summary(4, 2.5, 2.5, 4.0), Summary.of(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(new Summary(10, 5.5, 5.5, 9.0), Summary.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)));
        assertEquals(new Summary(0, null, null, null), Summary.of(List.of()));
        Map<String, Object> json = Summary.of(List.of(1.0 / 3)).toJson();
        assertEquals("0.33", json.get("mean").toString());
    }
}
