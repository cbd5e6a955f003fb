package dev.crm.tenants.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.StalledJobs;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stalled-job sweep (template.yaml, JobSweepFunction, every 5 minutes): every job of every tenant
 * and the operator's that stopped making progress is queued again, a bounded number of times, then
 * failed with a reason ({@link StalledJobs}). It lives with the operator's functions because it
 * works across tenants; it takes the scheduled event as a plain map: only its arrival matters.
 */
public final class JobSweepSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final StalledJobs stalled;

    public JobSweepSchedule() {
        this(Infrastructure.lambda());
    }

    public JobSweepSchedule(Infrastructure infra) {
        this.stalled = new StalledJobs(infra.jobs(), infra.clock());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        StalledJobs.Sweep sweep = stalled.sweep();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requeued", sweep.requeued());
        out.put("failed", sweep.failed());
        out.put("skipped", sweep.skipped());
        Log.info("stalled jobs swept", out);
        return out;
    }
}
