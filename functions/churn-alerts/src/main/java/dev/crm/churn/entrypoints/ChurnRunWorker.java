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
import java.util.concurrent.Executors;

/** Runs queued churn runs (scheduled or on demand), started by the table stream. */
public final class ChurnRunWorker implements RequestHandler<DynamodbEvent, Void> {
    /** A score step's batch writes and alerts go out on this many threads: the run waits on DynamoDB, not the CPU. */
    static final int STEP_WRITERS = 4;
    private final JobRunner runner;
    private final ChurnRun run;

    public ChurnRunWorker() {
        this(Infrastructure.lambda());
    }

    public ChurnRunWorker(Infrastructure infra) {
        this.runner = infra.jobRunner();
        this.run = new ChurnComponents(infra).run(Executors.newFixedThreadPool(STEP_WRITERS, r -> {
            Thread t = new Thread(r, "churn-step-writer");
            t.setDaemon(true);
            return t;
        }));
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
