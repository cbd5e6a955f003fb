package dev.crm.shared.jobs;

import dev.crm.devkit.memory.InMemoryJobRepository;
import java.time.Clock;

class InMemoryJobRepositoryTest extends JobRepositoryContract {
    @Override
    protected JobRepository repository(Clock clock) {
        return new InMemoryJobRepository(clock);
    }
}
