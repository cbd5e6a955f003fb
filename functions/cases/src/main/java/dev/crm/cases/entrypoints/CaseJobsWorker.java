package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.domain.imports.CaseImport;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.TenantId;

/** Runs the cases function's jobs (history imports), started by the table stream when one is queued (CaseJobsFunction). */
public final class CaseJobsWorker implements RequestHandler<DynamodbEvent, Void> {
    private final JobRunner runner;
    private final CaseImport imports;

    public CaseJobsWorker() {
        this(Infrastructure.lambda());
    }

    public CaseJobsWorker(Infrastructure infra) {
        this.runner = infra.jobRunner();
        this.imports = new CasesComponents(infra).imports();
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
                if (!CaseImport.KIND.equals(job.kind())) {
                    throw new JobRunner.PermanentFailure("not a cases job");
                }
                return imports.step(new TenantId(job.tenantId()), job);
            });
        }
        return null;
    }
}
