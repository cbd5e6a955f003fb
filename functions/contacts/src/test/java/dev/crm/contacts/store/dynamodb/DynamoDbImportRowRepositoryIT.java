package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ImportRowRepository;
import dev.crm.contacts.domain.ImportRowRepositoryContract;
import dev.crm.shared.config.Infrastructure;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;

class DynamoDbImportRowRepositoryIT extends ImportRowRepositoryContract {
    private final Infrastructure infra = TestInfrastructure.create(MutableClock.at("2026-11-24T10:00:00Z"));

    @Override
    protected ImportRowRepository rows() {
        return new DynamoDbImportRowRepository(infra.table(), infra.clock(), TestInfrastructure.tenantSecrets(infra));
    }

    @Override
    protected ContactRepository contacts() {
        return new DynamoDbContactRepository(infra.table(), TestInfrastructure.tenantSecrets(infra));
    }
}
