package dev.crm.cases.store.memory;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.store.CaseRepositoryContract;
import dev.crm.shared.tenant.TenantId;

class InMemoryCaseRepositoryTest extends CaseRepositoryContract {
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();

    @Override
    protected CaseRepository repository() {
        return repository;
    }

    @Override
    protected void activeContact(TenantId t, String contactId) {
        repository.activeContact(t, contactId);
    }

    @Override
    protected void agent(TenantId t, String agentId, boolean active) {
        repository.agent(t, agentId, active);
    }
}
