package dev.crm.surveys.store.memory;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResponseImportRepository;
import dev.crm.surveys.store.ResponseImportRepositoryContract;

class InMemoryResponseImportRepositoryTest extends ResponseImportRepositoryContract {
    private final InMemoryResponseImportRepository imports = new InMemoryResponseImportRepository();

    @Override
    protected ResponseImportRepository imports() {
        return imports;
    }

    @Override
    protected void givenContact(TenantId tenant, Contact contact) {
        imports.putContact(tenant, contact);
    }
}
