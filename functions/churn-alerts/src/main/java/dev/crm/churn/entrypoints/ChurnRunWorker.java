package dev.crm.churn.entrypoints;

import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.churn.domain.ChurnRun;
import dev.crm.churn.store.dynamodb.DynamoDbChurnRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.store.TenantRepository;

/** Runs queued churn runs (scheduled or on demand), started by the table stream. */
public final class ChurnRunWorker implements RequestHandler<DynamodbEvent, Void> {
    private final JobRunner runner;
    private final TenantRepository tenants;
    private final ChurnRun run;

    public ChurnRunWorker() {
        this(Infrastructure.lambda());
    }

    public ChurnRunWorker(Infrastructure infra) {
        this.runner = infra.jobRunner();
        this.tenants = infra.tenants();
        this.run = new ChurnRun(new DynamoDbChurnRepository(infra.table()), infra.clock());
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        for (JobRef pk : JobStreamEvents.jobs(event)) {
            runner.run(pk, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, job -> {
                Tenant tenant = tenants.find(new TenantId(job.tenantId()));
                if (tenant == null) {
                    throw new JobRunner.PermanentFailure("the tenant no longer exists");
                }
                return run.step(tenant, job);
            });
        }
        return null;
    }
}
