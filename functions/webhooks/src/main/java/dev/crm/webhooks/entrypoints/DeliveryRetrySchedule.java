package dev.crm.webhooks.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.webhooks.config.WebhooksComponents;
import dev.crm.webhooks.domain.Deliveries;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every minute: the deliveries that are due (a retry's time came, or a deliverer died holding one and
 * its lease ended), read from the due index and attempted.
 */
public final class DeliveryRetrySchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Due deliveries one run takes at most; the rest wait for the next minute. */
    static final int PER_RUN = 500;

    private final Deliveries deliveries;

    public DeliveryRetrySchedule() {
        this(Infrastructure.lambda());
    }

    public DeliveryRetrySchedule(Infrastructure infra) {
        this(new WebhooksComponents(infra));
    }

    public DeliveryRetrySchedule(WebhooksComponents components) {
        this.deliveries = components.deliveries();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        Map<Deliveries.Outcome, Integer> outcomes = deliveries.attemptDue(PER_RUN, DeliveryWorker.timeLeft(context));
        Map<String, Object> out = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> out.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        if (!outcomes.isEmpty()) {
            Log.info("due webhook deliveries attempted", out);
        }
        return out;
    }
}
