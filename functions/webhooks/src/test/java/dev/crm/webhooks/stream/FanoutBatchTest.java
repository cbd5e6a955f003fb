package dev.crm.webhooks.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.memory.InMemoryEventRepository;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.EventFanout;
import dev.crm.webhooks.domain.SigningSecret;
import dev.crm.webhooks.domain.WebhookEndpoint;
import dev.crm.webhooks.store.dynamodb.WebhookChangeDecoder;
import dev.crm.webhooks.store.memory.InMemoryDeliveryRepository;
import dev.crm.webhooks.store.memory.InMemoryEndpointRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The fan-out's stream batches on fakes: a failed record is reported by its sequence number and ends the batch. */
class FanoutBatchTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final TenantId tenant = TenantId.generate();
    private final InMemoryEventRepository events = new InMemoryEventRepository();
    private final InMemoryEndpointRepository endpoints = new InMemoryEndpointRepository();
    private final InMemoryDeliveryRepository deliveries = new InMemoryDeliveryRepository();
    private final List<String> published = new ArrayList<>();
    /** Event ids the bus refuses (an outage seen by one record). */
    private final Set<String> busRefuses = new HashSet<>();
    private final FanoutBatch batch = new FanoutBatch(new EventFanout(events, endpoints, deliveries, (source, type, envelope) -> {
        if (busRefuses.stream().anyMatch(envelope::contains)) {
            throw new IllegalStateException("bus unavailable");
        }
        published.add(envelope);
    }, clock), new EventAnnouncer(new WebhookChangeDecoder(), events));
    private int sequence = 100;

    private WebhookEndpoint endpoint() {
        Instant now = clock.instant();
        WebhookEndpoint e = new WebhookEndpoint(tenant, Ids.random(WebhookEndpoint.ID_PREFIX, 20),
                "https://hooks.example.com/crm", List.of("*"), null, true, null, null, List.of(SigningSecret.generate()),
                null, now, now, 1);
        endpoints.create(e);
        return e;
    }

    /** A stored event and its item's stream image (the attributes the fan-out reads). */
    private Map<String, AttributeValue> stored(String eventId) {
        Instant now = clock.instant();
        events.record(new Event(eventId, EventTypes.CONTACT_CREATED, "crm.contacts", now, tenant, null, Map.of("id", "c_1")));
        Map<String, AttributeValue> item = new HashMap<>(Table.key(tenant.value() + "#EV#" + eventId, "ITEM"));
        item.put(Table.ENTITY, Attr.s("EVENT"));
        item.put("tenantId", Attr.s(tenant.value()));
        item.put("eventId", Attr.s(eventId));
        item.put("eventType", Attr.s(EventTypes.CONTACT_CREATED));
        item.put("timestamp", Attr.instant(now));
        return item;
    }

    @SafeVarargs
    private DynamodbEvent batchOf(Map<String, AttributeValue>... items) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            var r = StreamRecords.change("rec-" + (++sequence), clock.instant(), null, item).getRecords().get(0);
            r.getDynamodb().setSequenceNumber("5100000000000000000" + sequence);
            records.add(r);
        }
        DynamodbEvent e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private static List<String> reported(StreamsEventResponse r) {
        return r.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void aFailedRecordIsReportedByItsSequenceNumberAndTheRecordsAfterItWaitForTheRetry() {
        WebhookEndpoint endpoint = endpoint();
        String e1 = EventIds.derive(clock.instant(), "it", "one");
        String e2 = EventIds.derive(clock.instant(), "it", "two");
        String e3 = EventIds.derive(clock.instant(), "it", "three");
        busRefuses.add(e2);

        DynamodbEvent records = batchOf(stored(e1), stored(e2), stored(e3));
        StreamsEventResponse response = batch.handle(records);

        String second = records.getRecords().get(1).getDynamodb().getSequenceNumber();
        assertEquals(List.of(second), reported(response), "the 2nd record's sequence number, not its event id");
        assertTrue(deliveries.find(new DeliveryRef(tenant, endpoint.id(), e1)).isPresent(), "the record before it is done");
        assertTrue(deliveries.find(new DeliveryRef(tenant, endpoint.id(), e3)).isEmpty(),
                "the record after it is not processed: it comes again with the retry");
        assertEquals(1, published.size());

        // Lambda's retry starts at the reported record
        busRefuses.clear();
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(records.getRecords().subList(1, 3));
        assertEquals(List.of(), reported(batch.handle(retry)));
        assertTrue(deliveries.find(new DeliveryRef(tenant, endpoint.id(), e2)).isPresent());
        assertTrue(deliveries.find(new DeliveryRef(tenant, endpoint.id(), e3)).isPresent());
        assertEquals(3, published.size(), "each event published once: the first record was not redone");
    }
}
