package dev.crm.surveys.store.dynamodb;

import dev.crm.surveys.domain.RateCounterRepository;
import dev.crm.surveys.store.RateCounterRepositoryContract;
import dev.crm.devkit.TestInfrastructure;

class DynamoDbRateCounterRepositoryIT extends RateCounterRepositoryContract {
    @Override
    protected RateCounterRepository newRepository() {
        return new DynamoDbRateCounterRepository(TestInfrastructure.create().table());
    }
}
