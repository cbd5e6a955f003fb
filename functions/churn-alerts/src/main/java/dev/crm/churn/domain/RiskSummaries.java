package dev.crm.churn.domain;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dashboard's risk summary: the latest run's tiers and the customers most at risk who are still contacts. */
public final class RiskSummaries {
    private final ChurnRepository store;
    private final JobRepository jobs;

    public RiskSummaries(ChurnRepository store, JobRepository jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    /** @return the summary in its API form */
    @SuppressWarnings("unchecked")
    public Map<String, Object> latest(TenantId t) {
        String runId = store.latestRun(t);
        Map<String, Object> out = new LinkedHashMap<>();
        if (runId == null) {
            out.put("runId", null);
            out.put("riskTiers", Map.of("low", 0, "medium", 0, "high", 0));
            out.put("topAtRisk", List.of());
            return out;
        }
        Job run = jobs.find(JobRef.of(t, runId));
        Map<String, Object> result = run == null || run.result() == null ? Map.of() : run.result();
        out.put("runId", runId);
        out.put("asOf", result.get("asOf"));
        out.put("scoredAt", run == null ? null : run.updatedAt());
        out.put("scored", result.get("scored"));
        out.put("riskTiers", result.get("riskTiers"));
        List<Map<String, Object>> top = (List<Map<String, Object>>) result.getOrDefault("topAtRisk", List.of());
        Map<String, Map<String, Object>> cards = store.contactCards(t, top.stream().map(m -> (String) m.get("contactId")).toList());
        List<Object> items = new ArrayList<>();
        for (Map<String, Object> m : top) {
            Map<String, Object> card = cards.get((String) m.get("contactId"));
            if (card == null) {
                continue; // erased or anonymised since the run
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("contactId", m.get("contactId"));
            e.put("contact", card);
            e.put("valueAtRisk", Map.of("amount", m.get("valueAtRisk"), "currency", m.get("currency")));
            e.put("pAlive", m.get("pAlive"));
            e.put("riskTier", m.get("riskTier"));
            items.add(e);
        }
        out.put("topAtRisk", items);
        return out;
    }
}
