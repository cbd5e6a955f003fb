package dev.crm.surveys.store.memory;

import dev.crm.surveys.domain.RateCounterRepository;
import dev.crm.surveys.store.RateCounterRepositoryContract;

class InMemoryRateCounterRepositoryTest extends RateCounterRepositoryContract {
    @Override
    protected RateCounterRepository newRepository() {
        return new InMemoryRateCounterRepository();
    }
}
