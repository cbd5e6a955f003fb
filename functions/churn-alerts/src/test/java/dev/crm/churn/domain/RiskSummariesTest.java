package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.churn.store.memory.InMemoryChurnRepository;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.TestHistories;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's risk summary from the latest run's result and the contacts still active. */
class RiskSummariesTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final InMemoryChurnRepository repo = new InMemoryChurnRepository();
    private final QueuedJobs jobs = new QueuedJobs(NOW);
    private final RiskSummaries summaries = new RiskSummaries(repo, jobs);
    private final TenantId t = TenantId.generate();

    @Test
    void beforeAnyRunTheSummaryIsEmpty() {
        Map<String, Object> s = summaries.latest(t);
        assertNull(s.get("runId"));
        assertEquals(Map.of("low", 0, "medium", 0, "high", 0), s.get("riskTiers"));
        assertEquals(List.of(), s.get("topAtRisk"));
        assertEquals(List.of("runId", "riskTiers", "topAtRisk"), List.copyOf(s.keySet()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLatestRunsTopAtRiskWhoAreStillContactsWithTheirCards() {
        String kept = TestHistories.newContactId();
        String erased = TestHistories.newContactId();
        repo.putCard(t, kept, Map.of("firstName", "Kept"), true);
        repo.putCard(t, erased, Map.of("firstName", "Gone"), false);
        Job run = new ChurnRuns(jobs, null, java.time.Clock.systemUTC()).start(t, null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("asOf", "2026-11-24");
        result.put("scored", 2L);
        result.put("riskTiers", Map.of("low", 0L, "medium", 0L, "high", 2L));
        result.put("topAtRisk", List.of(top(kept, "300.00"), top(erased, "200.00")));
        Instant finished = NOW.plusSeconds(90);
        jobs.finish(run.ref(), result, finished);
        repo.recordLatestRun(t, run.id());

        Map<String, Object> s = summaries.latest(t);
        assertEquals(run.id(), s.get("runId"));
        assertEquals("2026-11-24", s.get("asOf"));
        assertEquals(finished, s.get("scoredAt"));
        assertEquals(2L, s.get("scored"));
        assertEquals(result.get("riskTiers"), s.get("riskTiers"));
        List<Map<String, Object>> top = (List<Map<String, Object>>) s.get("topAtRisk");
        assertEquals(1, top.size(), "the erased contact is left out");
        Map<String, Object> e = top.get(0);
        assertEquals(kept, e.get("contactId"));
        assertEquals("Kept", ((Map<String, Object>) e.get("contact")).get("firstName"));
        assertEquals(Map.of("amount", "300.00", "currency", "EUR"), e.get("valueAtRisk"));
        assertEquals(0.05, e.get("pAlive"));
        assertEquals("high", e.get("riskTier"));
    }

    private static Map<String, Object> top(String contactId, String valueAtRisk) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contactId", contactId);
        m.put("valueAtRisk", valueAtRisk);
        m.put("currency", "EUR");
        m.put("pAlive", 0.05);
        m.put("riskTier", "high");
        return m;
    }
}
