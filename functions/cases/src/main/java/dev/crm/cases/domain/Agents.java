package dev.crm.cases.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The agent API's use cases. Whether a case may be assigned to an agent is checked by the case's own
 * write ({@link CaseRepository#create}, {@link CaseRepository#replace}), not by a read here.
 */
public final class Agents {
    private final AgentRepository repository;
    private final Clock clock;

    public Agents(AgentRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public record NewAgent(String name, String email, List<String> teams, boolean active) {}

    /** A change: a null field is left as it is. */
    public record Change(String name, String email, List<String> teams, Boolean active) {}

    public Agent create(TenantId tenant, String id, NewAgent a) {
        Instant now = clock.instant();
        return repository.create(new Agent(tenant, id, a.name(), a.email(), a.teams(), a.active(), now, now, 1));
    }

    public Optional<Agent> find(TenantId tenant, String id) {
        return repository.find(tenant, id);
    }

    /**
     * @throws dev.crm.shared.store.StoreException.VersionConflict when the agent changed since {@code current}
     * @throws dev.crm.shared.store.StoreException.NotFound when it is gone
     */
    public Agent change(Agent current, Change c) {
        Agent updated = new Agent(current.tenant(), current.id(), c.name() != null ? c.name() : current.name(),
                c.email() != null ? c.email() : current.email(), c.teams() != null ? c.teams() : current.teams(),
                c.active() != null ? c.active() : current.active(), current.createdAt(), clock.instant(),
                current.version() + 1);
        return repository.replace(updated, current.version());
    }

    public Slice<Agent> list(TenantId tenant, AgentRepository.Filter filter, Cursor after, int limit) {
        return repository.list(tenant, filter, after, limit);
    }
}
