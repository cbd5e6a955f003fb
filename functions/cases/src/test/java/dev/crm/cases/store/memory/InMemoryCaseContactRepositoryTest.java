package dev.crm.cases.store.memory;

import dev.crm.cases.domain.CaseContactRepository;
import dev.crm.cases.domain.PublicRateCounterRepository;
import dev.crm.cases.store.CaseContactRepositoryContract;
import dev.crm.shared.tenant.TenantId;

class InMemoryCaseContactRepositoryTest extends CaseContactRepositoryContract {
    private final InMemoryCaseContactRepository contacts = new InMemoryCaseContactRepository();
    private final InMemoryPublicRateCounterRepository counters = new InMemoryPublicRateCounterRepository();

    @Override
    protected CaseContactRepository contacts() {
        return contacts;
    }

    @Override
    protected PublicRateCounterRepository counters() {
        return counters;
    }

    @Override
    protected void erasing(TenantId t, String email) {
        contacts.erasing(t, email);
    }
}
