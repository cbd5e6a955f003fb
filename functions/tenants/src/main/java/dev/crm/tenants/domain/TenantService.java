package dev.crm.tenants.domain;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.TenantRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Provisioning, settings, keys and deprovisioning of tenants, over the tenant and job repositories. */
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
        return provision(request, p -> null);
    }

    /**
     * Provisions the tenant and completes the request's idempotency record in the same transaction:
     * the admin key's secret exists only in the answer, so the record that replays that answer (sealed
     * under the client's Idempotency-Key) is stored with the tenant or the tenant is not stored.
     *
     * @param completion the record's completion answering with the provisioned tenant (null: none)
     * @throws StoreException.UniqueViolation when the slug is taken
     * @throws StoreException.Contention when the completion no longer holds; nothing is written
     */
    public Provisioned provision(NewTenant request, Function<Provisioned, IdempotencyCompletion> completion) {
        Instant now = clock.instant();
        TenantId id = TenantId.generate();
        Tenant tenant = new Tenant(id, request.name(), request.slug(), Tenant.Status.ACTIVE, TenantSettings.defaults(),
                TenantSecrets.generate(), now, now, 1);
        IssuedKey key = issue(id, Scope.ADMIN, "initial admin key", null, now);
        Provisioned provisioned = new Provisioned(tenant, key);
        tenants.create(tenant, key.record(), completion.apply(provisioned));
        return provisioned;
    }

    public Tenant get(TenantId id) {
        return tenants.find(id);
    }

    /**
     * Changes the tenant's settings, if {@code expectedVersion} is the tenant's current version.
     *
     * @param change the new settings from the current ones (it may refuse by throwing)
     * @throws StoreException.NotFound when there is no such tenant
     * @throws StoreException.VersionConflict when {@code expectedVersion} is not current
     */
    public Tenant changeSettings(TenantId id, long expectedVersion, UnaryOperator<TenantSettings> change) {
        Tenant current = tenants.find(id);
        if (current == null) {
            throw new StoreException.NotFound();
        }
        TenantSettings changed = change.apply(current.settings());
        if (current.version() != expectedVersion) {
            throw new StoreException.VersionConflict();
        }
        return tenants.updateSettings(id, expectedVersion, changed, clock.instant());
    }

    /** @throws StoreException.LimitReached over the active-key cap */
    public IssuedKey createKey(TenantId id, NewApiKey request) {
        return createKey(id, request, k -> null);
    }

    /**
     * Creates the key and completes the request's idempotency record in the same transaction (the
     * secret exists only in the answer, as for {@link #provision(NewTenant, Function)}).
     *
     * @param completion the record's completion answering with the issued key (null: none)
     * @throws StoreException.LimitReached over the active-key cap
     * @throws StoreException.Contention when the completion no longer holds; nothing is written
     */
    public IssuedKey createKey(TenantId id, NewApiKey request, Function<IssuedKey, IdempotencyCompletion> completion) {
        IssuedKey key = issue(id, request.scope(), request.name(), request.expiresAt(), clock.instant());
        tenants.createKey(key.record(), completion.apply(key));
        return key;
    }

    /**
     * One page of the tenant's keys, oldest first (revoked ones included). Keys are few (at most
     * {@link TenantRepository#MAX_ACTIVE_KEYS} active, plus revoked ones): the cursor is an offset
     * into the ordered list.
     *
     * @param from where the page starts (a cursor of an earlier page), or null
     * @throws InvalidCursor when {@code from} is not a cursor of this list
     */
    public Slice<ApiKeyRecord> keys(TenantId id, Cursor from, int limit) {
        List<ApiKeyRecord> all = new ArrayList<>(tenants.listKeys(id));
        all.sort(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::keyId));
        int offset = from == null ? 0 : offset(from);
        if (offset < 0 || offset > all.size()) {
            throw new InvalidCursor();
        }
        int end = Math.min(all.size(), offset + limit);
        return new Slice<>(all.subList(offset, end), end < all.size() ? new Cursor(Integer.toString(end)) : null);
    }

    private static int offset(Cursor c) {
        try {
            return Integer.parseInt(c.value());
        } catch (NumberFormatException e) {
            throw new InvalidCursor();
        }
    }

    /** A cursor that does not point into the list it was given for. */
    public static final class InvalidCursor extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidCursor() {
            super("not a cursor of this list", null, false, false);
        }
    }

    /**
     * @throws StoreException.NotFound when the tenant has no such key
     * @throws StoreException.LimitReached when it is the tenant's last admin key
     */
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
        return tenants.beginDeprovisioning(id, clock.instant(), deprovisionJob(id));
    }

    private static NewJob deprovisionJob(TenantId id) {
        return new NewJob(JobRef.operator(deprovisionJobId(id)), DEPROVISION_JOB, id.value(), Map.of("tenantId", id.value()), 0);
    }

    /**
     * Starts deprovisioning, or finds it started: a repeated call returns the same job.
     *
     * @return the deprovisioning job, or null when there is neither an active tenant with that id nor
     *         a job deprovisioning it
     */
    public Job deprovision(TenantId id) {
        Instant now = clock.instant();
        NewJob job = deprovisionJob(id);
        if (tenants.beginDeprovisioning(id, now, job)) {
            return job.queuedAt(now); // as written in the same transaction: no read back
        }
        return deprovisioning(id);
    }

    /** One step of the deprovisioning job: deletes one page of the tenant's records. */
    public DeprovisionSweep sweep(TenantId id, Cursor from, int pageSize) {
        return tenants.sweep(id, from, pageSize);
    }

    /** @return the tenant's deprovisioning job, or null when it was never started */
    public Job deprovisioning(TenantId id) {
        return jobs.find(JobRef.operator(deprovisionJobId(id)));
    }

    private static IssuedKey issue(TenantId tenant, Scope scope, String name, Instant expiresAt, Instant now) {
        String secret = ApiKeys.generate();
        ApiKeyRecord record = new ApiKeyRecord(tenant, Ids.random("key_", 20), name, scope,
                ApiKeys.displayPrefix(secret), ApiKeys.hash(secret), now, expiresAt, null);
        return new IssuedKey(record, secret);
    }
}
