package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.RequestedCases;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The case requests in a batch of table changes: stored events (entity {@code EVENT}) of type
 * {@code journey.case_requested} as inserted, read from their envelope (docs/events/journey.case_requested.json).
 * Anything else is no request (the template's stream filter selects the same).
 */
public final class CaseRequestDecoder {
    private CaseRequestDecoder() {}

    public static List<RequestedCases.Request> requests(List<TableChange> changes) {
        List<RequestedCases.Request> out = new ArrayList<>();
        for (TableChange change : changes) {
            var item = change.newImage();
            if (!change.isInsert() || !"EVENT".equals(Attr.str(item, Table.ENTITY))
                    || !EventTypes.JOURNEY_CASE_REQUESTED.equals(Attr.str(item, "eventType"))) {
                continue;
            }
            String tenant = Attr.str(item, "tenantId");
            String envelope = Attr.str(item, "envelope");
            if (tenant == null || envelope == null || !(Json.parse(envelope) instanceof Map<?, ?> e)
                    || !tenant.equals(e.get("tenantId")) || !(e.get("data") instanceof Map<?, ?> data)) {
                continue; // not stored as the journeys function stores a request
            }
            out.add(new RequestedCases.Request(new TenantId(tenant), str(data, "requestId"), str(data, "contactId"),
                    str(data, "subject"), str(data, "description"), str(data, "priority"), str(data, "category"),
                    str(data, "channel")));
        }
        return out;
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }
}
