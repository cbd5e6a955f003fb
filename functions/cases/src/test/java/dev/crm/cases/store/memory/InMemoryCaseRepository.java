package dev.crm.cases.store.memory;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link CaseRepository} in memory, for the domain's tests; held to the same contract as the adapter. */
public final class InMemoryCaseRepository implements CaseRepository {
    private final Map<String, SupportCase> cases = new HashMap<>();
    private final Map<String, List<HistoryEntry>> history = new HashMap<>();
    private final Map<TenantId, Long> counters = new HashMap<>();
    private final Set<String> activeContacts = new HashSet<>();
    private final Set<String> activeAgents = new HashSet<>();

    private static String key(TenantId t, String id) {
        return t.value() + "|" + id;
    }

    /** What the contacts function would have stored: an active contact of the tenant. */
    public synchronized void activeContact(TenantId t, String contactId) {
        activeContacts.add(key(t, contactId));
    }


    /** What the agent routes would have stored: an agent of the tenant, active or not. */
    public synchronized void agent(TenantId t, String agentId, boolean active) {
        if (active) {
            activeAgents.add(key(t, agentId));
        } else {
            activeAgents.remove(key(t, agentId));
        }
    }

    private void requireActiveAgent(TenantId t, String agentId) {
        if (agentId != null && !activeAgents.contains(key(t, agentId))) {
            throw new AssigneeNotActive();
        }
    }

    @Override
    public synchronized SupportCase create(SupportCase draft, HistoryEntry created) {
        TenantId t = draft.tenant();
        SupportCase existing = cases.get(key(t, draft.id()));
        if (existing != null) {
            return existing;
        }
        requireActiveAgent(t, draft.assignee());
        if (!activeContacts.contains(key(t, draft.contactId()))) {
            throw new ContactNotActive();
        }
        long n = counters.getOrDefault(t, 0L) + 1;
        counters.put(t, n);
        SupportCase c = draft.numbered(n);
        cases.put(key(t, c.id()), c);
        history.computeIfAbsent(key(t, c.id()), k -> new ArrayList<>()).add(created);
        return c;
    }

    @Override
    public synchronized Optional<SupportCase> find(TenantId tenant, String id) {
        return Optional.ofNullable(cases.get(key(tenant, id)));
    }

    @Override
    public synchronized SupportCase replace(SupportCase updated, long expectedVersion, List<HistoryEntry> entries) {
        SupportCase current = cases.get(key(updated.tenant(), updated.id()));
        if (current == null) {
            throw new StoreException.NotFound();
        }
        if (current.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        for (HistoryEntry e : entries) {
            if (HistoryEntry.SLA_BREACHED.equals(e.kind()) && current.sla().breaches().stream()
                    .anyMatch(m -> m.wire().equals(e.fields().get("metric")))) {
                throw new StoreException.VersionConflict(); // the same outcome as the adapter's condition
            }
        }
        requireActiveAgent(updated.tenant(), HistoryEntry.newAssignee(entries));
        cases.put(key(updated.tenant(), updated.id()), updated);
        history.get(key(updated.tenant(), updated.id())).addAll(entries);
        return updated;
    }

    @Override
    public synchronized Slice<HistoryEntry> history(TenantId tenant, String caseId, Cursor after, int limit) {
        List<HistoryEntry> all = history.getOrDefault(key(tenant, caseId), List.of());
        int from = after == null ? 0 : Integer.parseInt(after.value());
        List<HistoryEntry> page = new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size())));
        return from + limit < all.size() ? new Slice<>(page, new Cursor(String.valueOf(from + limit))) : Slice.last(page);
    }

    @Override
    public synchronized List<CaseRef> dueForCheck(java.time.Instant now, int limit) {
        return cases.values().stream().filter(c -> c.sla().nextCheck() != null && !c.sla().nextCheck().isAfter(now))
                .limit(limit).map(c -> new CaseRef(c.tenant(), c.id())).toList();
    }

    @Override
    public synchronized void refreshCheck(SupportCase c) {
        SupportCase current = cases.get(key(c.tenant(), c.id()));
        if (current != null && current.version() == c.version()) {
            cases.put(key(c.tenant(), c.id()), current.withSla(c.sla()));
        }
    }

    @Override
    public synchronized Slice<SupportCase> list(TenantId tenant, Filter f, Cursor after, int limit) {
        List<SupportCase> all = cases.values().stream().filter(c -> c.tenant().equals(tenant))
                .filter(c -> f.status() == null || c.status() == f.status())
                .filter(c -> f.assignee() == null || f.assignee().equals(c.assignee()))
                .filter(c -> f.category() == null || f.category().equals(c.category()))
                .filter(c -> f.priority() == null || f.priority() == c.priority())
                .filter(c -> f.contactId() == null || f.contactId().equals(c.contactId()))
                .filter(c -> !f.breached() || !c.sla().breaches().isEmpty())
                .filter(c -> f.sort() != Sort.DUE_AT || c.sla().nextDue() != null)
                .sorted(f.sort() == Sort.DUE_AT
                        ? Comparator.comparing((SupportCase c) -> c.sla().nextDue()).thenComparing(SupportCase::id)
                        : Comparator.comparingLong(SupportCase::number).reversed())
                .toList();
        int from = after == null ? 0 : Integer.parseInt(after.value());
        List<SupportCase> rest = all.subList(Math.min(from, all.size()), all.size());
        if (rest.size() <= limit) {
            return Slice.last(rest);
        }
        return new Slice<>(rest.subList(0, limit), new Cursor(String.valueOf(from + limit)));
    }

}
