package dev.crm.webhooks.domain;

import dev.crm.shared.events.EventRepository;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two outlets of a stored event: the bus, and one pending delivery per enabled endpoint of the
 * event's own tenant that subscribes to its type. Run again for the same event (a retried stream
 * batch), it creates no second delivery; the bus may get the event twice (at-least-once: consumers
 * deduplicate on the envelope's id).
 */
public final class EventFanout {
    /** A stored event as the stream announced it: where to read its envelope. */
    public record StoredEvent(TenantId tenant, String eventId, String type, String personalDataOf, Instant timestamp) {}

    /** @param published whether it went to the bus; {@code deliveries} the new pending deliveries */
    public record Result(boolean published, int deliveries) {}

    private final EventRepository events;
    private final EndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final EventBus bus;
    private final Clock clock;

    public EventFanout(EventRepository events, EndpointRepository endpoints, DeliveryRepository deliveries, EventBus bus,
            Clock clock) {
        this.events = events;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.bus = bus;
        this.clock = clock;
    }

    public Result fanOut(StoredEvent e) {
        return fanOut(e, new HashMap<>());
    }

    /**
     * As {@link #fanOut(StoredEvent)}, reading each tenant's endpoints once per batch ({@code endpointsOf}
     * is the batch's memo: an endpoint created during the batch is met from the next one).
     */
    public Result fanOut(StoredEvent e, Map<TenantId, List<WebhookEndpoint>> endpointsOf) {
        if (EventTypes.WEBHOOK_TEST.equals(e.type()) || !EventTypes.SOURCES.containsKey(e.type())) {
            // a test message goes to its endpoint only (POST /v1/webhooks/{id}/test creates that delivery)
            return new Result(false, 0);
        }
        // Read again, not taken from the stream record: an event withheld or erased since it was
        // stored is not announced anywhere.
        Optional<String> envelope = events.envelope(e.tenant(), e.eventId(), e.personalDataOf());
        if (envelope.isEmpty()) {
            return new Result(false, 0);
        }
        bus.publish(EventTypes.sourceOf(e.type()), e.type(), envelope.get());
        Instant now = clock.instant();
        Instant expiresAt = (e.timestamp() == null ? now : e.timestamp()).plus(Delivery.RETENTION);
        int created = 0;
        for (WebhookEndpoint endpoint : endpointsOf.computeIfAbsent(e.tenant(), endpoints::all)) {
            if (!endpoint.tenant().equals(e.tenant()) || !endpoint.enabled() || !endpoint.subscribesTo(e.type())) {
                continue;
            }
            if (deliveries.createPending(Delivery.pending(e.tenant(), endpoint.id(), e.eventId(), e.type(),
                    e.personalDataOf(), now, expiresAt))) {
                created++;
            }
        }
        return new Result(true, created);
    }
}
