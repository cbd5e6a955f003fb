package dev.crm.tenants.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.memory.InMemoryJobRepository;
import dev.crm.devkit.memory.InMemoryTenantRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tenant rules over the in-memory repositories. */
class TenantServiceTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final InMemoryJobRepository jobs = new InMemoryJobRepository(clock);
    private final InMemoryTenantRepository tenants = new InMemoryTenantRepository(jobs);
    private final TenantService service = new TenantService(tenants, jobs, clock);

    private TenantService.Provisioned provision(String slug) {
        return service.provision(new NewTenant("Acme Ltd", slug));
    }

    @Test
    void provisioningCreatesAnActiveTenantAndAnAdminKeyWhoseSecretIsNotStored() {
        var p = provision("acme");
        Tenant t = service.get(p.tenant().id());
        assertEquals(Tenant.Status.ACTIVE, t.status());
        assertEquals("acme", t.slug());
        assertEquals(1, t.version());
        assertTrue(p.adminKey().secret().startsWith(ApiKeys.PREFIX));
        ApiKeyRecord found = tenants.findByKeyHash(ApiKeys.hash(p.adminKey().secret()));
        assertEquals(Scope.ADMIN, found.scope());
        assertEquals(p.adminKey().record(), found);
        assertFalse(found.toString().contains(p.adminKey().secret()));
    }

    @Test
    void aTakenSlugIsAUniqueViolation() {
        provision("acme");
        assertThrows(StoreException.UniqueViolation.class, () -> provision("acme"));
    }

    @Test
    void settingsChangeFromTheCurrentVersionOnly() {
        TenantId id = provision("acme").tenant().id();
        Tenant updated = service.changeSettings(id, 1, s -> new TenantSettings(s.allowedOrigins(), "Europe/Paris",
                s.defaultCurrency(), s.defaultFrequencyCaps(), s.consentWordingVersion()));
        assertEquals(2, updated.version());
        assertEquals("Europe/Paris", service.get(id).settings().defaultTimeZone());
        assertThrows(StoreException.VersionConflict.class, () -> service.changeSettings(id, 1, s -> s));
        assertThrows(StoreException.NotFound.class, () -> service.changeSettings(TenantId.generate(), 1, s -> s));
    }

    @Test
    void aRefusedChangeStoresNothing() {
        TenantId id = provision("acme").tenant().id();
        assertThrows(IllegalArgumentException.class, () -> service.changeSettings(id, 1, s -> {
            throw new IllegalArgumentException("invalid");
        }));
        assertEquals(1, service.get(id).version());
    }

    @Test
    void keysArePagedOldestFirst() {
        TenantId id = provision("acme").tenant().id();
        List<String> created = new ArrayList<>();
        created.add(service.keys(id, null, 10).items().get(0).keyId());
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            created.add(service.createKey(id, new NewApiKey(Scope.READ, "k" + i, null)).record().keyId());
        }
        List<String> seen = new ArrayList<>();
        Cursor from = null;
        int pages = 0;
        do {
            var page = service.keys(id, from, 2);
            page.items().forEach(k -> seen.add(k.keyId()));
            from = page.next();
            pages++;
        } while (from != null);
        assertEquals(created, seen);
        assertEquals(3, pages);
        assertFalse(service.keys(id, null, 5).hasMore());
    }

    @Test
    void aCursorOutsideTheListIsInvalid() {
        TenantId id = provision("acme").tenant().id();
        assertThrows(TenantService.InvalidCursor.class, () -> service.keys(id, new Cursor("2"), 2));
        assertThrows(TenantService.InvalidCursor.class, () -> service.keys(id, new Cursor("-1"), 2));
        assertThrows(TenantService.InvalidCursor.class, () -> service.keys(id, new Cursor("x"), 2));
        assertTrue(service.keys(id, new Cursor("1"), 2).items().isEmpty());
    }

    @Test
    void keysAreCappedAndTheLastAdminKeyStays() {
        var p = provision("acme");
        TenantId id = p.tenant().id();
        for (int i = 1; i < TenantRepository.MAX_ACTIVE_KEYS; i++) {
            service.createKey(id, new NewApiKey(Scope.WRITE, "k" + i, null));
        }
        assertThrows(StoreException.LimitReached.class, () -> service.createKey(id, new NewApiKey(Scope.READ, "one more", null)));
        assertThrows(StoreException.LimitReached.class, () -> service.revokeKey(id, p.adminKey().record().keyId()));
        assertThrows(StoreException.NotFound.class, () -> service.revokeKey(id, "key_00000000000000000000"));
        var write = service.keys(id, null, 100).items().stream().filter(k -> k.scope() == Scope.WRITE).findFirst()
                .orElseThrow();
        service.revokeKey(id, write.keyId());
        assertNull(tenants.findByKeyHash(write.keyHash()));
        service.createKey(id, new NewApiKey(Scope.READ, "one more", null));
    }

    @Test
    void deprovisioningStartsOnceAndShutsEveryKeyOut() {
        var p = provision("acme");
        TenantId id = p.tenant().id();
        Job job = service.deprovision(id);
        assertEquals(Job.Status.QUEUED, job.status());
        assertEquals(TenantService.DEPROVISION_JOB, job.kind());
        assertEquals(Map.of("tenantId", id.value()), job.input());
        assertNull(tenants.findByKeyHash(ApiKeys.hash(p.adminKey().secret())));
        assertEquals(Tenant.Status.DEPROVISIONING, service.get(id).status());
        assertEquals(job, service.deprovision(id), "a repeated request finds the same job");
        assertEquals(job, service.deprovisioning(id));
        assertNull(service.deprovision(TenantId.generate()));
        assertNull(service.deprovisioning(TenantId.generate()));
    }

    @Test
    void theSweepRemovesTheTenantPageByPage() {
        TenantId id = provision("acme").tenant().id();
        service.createKey(id, new NewApiKey(Scope.READ, "r", null));
        service.deprovision(id);
        DeprovisionSweep first = service.sweep(id, null, 2);
        assertEquals(2, first.deleted());
        assertFalse(first.complete());
        DeprovisionSweep second = service.sweep(id, first.next(), 2);
        assertEquals(2, second.deleted());
        assertTrue(service.sweep(id, second.next(), 2).complete());
        assertNull(service.get(id));
        assertTrue(service.keys(id, null, 10).items().isEmpty());
    }

    @Test
    void failuresOfTheStorePassThrough() {
        TenantId id = provision("acme").tenant().id();
        var failing = new TenantService(failingOnFind(), jobs, clock);
        assertThrows(StoreException.Busy.class, () -> failing.changeSettings(id, 1, s -> s));
    }

    private TenantRepository failingOnFind() {
        return (TenantRepository) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TenantRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("find")) {
                        throw new StoreException.Busy();
                    }
                    return method.invoke(tenants, args);
                });
    }
}
