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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream batch of the fan-out function: stored events go to the bus and to their endpoints,
 * endpoint changes become the webhooks' own events. A record that fails ends the batch there and is
 * reported (partial batch response): Lambda retries from it, and the records before it, done, are not
 * redone.
 */
public final class FanoutBatch {
    private final EventFanout fanout;
    private final EventAnnouncer announcer;

    public FanoutBatch(EventFanout fanout, EventAnnouncer announcer) {
        this.fanout = fanout;
        this.announcer = announcer;
    }

    public StreamsEventResponse handle(DynamodbEvent event) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        int published = 0;
        int deliveries = 0;
        Map<TenantId, List<WebhookEndpoint>> endpointsOf = new HashMap<>();
        if (event != null && event.getRecords() != null) {
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                DynamodbEvent one = new DynamodbEvent();
                one.setRecords(List.of(record));
                try {
                    for (TableChange change : TableChange.of(one)) {
                        EventFanout.StoredEvent stored = WebhookStreamRecords.storedEvent(change);
                        if (stored != null) {
                            EventFanout.Result r = fanout.fanOut(stored, endpointsOf);
                            published += r.published() ? 1 : 0;
                            deliveries += r.deliveries();
                        } else if (WebhookStreamRecords.isEndpointChange(change)) {
                            announcer.announce(List.of(change));
                        }
                    }
                } catch (RuntimeException e) {
                    Log.warn("webhook fan-out failed; the stream retries from this record", Log.describe(e));
                    String seq = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                    failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build());
                    break;
                }
            }
        }
        Log.info("events fanned out", Map.of("published", published, "deliveries", deliveries));
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}
