package dev.crm.shared.jobs;

import dev.crm.testing.memory.InMemoryJobRepository;
import java.time.Clock;

class InMemoryJobRepositoryTest extends JobRepositoryContract {
    @Override
    protected JobRepository repository(Clock clock) {
        return new InMemoryJobRepository(clock);
    }
}
