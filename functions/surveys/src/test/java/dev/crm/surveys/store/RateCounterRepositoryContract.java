package dev.crm.surveys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RateCounterRepository;
import dev.crm.surveys.domain.Survey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link RateCounterRepository} does: run against the fake and DynamoDB Local. */
public abstract class RateCounterRepositoryContract {
    static final Instant EXPIRES = Instant.parse("2026-11-02T10:02:00Z");

    protected abstract RateCounterRepository newRepository();

    @Test
    void eachIncrementReturnsTheWindowsCountSoFar() {
        RateCounterRepository counters = newRepository();
        TenantId t = TenantId.generate();
        String survey = Survey.newId();
        assertEquals(1, counters.increment(t, survey, "abc", 100, EXPIRES));
        assertEquals(2, counters.increment(t, survey, "abc", 100, EXPIRES));
        assertEquals(3, counters.increment(t, survey, "abc", 100, EXPIRES));
    }

    @Test
    void windowsClientsSurveysAndTenantsAreCountedApart() {
        RateCounterRepository counters = newRepository();
        TenantId t = TenantId.generate();
        String survey = Survey.newId();
        counters.increment(t, survey, "abc", 100, EXPIRES);
        assertEquals(1, counters.increment(t, survey, "abc", 101, EXPIRES), "a new window starts at zero");
        assertEquals(1, counters.increment(t, survey, RateCounterRepository.ALL_CLIENTS, 100, EXPIRES));
        assertEquals(1, counters.increment(t, Survey.newId(), "abc", 100, EXPIRES));
        assertEquals(1, counters.increment(TenantId.generate(), survey, "abc", 100, EXPIRES));
    }
}
