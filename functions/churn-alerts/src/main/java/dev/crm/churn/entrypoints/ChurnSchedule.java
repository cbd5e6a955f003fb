package dev.crm.churn.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.churn.domain.ChurnRuns;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import java.util.Map;

/** The nightly retention schedule: queues one churn run per tenant ({@link ChurnRuns#queueNightly}). */
public final class ChurnSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ChurnRuns runs;

    public ChurnSchedule() {
        this(Infrastructure.lambda());
    }

    public ChurnSchedule(Infrastructure infra) {
        this.runs = new ChurnRuns(infra.jobs(), infra.tenants(), infra.clock());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        ChurnRuns.Nightly n = runs.queueNightly();
        Log.info("churn runs queued", Map.of("queued", n.queued(), "alreadyQueued", n.alreadyQueued(), "day", n.day().toString()));
        return Map.of("queued", n.queued(), "alreadyQueued", n.alreadyQueued());
    }
}
