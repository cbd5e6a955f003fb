package dev.crm.webhooks.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EventFanout;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.store.dynamodb.WebhookStreamRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream batch of the fan-out function: stored events go to the bus and to their endpoints,
 * endpoint changes become the webhooks' own events. A record that fails ends the batch there and is
 * reported by its sequence number ({@link TableChange#retryFrom}): Lambda retries from it, the records
 * before it, done, are not redone, and the ones after it are not processed in this invocation (they
 * come again with it).
 */
public final class FanoutBatch {
    private final EventFanout fanout;
    private final EventAnnouncer announcer;

    public FanoutBatch(EventFanout fanout, EventAnnouncer announcer) {
        this.fanout = fanout;
        this.announcer = announcer;
    }

    public StreamsEventResponse handle(DynamodbEvent event) {
        int published = 0;
        int deliveries = 0;
        Map<TenantId, List<WebhookEndpoint>> endpointsOf = new HashMap<>();
        TableChange failed = null;
        for (TableChange change : TableChange.of(event)) {
            try {
                EventFanout.StoredEvent stored = WebhookStreamRecords.storedEvent(change);
                if (stored != null) {
                    EventFanout.Result r = fanout.fanOut(stored, endpointsOf);
                    published += r.published() ? 1 : 0;
                    deliveries += r.deliveries();
                } else if (WebhookStreamRecords.isEndpointChange(change)) {
                    announcer.announce(List.of(change));
                }
            } catch (RuntimeException e) {
                Log.warn("webhook fan-out failed; the stream retries from this record", Log.describe(e));
                failed = change;
                break;
            }
        }
        Log.info("events fanned out", Map.of("published", published, "deliveries", deliveries));
        return TableChange.retryFrom(failed);
    }
}
