package dev.crm.cases.store.memory;

import dev.crm.cases.domain.AgentRepository;
import dev.crm.cases.store.AgentRepositoryContract;

class InMemoryAgentRepositoryTest extends AgentRepositoryContract {
    private final InMemoryAgentRepository repository = new InMemoryAgentRepository();

    @Override
    protected AgentRepository repository() {
        return repository;
    }
}
