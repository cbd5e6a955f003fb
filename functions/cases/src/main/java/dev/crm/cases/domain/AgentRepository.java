package dev.crm.cases.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.util.Optional;

/** The tenants' agents (docs/data-model.md, "Agents"). */
public interface AgentRepository {
    /**
     * Stores a new agent.
     *
     * @return the stored agent; the existing one when an agent with this id exists (a keyed request's re-run)
     */
    Agent create(Agent agent);

    Optional<Agent> find(TenantId tenant, String id);

    /**
     * Stores {@code updated} (whose version is {@code expectedVersion + 1}) if the agent is still at
     * {@code expectedVersion}.
     *
     * @throws dev.crm.shared.store.StoreException.VersionConflict when it changed
     * @throws dev.crm.shared.store.StoreException.NotFound when it does not exist
     */
    Agent replace(Agent updated, long expectedVersion);

    /** What a list is narrowed to; a null field does not narrow. */
    record Filter(Boolean active, String team) {}

    /** The most agents one list request examines when it filters (docs/api.md). */
    int MAX_EXAMINED = 1000;

    /**
     * The tenant's agents by name (case-insensitive), then id. Filters apply to what is read, examining
     * at most {@link #MAX_EXAMINED} agents per call: a page may hold fewer than {@code limit} and still
     * have a next cursor.
     */
    Slice<Agent> list(TenantId tenant, Filter filter, Cursor after, int limit);
}
