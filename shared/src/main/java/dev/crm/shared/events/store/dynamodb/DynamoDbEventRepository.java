package dev.crm.shared.events.store.dynamodb;

import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Events on the single table (docs/data-model.md, "Events"): one item per event, kept 30 days.
 * Mapped by hand (the item is written once and read whole).
 */
public final class DynamoDbEventRepository implements EventRepository {
    static final String ENTITY = "EVENT";
    /** How long a stored event (and so what a replay can re-send) is kept. */
    public static final Duration RETENTION = Duration.ofDays(30);

    private final Table table;
    private final java.time.Clock clock;

    public DynamoDbEventRepository(Table table, java.time.Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    static Map<String, AttributeValue> key(TenantId tenant, String eventId, String personalDataOf) {
        return personalDataOf == null
                ? Table.key(Keys.event(tenant, eventId), Keys.ITEM)
                : Table.key(Keys.contact(tenant, personalDataOf), Keys.contactEvent(eventId));
    }

    /**
     * The stored event's item. Public for a writer that must store an event in the transaction of the
     * change it announces (a journey step's custom event or case request: docs/architecture.md, "Journeys").
     */
    public static Map<String, AttributeValue> item(Event event) {
        Map<String, AttributeValue> item = new HashMap<>(key(event.tenant(), event.id(), event.personalDataOf()));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(event.tenant().value()));
        item.put("eventId", Attr.s(event.id()));
        item.put("eventType", Attr.s(event.type()));
        item.put("source", Attr.s(event.source()));
        item.put("timestamp", Attr.instant(event.timestamp()));
        if (event.personalDataOf() != null) {
            item.put("contactId", Attr.s(event.personalDataOf()));
        }
        item.put("envelope", Attr.s(event.envelopeJson()));
        item.put(Table.TTL, Attr.ttl(event.timestamp().plus(RETENTION)));
        return item;
    }

    @Override
    public Outcome record(Event event) {
        Map<String, AttributeValue> key = key(event.tenant(), event.id(), event.personalDataOf());
        Map<String, AttributeValue> item = item(event);
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(PK)").build());
        } catch (ConditionalCheckFailedException e) {
            // Recorded by an earlier delivery of the same change; still checked below, since that
            // delivery may have stopped before its check.
        }
        if (event.personalDataOf() == null) {
            return Outcome.RECORDED;
        }
        // Erasure marks the profile before it deletes the partition: a profile read as active after
        // the put means the erasure (if any) lists the partition later and deletes this item with the
        // rest; any other state means this item may have come too late for it, so it goes now.
        Map<String, AttributeValue> profile = table.get(Keys.contact(event.tenant(), event.personalDataOf()),
                Keys.CONTACT_PROFILE);
        AttributeValue status = profile == null ? null : profile.get("status");
        if (status != null && "active".equals(status.s())) {
            return Outcome.RECORDED;
        }
        table.client().deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key).build());
        return Outcome.WITHHELD;
    }

    @Override
    public Optional<String> envelope(TenantId tenant, String eventId, String personalDataOf) {
        Map<String, AttributeValue> key = key(tenant, eventId, personalDataOf);
        Map<String, AttributeValue> item = table.get(key.get(Table.PK).s(), key.get(Table.SK).s());
        if (item == null || item.get("envelope") == null) {
            return Optional.empty();
        }
        AttributeValue ttl = item.get(Table.TTL);
        if (ttl != null && ttl.n() != null && Long.parseLong(ttl.n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item.get("envelope").s());
    }
}
