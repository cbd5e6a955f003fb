package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ContactRepositoryContract;

class InMemoryContactRepositoryTest extends ContactRepositoryContract {
    @Override
    protected ContactRepository repository() {
        return new InMemoryContactRepository();
    }
}
