package dev.crm.contacts.entrypoints;

import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.EmailGuardMigration;
import dev.crm.contacts.domain.InteractionImport;
import dev.crm.contacts.config.ContactsComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the contacts function's jobs (contact and interaction imports, erasures, anonymisations, the email guard migration), started by the table
 * stream when such a job is queued (template.yaml, ContactJobsFunction).
 */
public final class ContactJobsWorker implements RequestHandler<DynamodbEvent, Void> {
    /** Rows of an import are written by this many threads; each row is its own transaction. */
    static final int IMPORT_THREADS = 8;

    private final JobRunner runner;
    private final TenantRepository tenants;
    private final ContactImport imports;
    private final ContactErasure erasures;
    private final EmailGuardMigration guardMigration;
    private final InteractionImport interactionImports;

    public ContactJobsWorker() {
        this(Infrastructure.lambda());
        Priming.register(ContactsComponents::buildSchemas); // its stores build their schemas on first use
    }

    public ContactJobsWorker(Infrastructure infra) {
        ExecutorService pool = Executors.newFixedThreadPool(IMPORT_THREADS, r -> {
            Thread t = new Thread(r, "import-row");
            t.setDaemon(true);
            return t;
        });
        this.runner = infra.jobRunner();
        this.tenants = infra.tenants();
        var components = new ContactsComponents(infra);
        this.imports = components.imports(pool);
        this.erasures = components.erasures();
        this.guardMigration = components.guardMigration();
        this.interactionImports = components.interactionImports(pool);
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(DynamodbEvent event, Context context) {
        for (JobRef ref : JobStreamEvents.jobs(event)) {
            runner.run(ref, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, job -> {
                TenantId t = new TenantId(job.tenantId());
                switch (job.kind()) {
                    case ContactImport.KIND:
                        return imports.step(t, job);
                    case InteractionImport.KIND: {
                        // the tenant's zone and currency now: what a touch point recorded now is applied with
                        Tenant owner = tenants.find(t);
                        if (owner == null) {
                            throw new JobRunner.PermanentFailure("the tenant no longer exists");
                        }
                        return interactionImports.step(t, job, owner.settings().zone(), owner.settings().defaultCurrency());
                    }
                    case ContactErasure.ERASURE:
                    case ContactErasure.ANONYMIZATION:
                        Tenant tenant = tenants.find(t);
                        if (tenant == null) {
                            throw new JobRunner.PermanentFailure("the tenant no longer exists");
                        }
                        return erasures.step(t, tenant.secrets(), job);
                    case EmailGuardMigration.KIND:
                        // read fresh, not cached: whether the tenant is keyed already decides the step
                        Tenant current = tenants.find(t);
                        if (current == null) {
                            throw new JobRunner.PermanentFailure("the tenant no longer exists");
                        }
                        return guardMigration.step(t, current.secrets(), job);
                    default:
                        throw new JobRunner.PermanentFailure("not a contacts job");
                }
            });
        }
        return null;
    }
}
