package dev.crm.shared.tenant;

import dev.crm.shared.jobs.JobRepository;
import dev.crm.devkit.memory.InMemoryJobRepository;
import dev.crm.devkit.memory.InMemoryIdempotencyRepository;
import dev.crm.devkit.memory.InMemoryTenantRepository;
import dev.crm.shared.idempotency.IdempotencyRepository;
import java.time.Clock;

class InMemoryTenantRepositoryTest extends TenantRepositoryContract {
    @Override
    protected JobRepository jobs(Clock clock) {
        return new InMemoryJobRepository(clock);
    }

    private final InMemoryIdempotencyRepository idempotency = new InMemoryIdempotencyRepository();

    @Override
    protected TenantRepository tenants(JobRepository jobs) {
        return new InMemoryTenantRepository(jobs, idempotency);
    }

    @Override
    protected IdempotencyRepository idempotency() {
        return idempotency;
    }
}
