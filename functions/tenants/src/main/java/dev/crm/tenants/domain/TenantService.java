package dev.crm.tenants.domain;

import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.store.TenantRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Provisioning, settings, keys and deprovisioning of tenants. No AWS types beyond the job write. */
public final class TenantService {
    public static final String DEPROVISION_JOB = "deprovision";

    private final TenantRepository tenants;
    private final JobRepository jobs;
    private final Clock clock;

    public TenantService(TenantRepository tenants, JobRepository jobs, Clock clock) {
        this.tenants = tenants;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** A key as created: the record and the secret, which is shown this once and never stored. */
    public record IssuedKey(ApiKeyRecord record, String secret) {}

    public record Provisioned(Tenant tenant, IssuedKey adminKey) {}

    /** @throws StoreException.UniqueViolation when the slug is taken */
    public Provisioned provision(NewTenant request) {
        Instant now = clock.instant();
        TenantId id = TenantId.generate();
        Tenant tenant = new Tenant(id, request.name(), request.slug(), Tenant.Status.ACTIVE, TenantSettings.defaults(),
                TenantSecrets.generate(), now, now, 1);
        IssuedKey key = issue(id, Scope.ADMIN, "initial admin key", null, now);
        tenants.create(tenant, key.record());
        return new Provisioned(tenant, key);
    }

    public Tenant get(TenantId id) {
        return tenants.find(id);
    }

    /** @throws StoreException.VersionConflict when {@code expectedVersion} is not current */
    public Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings) {
        return tenants.updateSettings(id, expectedVersion, settings, clock.instant());
    }

    /** @throws StoreException.LimitReached over the active-key cap */
    public IssuedKey createKey(TenantId id, NewApiKey request) {
        IssuedKey key = issue(id, request.scope(), request.name(), request.expiresAt(), clock.instant());
        tenants.createKey(key.record());
        return key;
    }

    public List<ApiKeyRecord> keys(TenantId id) {
        return tenants.listKeys(id);
    }

    public void revokeKey(TenantId id, String keyId) {
        tenants.revokeKey(id, keyId, clock.instant());
    }

    /** One deprovisioning job per tenant, so a repeated DELETE finds the same job. */
    public static String deprovisionJobId(TenantId id) {
        return "deprovision_" + id.value();
    }

    /**
     * Starts deprovisioning. From the moment this returns no key of the tenant authenticates.
     *
     * @return false when there is no active tenant with that id
     */
    public boolean startDeprovisioning(TenantId id) {
        String jobId = deprovisionJobId(id);
        var job = new NewJob(JobRef.operator(jobId), DEPROVISION_JOB, id.value(), Map.of("tenantId", id.value()), 0);
        return tenants.beginDeprovisioning(id, clock.instant(), job);
    }

    public dev.crm.shared.jobs.Job deprovisioning(TenantId id) {
        return jobs.find(JobRef.operator(deprovisionJobId(id)));
    }

    private static IssuedKey issue(TenantId tenant, Scope scope, String name, Instant expiresAt, Instant now) {
        String secret = ApiKeys.generate();
        ApiKeyRecord record = new ApiKeyRecord(tenant, Ids.random("key_", 20), name, scope,
                ApiKeys.displayPrefix(secret), ApiKeys.hash(secret), now, expiresAt, null);
        return new IssuedKey(record, secret);
    }
}
