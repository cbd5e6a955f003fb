package dev.crm.webhooks.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.Invocation;
import dev.crm.shared.metrics.Metrics;
import dev.crm.webhooks.config.WebhooksComponents;
import dev.crm.webhooks.domain.Deliveries;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Sends deliveries as soon as they are created, retried by hand or replayed (the table stream; their
 * items carry {@code send = now}). A delivery it does not finish stays pending and due: the retry
 * schedule takes it from the due index.
 */
public final class DeliveryWorker implements RequestHandler<DynamodbEvent, Void> {
    /** No new attempt starts with less than this left: one attempt (15 s timeout) and its record fit. */
    static final long RESERVE_MILLIS = 20_000;

    private final WebhooksComponents components;
    private final Deliveries deliveries;

    public DeliveryWorker() {
        this(Infrastructure.lambda());
    }

    public DeliveryWorker(Infrastructure infra) {
        this(new WebhooksComponents(infra));
    }

    public DeliveryWorker(WebhooksComponents components) {
        this.components = components;
        this.deliveries = components.deliveries();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        try (Invocation metrics = Metrics.begin()) { // one metrics document per invocation
            return handle(event, context);
        }
    }

    private Void handle(DynamodbEvent event, Context context) {
        Map<Deliveries.Outcome, Integer> outcomes = deliveries.attemptAll(components.deliveriesIn(event), timeLeft(context));
        Log.info("webhook deliveries attempted", Map.of("outcomes", outcomes.toString()));
        return null;
    }

    static BooleanSupplier timeLeft(Context context) {
        return () -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS;
    }
}
