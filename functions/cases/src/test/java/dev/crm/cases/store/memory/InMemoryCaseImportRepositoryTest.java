package dev.crm.cases.store.memory;

import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.cases.store.CaseImportRepositoryContract;
import dev.crm.shared.tenant.TenantId;

class InMemoryCaseImportRepositoryTest extends CaseImportRepositoryContract {
    private final InMemoryCaseImportRepository imports = new InMemoryCaseImportRepository();

    @Override
    protected CaseImportRepository imports() {
        return imports;
    }

    @Override
    protected void activeContact(TenantId t, String contactId) {
        imports.activeContact(t, contactId);
    }
}
