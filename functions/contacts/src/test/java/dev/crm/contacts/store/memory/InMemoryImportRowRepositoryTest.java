package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ImportRowRepository;
import dev.crm.contacts.domain.ImportRowRepositoryContract;

class InMemoryImportRowRepositoryTest extends ImportRowRepositoryContract {
    private final InMemoryContactRepository contacts = new InMemoryContactRepository();
    private final InMemoryImportRowRepository rows = new InMemoryImportRowRepository(contacts, 7);

    @Override
    protected ImportRowRepository rows() {
        return rows;
    }

    @Override
    protected ContactRepository contacts() {
        return contacts;
    }
}
