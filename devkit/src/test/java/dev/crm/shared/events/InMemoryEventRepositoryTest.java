package dev.crm.shared.events;

import dev.crm.devkit.memory.InMemoryEventRepository;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;

class InMemoryEventRepositoryTest extends EventRepositoryContract {
    private final InMemoryEventRepository repo = new InMemoryEventRepository();

    @Override
    protected EventRepository repository() {
        return repo;
    }

    @Override
    protected String activeContact(TenantId tenant) {
        return Ids.random("c_", 20);
    }

    @Override
    protected void erase(TenantId tenant, String contactId) {
        repo.erase(tenant, contactId);
    }
}
