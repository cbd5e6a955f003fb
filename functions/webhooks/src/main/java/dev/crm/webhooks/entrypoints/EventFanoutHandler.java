package dev.crm.webhooks.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.shared.config.Infrastructure;
import dev.crm.webhooks.config.WebhooksComponents;
import dev.crm.webhooks.stream.FanoutBatch;

/**
 * The table stream's stored events, to both outlets (the bus, one delivery per subscribed endpoint),
 * and the endpoints' changes, to the webhooks' own events (docs/architecture.md, "Webhooks").
 */
public final class EventFanoutHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final FanoutBatch batch;

    public EventFanoutHandler() {
        this(Infrastructure.lambda());
    }

    public EventFanoutHandler(Infrastructure infra) {
        this(new WebhooksComponents(infra));
    }

    public EventFanoutHandler(WebhooksComponents components) {
        this.batch = components.fanoutBatch();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return batch.handle(event);
    }
}
