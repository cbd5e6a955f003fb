package dev.crm.cases.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.cases.domain.CaseContactRepository;
import dev.crm.cases.domain.PublicRateCounterRepository;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the self-service ports promise, run against the fakes and against DynamoDB Local. */
public abstract class CaseContactRepositoryContract {
    protected final TenantId tenant = TenantId.generate();
    protected final TenantId other = TenantId.generate();
    private final Instant now = Instant.parse("2026-12-07T09:00:00Z");

    protected abstract CaseContactRepository contacts();

    protected abstract PublicRateCounterRepository counters();

    /** Makes the contact holding this address one that is being erased. */
    protected abstract void erasing(TenantId t, String email);

    private static String email() {
        return "p." + Ids.random("", 10) + "@example.org";
    }

    @Test
    void anAddressFindsItsContactWhateverItsCaseAndSpacesAndANewOneIsCreatedOnce() {
        String email = email();
        String id = contacts().findOrCreateByEmail(tenant, email, "Jane", now);
        assertNotNull(id);
        assertEquals(id, contacts().findOrCreateByEmail(tenant, "  " + email.toUpperCase(java.util.Locale.ROOT) + " ", null, now));
        assertNotEquals(id, contacts().findOrCreateByEmail(other, email, null, now), "another tenant's is another contact");
    }

    @Test
    void concurrentRequestsFromOneNewAddressEndWithOneContact() throws Exception {
        String email = email();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> contacts().findOrCreateByEmail(tenant, email, null, now));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertEquals(1, ids.size(), ids.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAddressOfAContactBeingErasedFindsNothingAndCreatesNothing() {
        String email = email();
        contacts().findOrCreateByEmail(tenant, email, null, now);
        erasing(tenant, email);
        assertNull(contacts().findOrCreateByEmail(tenant, email, null, now));
    }

    @Test
    void countersCountPerTenantLimitSubjectAndWindow() {
        Instant w = Instant.parse("2026-12-07T09:00:00Z");
        Instant later = Instant.parse("2026-12-07T10:00:00Z");
        String subject = Ids.random("", 12);
        assertEquals(1, counters().increment(tenant, "case-client", subject, w, later));
        assertEquals(2, counters().increment(tenant, "case-client", subject, w, later));
        assertEquals(1, counters().increment(tenant, "case-address", subject, w, later));
        assertEquals(1, counters().increment(other, "case-client", subject, w, later));
        assertEquals(1, counters().increment(tenant, "case-client", subject, later, later.plusSeconds(3600)));
    }
}
