package dev.crm.shared.jobs.store.dynamodb;

import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRepositoryContract;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.testing.LocalDynamoDb;
import java.time.Clock;

class DynamoDbJobRepositoryIT extends JobRepositoryContract {
    @Override
    protected JobRepository repository(Clock clock) {
        return new DynamoDbJobRepository(new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE), clock);
    }
}
