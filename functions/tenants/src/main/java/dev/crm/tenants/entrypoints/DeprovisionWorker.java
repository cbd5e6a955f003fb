package dev.crm.tenants.entrypoints;

import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.jobs.JobStreamEvents;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.tenants.domain.TenantService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes every item of a tenant, one page of its items (the TenantItems index) per step, resumable
 * from its checkpoint. Started by the table stream when a deprovisioning job is queued (template.yaml,
 * TenantJobsFunction).
 */
public final class DeprovisionWorker implements RequestHandler<DynamodbEvent, Void> {
    static final int PAGE_SIZE = 500;
    private static final String RESUME_AT = "sweepFrom";

    private final int pageSize;
    private final TenantService service;
    private final JobRunner runner;
    private final long authorizerCacheMillis;
    private final java.time.Clock clock;

    public DeprovisionWorker() {
        this(Infrastructure.lambda());
    }

    public DeprovisionWorker(Infrastructure infra) {
        this(infra, PAGE_SIZE);
    }

    /** @param pageSize index entries read per page (per checkpoint) */
    public DeprovisionWorker(Infrastructure infra, int pageSize) {
        this.pageSize = pageSize;
        this.service = new TenantService(infra.tenants(), infra.jobs(), infra.clock());
        this.runner = infra.jobRunner();
        this.clock = infra.clock();
        // Keys are already unusable, but API Gateway may honour a cached authorization for up to
        // this long; sweeping after it means no request can write behind the sweep.
        this.authorizerCacheMillis = Long.parseLong(infra.settings().get("AUTHORIZER_CACHE_SECONDS", "0")) * 1000;
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(DynamodbEvent event, Context context) {
        for (JobRef pk : JobStreamEvents.jobs(event)) {
            runner.run(pk, JobStreamEvents.owner(context), context::getRemainingTimeInMillis, job -> {
                TenantId tenant = new TenantId((String) job.input().get("tenantId"));
                long waitUntil = job.createdAt().toEpochMilli() + authorizerCacheMillis;
                long wait = waitUntil - clock.millis();
                if (wait > 0) {
                    sleep(Math.min(wait, Math.max(0, context.getRemainingTimeInMillis() - JobRunner.SAFETY_MILLIS - 1000)));
                    return JobRunner.Step.progress(job.done(), job.total(), job.checkpoint());
                }
                DeprovisionSweep sweep = service.sweep(tenant, resumePoint(job.checkpoint()), pageSize);
                long done = job.done() + sweep.deleted();
                if (sweep.complete()) {
                    return JobRunner.Step.finished(done, done, Map.of("deletedItems", done));
                }
                Map<String, Object> cp = new LinkedHashMap<>();
                cp.put(RESUME_AT, sweep.next().value());
                return JobRunner.Step.progress(done, done, cp);
            });
        }
        return null;
    }

    /** Where the sweep resumes: the cursor of the last checkpoint, or null at the start. */
    static Cursor resumePoint(Map<String, Object> checkpoint) {
        Object at = checkpoint == null ? null : checkpoint.get(RESUME_AT);
        // Anything else (an older release's scan checkpoint, "scanFrom") restarts the sweep: deleting is idempotent.
        return at instanceof String s && !s.isEmpty() ? new Cursor(s) : null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
