package dev.crm.journeys.store.dynamodb;

import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Times;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The stored events (docs/data-model.md, "Events") in a batch of table stream records, as journeys read them. */
public final class StoredEvents {
    static final String EVENT_ENTITY = "EVENT";

    private StoredEvents() {}

    @SuppressWarnings("unchecked")
    public static List<JourneyRepository.StoredEvent> of(List<TableChange> changes) {
        List<JourneyRepository.StoredEvent> out = new ArrayList<>();
        for (TableChange c : changes) {
            if (!c.isInsert() || !EVENT_ENTITY.equals(c.newS(Table.ENTITY)) || c.newS("envelope") == null) {
                continue;
            }
            Map<String, Object> envelope = (Map<String, Object>) Json.parse(c.newS("envelope"));
            Object data = envelope.get("data");
            Map<String, Object> d = data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            String type = c.newS("eventType");
            Event e = new Event(c.newS("eventId"), type, c.newS("source"), Times.parse((String) envelope.get("timestamp")),
                    new TenantId(c.newS("tenantId")), c.newS("contactId"), d);
            String contactId = c.newS("contactId") != null ? c.newS("contactId")
                    : d.get("contactId") instanceof String s ? s
                    : type.startsWith("contact.") && d.get("id") instanceof String s2 ? s2 : null;
            out.add(new JourneyRepository.StoredEvent(c.changeId(), e, contactId));
        }
        return out;
    }
}
