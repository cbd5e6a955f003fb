package dev.crm.churn.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.churn.domain.ChurnRun;
import dev.crm.churn.config.ChurnComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;

/** Runs queued churn runs (scheduled or on demand), started by the table stream. */
public final class ChurnRunWorker implements RequestHandler<DynamodbEvent, Void> {
    private final JobRunner runner;
    private final ChurnRun run;

    public ChurnRunWorker() {
        this(Infrastructure.lambda());
    }

    public ChurnRunWorker(Infrastructure infra) {
        this.runner = infra.jobRunner();
        this.run = new ChurnComponents(infra).run();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(DynamodbEvent event, Context context) {
        for (JobRef ref : JobStreamEvents.jobs(event)) {
            runner.run(ref, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, run::step);
        }
        return null;
    }
}
