package dev.crm.shared.tenant.store.dynamodb;

import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantRepositoryContract;
import dev.crm.testing.LocalDynamoDb;
import java.time.Clock;

class DynamoDbTenantRepositoryIT extends TenantRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);

    @Override
    protected JobRepository jobs(Clock clock) {
        return new DynamoDbJobRepository(table, clock);
    }

    @Override
    protected TenantRepository tenants(JobRepository jobs) {
        return new DynamoDbTenantRepository(table);
    }
}
