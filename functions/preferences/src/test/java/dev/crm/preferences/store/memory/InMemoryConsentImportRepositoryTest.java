package dev.crm.preferences.store.memory;

import dev.crm.preferences.domain.ConsentImportRepository;
import dev.crm.preferences.domain.ConsentImportRepositoryContract;
import dev.crm.shared.tenant.TenantId;

/** The fake held to the port's contract, so service tests on it mean what they say. */
class InMemoryConsentImportRepositoryTest extends ConsentImportRepositoryContract {
    private final InMemoryConsentImportRepository imports = new InMemoryConsentImportRepository();

    @Override
    protected ConsentImportRepository imports() {
        return imports;
    }

    @Override
    protected void activeContact(TenantId t, String contactId) {
        imports.activeContact(t, contactId);
    }
}
