package dev.crm.preferences.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.preferences.config.PreferencesComponents;
import dev.crm.preferences.domain.ConsentImport;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.TenantId;

/** Runs the preferences function's jobs (consent imports), started by the table stream when one is queued (PreferenceJobsFunction). */
public final class PreferenceJobsWorker implements RequestHandler<DynamodbEvent, Void> {
    private final JobRunner runner;
    private final ConsentImport imports;

    public PreferenceJobsWorker() {
        this(Infrastructure.lambda());
        Priming.register(PreferencesComponents::buildSchemas); // its stores build their schemas on first use
    }

    public PreferenceJobsWorker(Infrastructure infra) {
        this.runner = infra.jobRunner();
        this.imports = PreferencesComponents.imports(infra);
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            for (JobRef ref : JobStreamEvents.jobs(event)) {
                runner.run(ref, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, job -> {
                    if (!ConsentImport.KIND.equals(job.kind())) {
                        throw new JobRunner.PermanentFailure("not a preferences job");
                    }
                    return imports.step(new TenantId(job.tenantId()), job);
                });
            }
            return null;
        }
    }
}
