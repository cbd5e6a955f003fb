package dev.crm.cases.store.memory;

import dev.crm.cases.domain.PublicRateCounterRepository;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The rate counters in memory: one count per tenant, limit, subject and window. */
public final class InMemoryPublicRateCounterRepository implements PublicRateCounterRepository {
    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    @Override
    public long increment(TenantId tenant, String limitName, String subject, Instant windowStart, Instant expiresAt) {
        return counts.merge(tenant.value() + "|" + limitName + "|" + subject + "|" + windowStart.getEpochSecond(), 1L, Long::sum);
    }
}
