package dev.crm.shared.tenant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.IdempotencyKey;
import dev.crm.shared.idempotency.IdempotencyRecord;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.devkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TenantRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class TenantRepositoryContract {
    protected final MutableClock clock = MutableClock.at("2026-11-24T10:00:00.125Z");
    private TenantRepository tenants;
    private JobRepository jobs;

    /** The job repository deprovisioning queues its job in, over {@code clock}. */
    protected abstract JobRepository jobs(Clock clock);

    /** A tenant repository that queues deprovisioning jobs where {@code jobs} finds them. */
    protected abstract TenantRepository tenants(JobRepository jobs);

    /** The idempotency records the tenant repository's creates complete. */
    protected abstract IdempotencyRepository idempotency();

    @BeforeEach
    void setUp() {
        jobs = jobs(clock);
        tenants = tenants(jobs);
    }

    private Tenant newTenant() {
        Instant now = clock.instant();
        return new Tenant(TenantId.generate(), "Acme", "acme-" + Ids.random("", 10), Tenant.Status.ACTIVE,
                TenantSettings.defaults(), TenantSecrets.generate(), now, now, 1);
    }

    private ApiKeyRecord newKey(TenantId tenant, Scope scope) {
        String secret = ApiKeys.generate();
        return new ApiKeyRecord(tenant, Ids.random("key_", 20), "key " + scope.wire(), scope,
                ApiKeys.displayPrefix(secret), ApiKeys.hash(secret), clock.instant(), null, null);
    }

    private Tenant created() {
        Tenant t = newTenant();
        tenants.create(t, newKey(t.id(), Scope.ADMIN));
        return t;
    }

    @Test
    void aCreatedTenantIsFoundByIdSlugAndRegistry() {
        Tenant t = newTenant();
        ApiKeyRecord admin = newKey(t.id(), Scope.ADMIN);
        tenants.create(t, admin);
        Tenant found = tenants.find(t.id());
        assertEquals(t.id(), found.id());
        assertEquals("Acme", found.name());
        assertEquals(t.slug(), found.slug());
        assertEquals(Tenant.Status.ACTIVE, found.status());
        assertEquals(1, found.version());
        assertEquals(t.createdAt(), found.createdAt());
        assertEquals(t.updatedAt(), found.updatedAt());
        assertEquals(t.settings().toJson().toString(), found.settings().toJson().toString());
        assertEquals(t.secrets().current().kid(), found.secrets().current().kid());
        assertArrayEquals(t.secrets().current().secret(), found.secrets().current().secret());
        assertArrayEquals(t.secrets().pseudonymKey(), found.secrets().pseudonymKey());
        assertEquals(t.id(), tenants.findBySlug(t.slug()));
        assertTrue(tenants.listTenantIds().contains(t.id()));
        assertEquals(admin, tenants.findByKeyHash(admin.keyHash()));
        assertEquals(List.of(admin), tenants.listKeys(t.id()));
    }

    @Test
    void aTenantWithoutTheKeyedGuardsMarkIsLegacyUntilMarked() {
        assertTrue(TenantSecrets.generate().keyedEmailGuards(), "tenants provisioned now are keyed");
        Tenant keyed = created();
        assertTrue(tenants.find(keyed.id()).secrets().keyedEmailGuards());
        Tenant t = newTenant();
        TenantSecrets s = t.secrets();
        Tenant legacy = new Tenant(t.id(), t.name(), t.slug(), t.status(), t.settings(),
                new TenantSecrets(s.signingKeys(), s.pseudonymKey(), false), t.createdAt(), t.updatedAt(), t.version());
        tenants.create(legacy, newKey(t.id(), Scope.ADMIN));
        assertFalse(tenants.find(t.id()).secrets().keyedEmailGuards());

        assertTrue(tenants.markEmailGuardsKeyed(t.id()));
        Tenant marked = tenants.find(t.id());
        assertTrue(marked.secrets().keyedEmailGuards());
        assertArrayEquals(s.pseudonymKey(), marked.secrets().pseudonymKey(), "the key the pseudonyms are made with stays");
        assertEquals(s.current().kid(), marked.secrets().current().kid());
        assertEquals(1, marked.version(), "a settings change in flight is not conflicted by the mark");
        assertFalse(tenants.markEmailGuardsKeyed(TenantId.generate()));
    }

    @Test
    void unknownTenantsSlugsAndKeysAreNotFound() {
        assertNull(tenants.find(TenantId.generate()));
        assertNull(tenants.findBySlug("nobody-" + Ids.random("", 10)));
        assertNull(tenants.findByKeyHash(ApiKeys.hash(ApiKeys.generate())));
        assertTrue(tenants.listKeys(TenantId.generate()).isEmpty());
    }

    @Test
    void aSlugBelongsToOneTenant() {
        Tenant t = created();
        Tenant other = newTenant();
        Tenant sameSlug = new Tenant(other.id(), other.name(), t.slug(), other.status(), other.settings(), other.secrets(),
                other.createdAt(), other.updatedAt(), 1);
        var e = assertThrows(StoreException.UniqueViolation.class, () -> tenants.create(sameSlug, newKey(other.id(), Scope.ADMIN)));
        assertEquals("slug", e.field());
        assertNull(tenants.find(other.id()), "nothing of the refused tenant is stored");
    }

    @Test
    void settingsChangeOnlyFromTheCurrentVersion() {
        Tenant t = created();
        clock.advance(Duration.ofMinutes(1));
        TenantSettings changed = new TenantSettings(List.of("https://www.example.com"), "Europe/Paris", "GBP", Map.of(), "v2");
        Tenant updated = tenants.updateSettings(t.id(), 1, changed, clock.instant());
        assertEquals(2, updated.version());
        assertEquals(clock.instant(), updated.updatedAt());
        assertEquals("Europe/Paris", updated.settings().defaultTimeZone());
        assertEquals(List.of("https://www.example.com"), tenants.find(t.id()).settings().allowedOrigins());
        assertEquals("v2", tenants.find(t.id()).settings().consentWordingVersion());
        assertThrows(StoreException.VersionConflict.class, () -> tenants.updateSettings(t.id(), 1, changed, clock.instant()));
        assertThrows(StoreException.VersionConflict.class,
                () -> tenants.updateSettings(TenantId.generate(), 1, changed, clock.instant()));
        assertEquals(2, tenants.find(t.id()).version());
    }

    @Test
    void keysAreCreatedUpToTheCap() {
        Tenant t = created();
        ApiKeyRecord read = newKey(t.id(), Scope.READ);
        tenants.createKey(read);
        assertEquals(read, tenants.findByKeyHash(read.keyHash()));
        assertEquals(2, tenants.listKeys(t.id()).size());
        for (int i = 2; i < TenantRepository.MAX_ACTIVE_KEYS; i++) {
            tenants.createKey(newKey(t.id(), Scope.WRITE));
        }
        ApiKeyRecord tooMany = newKey(t.id(), Scope.WRITE);
        assertThrows(StoreException.LimitReached.class, () -> tenants.createKey(tooMany));
        assertNull(tenants.findByKeyHash(tooMany.keyHash()));
        assertEquals(TenantRepository.MAX_ACTIVE_KEYS, tenants.listKeys(t.id()).size());
        // a revoked key frees its place
        tenants.revokeKey(t.id(), read.keyId(), clock.instant());
        tenants.createKey(tooMany);
        assertEquals(tooMany, tenants.findByKeyHash(tooMany.keyHash()));
    }

    @Test
    void aRevokedKeyNoLongerAuthenticatesAndStaysListed() {
        Tenant t = created();
        ApiKeyRecord write = newKey(t.id(), Scope.WRITE);
        tenants.createKey(write);
        clock.advance(Duration.ofMinutes(5));
        tenants.revokeKey(t.id(), write.keyId(), clock.instant());
        assertNull(tenants.findByKeyHash(write.keyHash()));
        ApiKeyRecord listed = tenants.listKeys(t.id()).stream().filter(k -> k.keyId().equals(write.keyId())).findFirst()
                .orElseThrow();
        assertEquals(clock.instant(), listed.revokedAt());
        tenants.revokeKey(t.id(), write.keyId(), clock.instant().plusSeconds(1)); // again: nothing changes
        assertEquals(listed, tenants.listKeys(t.id()).stream().filter(k -> k.keyId().equals(write.keyId())).findFirst()
                .orElseThrow());
        assertThrows(StoreException.NotFound.class, () -> tenants.revokeKey(t.id(), Ids.random("key_", 20), clock.instant()));
        assertThrows(StoreException.NotFound.class, () -> tenants.revokeKey(TenantId.generate(), write.keyId(), clock.instant()));
    }

    @Test
    void theLastAdminKeyCannotBeRevoked() {
        Tenant t = newTenant();
        ApiKeyRecord admin = newKey(t.id(), Scope.ADMIN);
        tenants.create(t, admin);
        assertThrows(StoreException.LimitReached.class, () -> tenants.revokeKey(t.id(), admin.keyId(), clock.instant()));
        assertEquals(admin, tenants.findByKeyHash(admin.keyHash()));
        ApiKeyRecord second = newKey(t.id(), Scope.ADMIN);
        tenants.createKey(second);
        tenants.revokeKey(t.id(), admin.keyId(), clock.instant());
        assertNull(tenants.findByKeyHash(admin.keyHash()));
        assertThrows(StoreException.LimitReached.class, () -> tenants.revokeKey(t.id(), second.keyId(), clock.instant()));
    }

    private NewJob deprovisionJob(TenantId id) {
        return new NewJob(JobRef.operator("deprovision_" + id.value()), "deprovision", id.value(),
                Map.of("tenantId", id.value()), 0);
    }

    @Test
    void deprovisioningClosesEveryWayInAndQueuesItsJob() {
        Tenant t = newTenant();
        ApiKeyRecord admin = newKey(t.id(), Scope.ADMIN);
        tenants.create(t, admin);
        ApiKeyRecord read = newKey(t.id(), Scope.READ);
        tenants.createKey(read);
        clock.advance(Duration.ofMinutes(1));
        assertTrue(tenants.beginDeprovisioning(t.id(), clock.instant(), deprovisionJob(t.id())));
        Tenant marked = tenants.find(t.id());
        assertEquals(Tenant.Status.DEPROVISIONING, marked.status());
        assertEquals(clock.instant(), marked.updatedAt());
        assertNull(tenants.findBySlug(t.slug()));
        assertNull(tenants.findByKeyHash(admin.keyHash()));
        assertNull(tenants.findByKeyHash(read.keyHash()));
        Job job = jobs.find(JobRef.operator("deprovision_" + t.id().value()));
        assertEquals(Job.Status.QUEUED, job.status());
        assertEquals(t.id().value(), job.tenantId());
        assertFalse(tenants.beginDeprovisioning(t.id(), clock.instant(), deprovisionJob(t.id())), "already");
        assertFalse(tenants.beginDeprovisioning(TenantId.generate(), clock.instant(), deprovisionJob(TenantId.generate())));
        assertThrows(StoreException.VersionConflict.class,
                () -> tenants.updateSettings(t.id(), marked.version(), TenantSettings.defaults(), clock.instant()));
        assertThrows(StoreException.LimitReached.class, () -> tenants.createKey(newKey(t.id(), Scope.READ)));
    }

    @Test
    void theSweepDeletesEverythingOfTheTenantButItsJob() {
        Tenant keep = created();
        Tenant t = newTenant();
        tenants.create(t, newKey(t.id(), Scope.ADMIN));
        tenants.createKey(newKey(t.id(), Scope.READ));
        ApiKeyRecord revoked = newKey(t.id(), Scope.WRITE);
        tenants.createKey(revoked);
        tenants.revokeKey(t.id(), revoked.keyId(), clock.instant());
        tenants.beginDeprovisioning(t.id(), clock.instant(), deprovisionJob(t.id()));

        long deleted = 0;
        Cursor from = null;
        int pages = 0;
        do {
            DeprovisionSweep page = tenants.sweep(t.id(), from, 2);
            deleted += page.deleted();
            from = page.next();
            assertTrue(++pages < 100_000, "the sweep ends");
        } while (from != null);

        assertEquals(2 + 3, deleted, "the tenant, its registry entry and its three keys");
        assertNull(tenants.find(t.id()));
        assertTrue(tenants.listKeys(t.id()).isEmpty());
        assertFalse(tenants.listTenantIds().contains(t.id()));
        assertNotNull(jobs.find(JobRef.operator("deprovision_" + t.id().value())), "the job reports on its own sweep");
        assertNotNull(tenants.find(keep.id()), "other tenants are untouched");
        assertEquals(1, tenants.listKeys(keep.id()).size());
        assertEquals(keep.id(), tenants.findBySlug(keep.slug()));
    }

    /** A keyed request's record in progress under a lock until {@code lockUntil}. */
    private IdempotencyKey inProgress(Instant lockUntil) {
        IdempotencyKey key = IdempotencyKey.ofOperator(Ids.random("", 20));
        assertTrue(idempotency().acquire(key, "fp", clock.instant(), lockUntil, clock.instant().plus(Duration.ofHours(24))));
        return key;
    }

    @Test
    void creatingWithACompletionCompletesTheRequestsRecordInTheSameWrite() {
        Instant lock = clock.instant().plusSeconds(60);
        IdempotencyKey key = inProgress(lock);
        Tenant t = newTenant();
        tenants.create(t, newKey(t.id(), Scope.ADMIN), new IdempotencyCompletion(key, lock, new byte[] {1, 2, 3}));
        assertNotNull(tenants.find(t.id()));
        IdempotencyRecord record = idempotency().find(key);
        assertTrue(record.completed());
        assertArrayEquals(new byte[] {1, 2, 3}, record.sealedResponse());

        IdempotencyKey keyRequest = inProgress(lock);
        ApiKeyRecord read = newKey(t.id(), Scope.READ);
        tenants.createKey(read, new IdempotencyCompletion(keyRequest, lock, new byte[] {4}));
        assertNotNull(tenants.findByKeyHash(read.keyHash()));
        assertTrue(idempotency().find(keyRequest).completed());
    }

    @Test
    void aCompletionWhoseLockChangedHandsWritesNothing() {
        Instant lock = clock.instant().plusSeconds(60);
        IdempotencyKey key = inProgress(lock);
        // a retry took the record over: the lock is another attempt's now
        var stale = new IdempotencyCompletion(key, lock.minusSeconds(61), new byte[] {1});
        Tenant t = newTenant();
        assertThrows(StoreException.Contention.class, () -> tenants.create(t, newKey(t.id(), Scope.ADMIN), stale));
        assertNull(tenants.find(t.id()));
        assertNull(tenants.findBySlug(t.slug()));
        assertFalse(idempotency().find(key).completed());

        Tenant other = created();
        ApiKeyRecord read = newKey(other.id(), Scope.READ);
        assertThrows(StoreException.Contention.class, () -> tenants.createKey(read, stale));
        assertNull(tenants.findByKeyHash(read.keyHash()));
        assertEquals(1, tenants.listKeys(other.id()).size());
        assertFalse(idempotency().find(key).completed());
    }
}
