package dev.crm.webhooks.store.memory;

import dev.crm.webhooks.domain.DeliveryRepository;
import dev.crm.webhooks.store.DeliveryRepositoryContract;

class InMemoryDeliveryRepositoryTest extends DeliveryRepositoryContract {
    private final InMemoryDeliveryRepository repository = new InMemoryDeliveryRepository();

    @Override
    protected DeliveryRepository repository() {
        return repository;
    }
}
