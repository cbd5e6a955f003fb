package dev.crm.contacts.domain;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Moves a tenant's email guards from the unkeyed hash of the address to its keyed pseudonym
 * ({@link dev.crm.shared.contact.EmailAddress#guardKey}), as a resumable job: the listed contacts
 * page by page, then those being erased, then the tenant is marked as keyed
 * ({@link TenantRepository#markEmailGuardsKeyed}), after which only keyed guards are read.
 *
 * <p>Until then every writer treats the tenant as legacy (reads both keys, puts keyed guards only
 * while the unkeyed one is free), so uniqueness and lookups hold throughout. Each page may run again
 * after a crash: a contact whose unkeyed guard is gone is skipped.
 *
 * <p>Started without a route: the contacts function queues it the first time a process reads or
 * writes an email guard of a legacy tenant ({@link #startingFor}); its id is fixed per tenant, so it
 * is queued once.
 */
public final class EmailGuardMigration {
    public static final String KIND = "email_guard_migration";
    static final int PAGE = 100;

    private final EmailGuardMigrationRepository guards;
    private final TenantRepository tenants;
    private final JobRepository jobs;
    private final Set<TenantId> started = ConcurrentHashMap.newKeySet();

    public EmailGuardMigration(EmailGuardMigrationRepository guards, TenantRepository tenants, JobRepository jobs) {
        this.guards = guards;
        this.tenants = tenants;
        this.jobs = jobs;
    }

    /** The tenant's one migration job. */
    public static JobRef job(TenantId t) {
        return JobRef.of(t, KIND);
    }

    /**
     * Wraps a source of tenants' secrets so that the first legacy tenant it meets in this process has
     * its migration queued (once per process and tenant; the job id makes it once per tenant).
     */
    public Function<TenantId, TenantSecrets> startingFor(Function<TenantId, TenantSecrets> secrets) {
        return t -> {
            TenantSecrets s = secrets.apply(t);
            if (!s.keyedEmailGuards()) {
                startOnce(t);
            }
            return s;
        };
    }

    /** Queues the tenant's migration unless this process did already. Never fails the caller's request. */
    public void startOnce(TenantId t) {
        if (!started.add(t)) {
            return;
        }
        try {
            jobs.create(NewJob.forTenant(job(t), KIND, Map.of(), 0));
        } catch (StoreException.UniqueViolation e) {
            // queued before (by another process, or it ran already)
        } catch (RuntimeException e) {
            started.remove(t); // a later request tries again; this one goes on in legacy mode
        }
    }

    public JobRunner.Step step(TenantId t, TenantSecrets secrets, Job job) {
        Map<String, Object> cp = job.checkpoint();
        long moved = number(cp.get("moved"));
        long conflicts = number(cp.get("conflicts"));
        if (secrets.keyedEmailGuards()) {
            return JobRunner.Step.finished(job.done(), 0, result(moved, conflicts, true));
        }
        EmailGuardMigrationRepository.Source source = "erasing".equals(cp.get("phase"))
                ? EmailGuardMigrationRepository.Source.ERASING : EmailGuardMigrationRepository.Source.LISTED;
        Cursor from = cp.get("from") instanceof String f && !f.isEmpty() ? new Cursor(f) : null;
        var page = guards.moveEmailGuards(t, secrets, source, from, PAGE);
        long done = job.done() + page.examined();
        moved += page.moved();
        conflicts += page.conflicts();
        if (page.next() != null) {
            return JobRunner.Step.progress(done, 0, checkpoint(source, page.next(), moved, conflicts));
        }
        if (source == EmailGuardMigrationRepository.Source.LISTED) {
            return JobRunner.Step.progress(done, 0, checkpoint(EmailGuardMigrationRepository.Source.ERASING, null, moved,
                    conflicts));
        }
        // An address two contacts hold under the two keys cannot arise (every writer checks both);
        // should it, the tenant stays legacy, where both guards still count.
        boolean keyed = conflicts == 0 && tenants.markEmailGuardsKeyed(t);
        return JobRunner.Step.finished(done, 0, result(moved, conflicts, keyed));
    }

    private static Map<String, Object> checkpoint(EmailGuardMigrationRepository.Source source, Cursor from, long moved,
            long conflicts) {
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("phase", source == EmailGuardMigrationRepository.Source.ERASING ? "erasing" : "listed");
        if (from != null) {
            cp.put("from", from.value());
        }
        cp.put("moved", moved);
        cp.put("conflicts", conflicts);
        return cp;
    }

    /** {@code moved} counts the moves of the runs that checkpointed them: a replayed page finds its moves done. */
    private static Map<String, Object> result(long moved, long conflicts, boolean keyed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("moved", moved);
        r.put("conflicts", conflicts);
        r.put("keyed", keyed);
        return r;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
