package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.ContactRepositoryContract;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;

class DynamoDbContactRepositoryIT extends ContactRepositoryContract {
    @Override
    protected ContactRepository repository() {
        var infra = TestInfrastructure.create(MutableClock.at("2026-11-24T10:00:00Z"));
        return new DynamoDbContactRepository(infra.table(), TestInfrastructure.tenantSecrets(infra));
    }
}
