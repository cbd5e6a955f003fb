package dev.crm.webhooks.store.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.EventFanout;
import java.util.ArrayList;
import java.util.List;

/** Reads the webhooks function's stream records: stored events, endpoint changes, deliveries to send. */
public final class WebhookStreamRecords {
    /** The stored event items' entity (shared/events: DynamoDbEventRepository). */
    static final String EVENT_ENTITY = "EVENT";

    private WebhookStreamRecords() {}

    /** A stored event's insert, or null for any other change. */
    public static EventFanout.StoredEvent storedEvent(TableChange change) {
        if (!change.isInsert() || !EVENT_ENTITY.equals(change.newS(Table.ENTITY))) {
            return null;
        }
        var image = change.newImage();
        String tenant = Attr.str(image, "tenantId");
        String id = Attr.str(image, "eventId");
        String type = Attr.str(image, "eventType");
        if (tenant == null || id == null || type == null) {
            return null;
        }
        return new EventFanout.StoredEvent(new TenantId(tenant), id, type, Attr.str(image, "contactId"),
                Attr.instant(image, "timestamp"));
    }

    public static boolean isEndpointChange(TableChange change) {
        return DynamoDbEndpointRepository.ENTITY.equals(change.s(Table.ENTITY));
    }

    /** The deliveries the records carry (new or re-sent ones), each once, in order. */
    public static List<DeliveryRef> deliveries(DynamodbEvent event) {
        List<DeliveryRef> out = new ArrayList<>();
        for (TableChange c : TableChange.of(event)) {
            if (c.isRemove() || !DynamoDbDeliveryRepository.ENTITY.equals(c.newS(Table.ENTITY))) {
                continue;
            }
            DeliveryRef ref = DynamoDbDeliveryRepository.ref(c.newS(Table.PK), c.newS(Table.SK));
            if (ref != null && !out.contains(ref)) {
                out.add(ref);
            }
        }
        return out;
    }
}
