package dev.crm.bench.warm;

import dev.crm.bench.Fixtures;
import dev.crm.shared.store.Keys;
import dev.crm.shared.tenant.store.TenantRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The warm scenarios, one row each. To add one (create-contact, get-contact, contact decision,
 * survey submission, …): its sample must be in events/ (the handler is loaded from its function's
 * built artifact) and a row goes here with the raw-SDK equivalent of the DynamoDB calls its access
 * pattern (docs/data-model.md) makes, e.g.
 *
 * <pre>{@code
 * new Scenario("POST /v1/contacts", "POST /v1/contacts", 0, (db, table, f, i) -> db.transactWriteItems(…)),
 * }</pre>
 *
 * and, for the capacity table, a line in {@link CapacityReference}.
 */
public final class Scenarios {
    private Scenarios() {}

    public static final List<Scenario> ALL = List.of(
            new Scenario("GET /v1/tenant", "GET /v1/tenant", 0, Scenarios::getTenant),
            // each tenant takes at most 50 active keys: leave room for the fixture's own two
            new Scenario("POST /v1/tenant/keys", "POST /v1/tenant/keys", TenantRepository.MAX_ACTIVE_KEYS - 5,
                    Scenarios::createKey),
            new Scenario("authorizer", "authorizer", 0, Scenarios::authorize));

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>(4);
        k.put("PK", AttributeValue.fromS(pk));
        k.put("SK", AttributeValue.fromS(sk));
        return k;
    }

    /** T3: one consistent GetItem of the tenant item. */
    static void getTenant(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        db.getItem(GetItemRequest.builder().tableName(table).key(key(Keys.tenant(f.tenant()), Keys.ITEM))
                .consistentRead(true).build());
    }

    /** T2: consistent GetItem of the key lookup, then of the key record it names. */
    static void authorize(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        var lookup = db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(Keys.apiKeyMapping(f.adminKeyHash()), Keys.ITEM)).consistentRead(true).build()).item();
        db.getItem(GetItemRequest.builder().tableName(table)
                .key(key(lookup.get("tenantId").s() + "#KEY", lookup.get("keyId").s())).consistentRead(true).build());
    }

    /** T5: one transaction: count the key on the tenant (capped), put the key, put its lookup. */
    static void createKey(DynamoDbClient db, String table, Fixtures.Fixture f, int i) {
        String tenant = f.tenant().value();
        String keyId = "key_raw" + f.token() + "n" + i;
        String hash = "rawhash" + f.token() + "n" + i;
        String now = java.time.Instant.now().toString();
        Map<String, AttributeValue> item = key(Keys.apiKeys(f.tenant()), keyId);
        item.put("entity", AttributeValue.fromS("API_KEY"));
        item.put("tenantId", AttributeValue.fromS(tenant));
        item.put("keyId", AttributeValue.fromS(keyId));
        item.put("name", AttributeValue.fromS("dashboard"));
        item.put("scope", AttributeValue.fromS("read"));
        item.put("prefix", AttributeValue.fromS("crm_live_ABCD"));
        item.put("keyHash", AttributeValue.fromS(hash));
        item.put("createdAt", AttributeValue.fromS(now));
        Map<String, AttributeValue> lookup = key(Keys.apiKeyMapping(hash), Keys.ITEM);
        lookup.put("entity", AttributeValue.fromS("API_KEY_MAPPING"));
        lookup.put("tenantId", AttributeValue.fromS(tenant));
        lookup.put("keyId", AttributeValue.fromS(keyId));
        db.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(key(Keys.tenant(f.tenant()), Keys.ITEM))
                        .updateExpression("ADD activeKeys :one")
                        .conditionExpression("activeKeys < :max AND #st = :active")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                ":max", AttributeValue.fromN(Integer.toString(TenantRepository.MAX_ACTIVE_KEYS)),
                                ":active", AttributeValue.fromS("active")))
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(lookup)
                        .conditionExpression("attribute_not_exists(PK)").build()).build())
                .build());
    }
}
