package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnRepositoryContract;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.testing.LocalDynamoDb;
import dev.crm.testing.TestHistories;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The adapter against DynamoDB Local, with items written as the other functions write them. */
class DynamoDbChurnRepositoryIT extends ChurnRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);
    private final DynamoDbChurnRepository repository = new DynamoDbChurnRepository(table);

    @Override
    protected ChurnRepository repository() {
        return repository;
    }

    @Override
    protected void givenCustomers(TenantId t, List<TestHistories.Customer> customers) {
        TestHistories.write(table, t, customers, NOW);
    }

    @Override
    protected void givenErased(TenantId t, String contactId) {
        table.client().updateItem(b -> b.tableName(table.name()).key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .updateExpression("SET #st = :a").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":a", Attr.s("anonymized"))));
    }

    @Override
    protected void givenPreferences(TenantId t, String contactId, Map<String, Object> view) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.PREFERENCES));
        item.put("view", Attr.of(view));
        item.put("version", Attr.n(1));
        item.put("contactId", Attr.s(contactId));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected void givenPurchase(TenantId t, String contactId, String interactionId, Instant at, BigDecimal amount,
            String currency) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", interactionId);
        data.put("type", "purchase");
        data.put("occurredAt", at.toString());
        data.put("value", Map.of("amount", amount.toPlainString(), "currency", currency));
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId),
                Keys.timeline(at, "interaction", interactionId)));
        item.put(Table.ENTITY, Attr.s("TIMELINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("kind", Attr.s("interaction"));
        item.put("contactId", Attr.s(contactId));
        item.put("data", Attr.of(data));
        item.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(contactId))));
        item.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(at) + "#" + contactId + "#" + interactionId));
        table.client().putItem(b -> b.tableName(table.name()).item(item));
    }

    @Override
    protected Map<String, Object> storedScore(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.CHURN_SCORE);
        return item == null ? null : Attr.map(item, "view");
    }
}
