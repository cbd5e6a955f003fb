package dev.crm.shared.tenant;

import dev.crm.shared.jobs.JobRepository;
import dev.crm.devkit.memory.InMemoryJobRepository;
import dev.crm.devkit.memory.InMemoryTenantRepository;
import java.time.Clock;

class InMemoryTenantRepositoryTest extends TenantRepositoryContract {
    @Override
    protected JobRepository jobs(Clock clock) {
        return new InMemoryJobRepository(clock);
    }

    @Override
    protected TenantRepository tenants(JobRepository jobs) {
        return new InMemoryTenantRepository(jobs);
    }
}
