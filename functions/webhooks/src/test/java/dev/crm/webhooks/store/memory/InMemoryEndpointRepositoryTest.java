package dev.crm.webhooks.store.memory;

import dev.crm.devkit.memory.InMemoryIdempotencyRepository;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.store.EndpointRepositoryContract;

class InMemoryEndpointRepositoryTest extends EndpointRepositoryContract {
    private final InMemoryIdempotencyRepository idempotency = new InMemoryIdempotencyRepository();
    private final InMemoryEndpointRepository repository = new InMemoryEndpointRepository(idempotency);

    @Override
    protected EndpointRepository repository() {
        return repository;
    }

    @Override
    protected IdempotencyRepository idempotency() {
        return idempotency;
    }
}
