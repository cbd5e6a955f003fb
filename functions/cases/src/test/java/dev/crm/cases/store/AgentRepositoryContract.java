package dev.crm.cases.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.domain.Agent;
import dev.crm.cases.domain.AgentRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link AgentRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class AgentRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    protected abstract AgentRepository repository();

    private final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();

    protected static Agent agent(TenantId t, String name, String email, boolean active, String... teams) {
        return new Agent(t, Ids.random(Agent.ID_PREFIX, 20), name, email, List.of(teams), active, NOW, NOW, 1);
    }

    @Test
    void storesReadsBackAndKeepsTenantsApart() {
        Agent a = agent(tenant, "Ana Lima", "ana@example.com", true, "billing", "returns");
        assertEquals(a, repository().create(a));
        assertEquals(a, repository().find(tenant, a.id()).orElseThrow());
        assertTrue(repository().find(other, a.id()).isEmpty());
        assertEquals(List.of(), repository().list(other, new AgentRepository.Filter(null, null), null, 10).items());
    }

    @Test
    void aRepeatedCreateAnswersTheStoredAgent() {
        Agent a = agent(tenant, "Ana", "ana@example.com", true);
        repository().create(a);
        Agent again = new Agent(tenant, a.id(), "Other", "other@example.com", List.of(), false, NOW.plusSeconds(1),
                NOW.plusSeconds(1), 1);
        assertEquals(a, repository().create(again));
    }

    @Test
    void replaceIsConditionedOnTheVersion() {
        Agent a = repository().create(agent(tenant, "Ana", "ana@example.com", true));
        Agent renamed = new Agent(tenant, a.id(), "Ana Lima", "ana.lima@example.com", List.of("vip"), false, a.createdAt(),
                NOW.plusSeconds(60), 2);
        assertEquals(renamed, repository().replace(renamed, 1));
        assertEquals(renamed, repository().find(tenant, a.id()).orElseThrow());
        assertThrows(StoreException.VersionConflict.class, () -> repository().replace(renamed, 1));
        Agent stranger = new Agent(other, a.id(), "X", "x@example.com", List.of(), true, NOW, NOW, 2);
        assertThrows(StoreException.NotFound.class, () -> repository().replace(stranger, 1));
        // a renamed agent is listed under its new name only
        List<Agent> listed = repository().list(tenant, new AgentRepository.Filter(null, null), null, 10).items();
        assertEquals(List.of(renamed), listed);
    }

    @Test
    void listsByNameInPagesAndFilters() {
        List<String> names = List.of("delta", "Alpha", "charlie", "Bravo", "echo");
        for (int i = 0; i < names.size(); i++) {
            repository().create(agent(tenant, names.get(i), i + "@example.com", i % 2 == 0, i < 2 ? "billing" : "returns"));
        }
        repository().create(agent(other, "Aardvark", "x@example.com", true, "billing"));
        List<String> seen = new ArrayList<>();
        Cursor after = null;
        do {
            Slice<Agent> page = repository().list(tenant, new AgentRepository.Filter(null, null), after, 2);
            assertTrue(page.items().size() <= 2);
            page.items().forEach(a -> seen.add(a.name()));
            after = page.next();
        } while (after != null);
        assertEquals(List.of("Alpha", "Bravo", "charlie", "delta", "echo"), seen);
        assertEquals(List.of("charlie", "delta", "echo"), names(repository().list(tenant,
                new AgentRepository.Filter(true, null), null, 10)));
        assertEquals(List.of("Alpha", "delta"), names(repository().list(tenant, new AgentRepository.Filter(null, "billing"), null, 10)));
        assertEquals(List.of("delta"), names(repository().list(tenant, new AgentRepository.Filter(true, "billing"), null, 10)));
        Slice<Agent> first = repository().list(tenant, new AgentRepository.Filter(true, null), null, 1);
        assertNotNull(first.next());
        Slice<Agent> rest = repository().list(tenant, new AgentRepository.Filter(true, null), first.next(), 10);
        assertEquals(List.of("delta", "echo"), names(rest));
        assertNull(rest.next());
    }

    private static List<String> names(Slice<Agent> s) {
        return s.items().stream().map(Agent::name).toList();
    }
}
