package dev.crm.surveys.store.memory;

import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RateCounterRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RateCounterRepository} in memory: one count per (tenant, survey, client, window). */
public final class InMemoryRateCounterRepository implements RateCounterRepository {
    private final Map<List<Object>, Long> counts = new ConcurrentHashMap<>();

    @Override
    public long increment(TenantId tenant, String surveyId, String client, long windowId, Instant expiresAt) {
        return counts.merge(List.of(tenant, surveyId, client, windowId), 1L, Long::sum);
    }
}
