package dev.crm.surveys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.ResponseImport;
import dev.crm.surveys.domain.SurveyRecount;
import dev.crm.surveys.config.SurveysComponents;
import java.time.Clock;

/**
 * Runs {@code survey_recount} jobs ({@link SurveyRecount}) and {@code survey_response_import} jobs
 * ({@link ResponseImport}), started by the table stream when one is
 * queued (template.yaml, SurveyJobsFunction): for each job, one bounded step at a time through the
 * job runner, which checkpoints and hands over.
 */
public final class RecountWorker implements RequestHandler<DynamodbEvent, Void> {
    /** (shard, day) counter sets checked per step, between checkpoints. */
    static final int ITEMS_PER_STEP = 50;

    private final int itemsPerStep;
    private final SurveyRecount recount;
    private final ResponseImport imports;
    private final JobRunner runner;
    private final Clock clock;

    public RecountWorker() {
        this(Infrastructure.lambda());
    }

    public RecountWorker(Infrastructure infra) {
        this(infra, ITEMS_PER_STEP);
    }

    public RecountWorker(Infrastructure infra, int itemsPerStep) {
        this.itemsPerStep = itemsPerStep;
        var components = new SurveysComponents(infra);
        this.recount = components.recount();
        this.imports = components.responseImport();
        this.runner = infra.jobRunner();
        this.clock = infra.clock();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(DynamodbEvent event, Context context) {
        for (JobRef job : JobStreamEvents.jobs(event)) {
            runner.run(job, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, this::step);
        }
        return null;
    }

    private JobRunner.Step step(Job job) {
        if (ResponseImport.KIND.equals(job.kind())) {
            return imports.step(new TenantId(job.tenantId()), job);
        }
        SurveyRecount.JobStep s;
        try {
            s = recount.advance(job.input(), job.checkpoint(), itemsPerStep, clock.instant());
        } catch (SurveyRecount.CannotRecount e) {
            throw new JobRunner.PermanentFailure(e.getMessage());
        }
        return s.finished() ? JobRunner.Step.finished(s.done(), s.total(), s.state())
                : JobRunner.Step.progress(s.done(), s.total(), s.state());
    }
}
