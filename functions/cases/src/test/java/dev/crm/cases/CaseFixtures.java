package dev.crm.cases;

import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** What the case suites store besides cases: the contacts function's items, as it writes them. */
final class CaseFixtures {
    private CaseFixtures() {}

    /** A contact's profile item with this {@code status} (only what cases read); answers its id. */
    static String contact(Infrastructure infra, TenantId t, String status) {
        String id = Ids.random("ct_", 20);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s(status));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
        return id;
    }
}
