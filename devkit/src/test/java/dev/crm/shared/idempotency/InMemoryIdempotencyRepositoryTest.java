package dev.crm.shared.idempotency;

import dev.crm.devkit.memory.InMemoryIdempotencyRepository;

class InMemoryIdempotencyRepositoryTest extends IdempotencyRepositoryContract {
    @Override
    protected IdempotencyRepository repository() {
        return new InMemoryIdempotencyRepository();
    }
}
