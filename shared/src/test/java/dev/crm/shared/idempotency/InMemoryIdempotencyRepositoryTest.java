package dev.crm.shared.idempotency;

import dev.crm.testing.memory.InMemoryIdempotencyRepository;

class InMemoryIdempotencyRepositoryTest extends IdempotencyRepositoryContract {
    @Override
    protected IdempotencyRepository repository() {
        return new InMemoryIdempotencyRepository();
    }
}
