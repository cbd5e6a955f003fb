package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A case's arrival entry: written once, in the transaction that creates the case (live or imported),
 * never changed (creation time and channel never change). The measures and the forecast read a time
 * range of them instead of every case of the tenant.
 */
public final class CaseArrivalItems {
    static final String ENTITY = "CASE_ARRIVAL";

    private CaseArrivalItems() {}

    /** The arrival entry of a new case. */
    public static Map<String, AttributeValue> item(SupportCase c) {
        Map<String, AttributeValue> item = new HashMap<>(
                Table.key(CaseMeasureKeys.arrivals(c.tenant()), CaseMeasureKeys.arrival(c.createdAt(), c.id())));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(c.tenant().value()));
        item.put("caseId", Attr.s(c.id()));
        item.put("createdAt", Attr.instant(c.createdAt()));
        item.put("channel", Attr.s(SupportCase.wire(c.channel())));
        return item;
    }
}
