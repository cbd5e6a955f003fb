package dev.crm.cases.store.memory;

import dev.crm.cases.domain.Agent;
import dev.crm.cases.domain.AgentRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link AgentRepository} in memory, for the domain's tests; held to the same contract as the adapter. */
public final class InMemoryAgentRepository implements AgentRepository {
    private final Map<String, Agent> agents = new HashMap<>();

    private static String key(TenantId t, String id) {
        return t.value() + "|" + id;
    }

    private static String sortKey(Agent a) {
        return a.name().toLowerCase(Locale.ROOT) + "#" + a.id();
    }

    @Override
    public synchronized Agent create(Agent a) {
        return agents.computeIfAbsent(key(a.tenant(), a.id()), k -> a);
    }

    @Override
    public synchronized Optional<Agent> find(TenantId tenant, String id) {
        return Optional.ofNullable(agents.get(key(tenant, id)));
    }

    @Override
    public synchronized Agent replace(Agent updated, long expectedVersion) {
        Agent current = agents.get(key(updated.tenant(), updated.id()));
        if (current == null) {
            throw new StoreException.NotFound();
        }
        if (current.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        agents.put(key(updated.tenant(), updated.id()), updated);
        return updated;
    }

    @Override
    public synchronized Slice<Agent> list(TenantId tenant, Filter filter, Cursor after, int limit) {
        List<Agent> all = agents.values().stream().filter(a -> a.tenant().equals(tenant))
                .sorted(Comparator.comparing(InMemoryAgentRepository::sortKey))
                .filter(a -> after == null || sortKey(a).compareTo(after.value()) > 0).toList();
        List<Agent> page = new ArrayList<>();
        int examined = 0;
        for (Agent a : all) {
            if (examined == MAX_EXAMINED) {
                return new Slice<>(page, new Cursor(sortKey(all.get(examined - 1))));
            }
            examined++;
            if ((filter.active() == null || filter.active() == a.active())
                    && (filter.team() == null || a.teams().contains(filter.team()))) {
                if (page.size() == limit) {
                    return new Slice<>(page, new Cursor(sortKey(page.get(limit - 1))));
                }
                page.add(a);
            }
        }
        return Slice.last(page);
    }
}
