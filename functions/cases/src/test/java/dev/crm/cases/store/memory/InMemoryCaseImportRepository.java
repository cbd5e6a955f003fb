package dev.crm.cases.store.memory;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CaseImportRepository} in memory, held to the same contract as the adapter. Its case numbers are
 * its own counter's (the adapter shares the live creates' counter); imported cases are kept for a test to read.
 */
public final class InMemoryCaseImportRepository implements CaseImportRepository {
    private record JobKey(TenantId tenant, String jobId) {}

    /** A line's outcome: errors null when imported. */
    private record Outcome(List<Map<String, Object>> errors) {}

    private final Map<JobKey, Map<Integer, List<String>>> chunks = new HashMap<>();
    private final Map<JobKey, TreeMap<Integer, Outcome>> outcomes = new HashMap<>();
    private final Map<TenantId, Long> counters = new HashMap<>();
    private final Set<String> activeContacts = new HashSet<>();
    private final Map<String, SupportCase> cases = new HashMap<>();

    /** What the contacts function would have stored: an active contact of the tenant. */
    public synchronized void activeContact(TenantId t, String contactId) {
        activeContacts.add(t.value() + "|" + contactId);
    }

    /** The case a line imported under {@code id}, if any. */
    public synchronized SupportCase importedCase(TenantId t, String id) {
        return cases.get(t.value() + "|" + id);
    }

    @Override
    public synchronized List<Integer> storeLines(TenantId tenant, String jobId, List<String> lines) {
        Map<Integer, List<String>> job = chunks.computeIfAbsent(new JobKey(tenant, jobId), k -> new HashMap<>());
        List<Integer> sizes = new ArrayList<>();
        for (List<String> chunk : ImportLines.chunks(lines, line -> line, 0)) {
            job.put(sizes.size(), List.copyOf(chunk));
            sizes.add(chunk.size());
        }
        return sizes;
    }

    @Override
    public synchronized List<String> chunk(TenantId tenant, String jobId, int index) {
        return chunks.getOrDefault(new JobKey(tenant, jobId), Map.of()).getOrDefault(index, List.of());
    }

    @Override
    public synchronized void dropLines(TenantId tenant, String jobId, int chunks) {
        Map<Integer, List<String>> job = this.chunks.getOrDefault(new JobKey(tenant, jobId), new HashMap<>());
        for (int i = 0; i < chunks; i++) {
            job.remove(i);
        }
    }

    private TreeMap<Integer, Outcome> outcomes(TenantId tenant, String jobId) {
        return outcomes.computeIfAbsent(new JobKey(tenant, jobId), k -> new TreeMap<>());
    }

    @Override
    public synchronized Set<Integer> linesDone(TenantId tenant, String jobId, int fromLine, int toLineExclusive) {
        return new HashSet<>(outcomes(tenant, jobId).subMap(fromLine, toLineExclusive).keySet());
    }

    @Override
    public synchronized OptionalLong storeImported(TenantId tenant, String jobId, int line, SupportCase draft,
            List<HistoryEntry> history) {
        if (outcomes(tenant, jobId).containsKey(line) || cases.containsKey(tenant.value() + "|" + draft.id())) {
            return OptionalLong.empty();
        }
        if (!activeContacts.contains(tenant.value() + "|" + draft.contactId())) {
            throw new CaseRepository.ContactNotActive();
        }
        long number = counters.merge(tenant, 1L, Long::sum);
        cases.put(tenant.value() + "|" + draft.id(), draft.numbered(number));
        outcomes(tenant, jobId).put(line, new Outcome(null));
        return OptionalLong.of(number);
    }

    @Override
    public synchronized boolean rejectLine(TenantId tenant, String jobId, int line, List<Map<String, Object>> errors) {
        return outcomes(tenant, jobId).putIfAbsent(line, new Outcome(List.copyOf(errors))) == null;
    }

    @Override
    public synchronized Tally tally(TenantId tenant, String jobId) {
        long imported = 0;
        List<Rejection> rejected = new ArrayList<>();
        for (var e : outcomes(tenant, jobId).entrySet()) {
            if (e.getValue().errors() == null) {
                imported++;
            } else {
                rejected.add(new Rejection(e.getKey(), e.getValue().errors()));
            }
        }
        return new Tally(imported, rejected);
    }
}
