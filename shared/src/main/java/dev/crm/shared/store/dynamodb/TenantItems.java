package dev.crm.shared.store.dynamodb;

import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The {@code TenantItems} index (template.yaml; docs/data-model.md, "Tenant items"): every item a
 * tenant owns carries {@code tenantShard = {tenantId}#{0..7}}, so deprovisioning queries the tenant's
 * items instead of scanning the table.
 *
 * <p>{@link Table} wraps its client in this one, so the attribute is set on every write an adapter
 * sends (put, update, transaction, batch) and taken off every item an adapter reads: no adapter
 * writes or sees it, an adapter written tomorrow cannot forget it, and an item forgotten would
 * outlive its tenant's deprovisioning. A wrapper rather than an SDK interceptor, so it holds for
 * whatever client the {@code Table} is given (tests, the bench, the local runner build their own).
 *
 * <p>The tenant is the partition key's prefix ({@code t_…#}), or, for a system lookup, its
 * {@code tenantId} attribute (puts only: lookups are put, never upserted). The shard is a hash of
 * the item's keys, the same on every write of the item, so a rewrite never moves its index entry
 * (an index write happens only when an item enters or leaves: 1 WCU each, the entry being small).
 */
public final class TenantItems implements DynamoDbClient {
    public static final String INDEX = "TenantItems";
    public static final String ATTRIBUTE = "tenantShard";
    /** One tenant's index writes spread over this many index partitions (an import is not one hot key). */
    public static final int SHARDS = 8;

    private static final String NAME = "#crmTenantShard";
    private static final String VALUE = ":crmTenantShard";
    /** The SET clause's keyword: a bare word (SET is reserved, so no attribute is spelled so). */
    private static final Pattern SET_CLAUSE = Pattern.compile("(?i)(^|\\s)SET\\s");

    public static String shard(TenantId tenant, int shard) {
        return tenant.value() + "#" + shard;
    }

    /** The attribute's value for an item, or null for an item no tenant owns. */
    static String valueFor(Map<String, AttributeValue> key, AttributeValue tenantAttribute) {
        String pk = string(key.get(Table.PK));
        String sk = string(key.get(Table.SK));
        if (pk == null || sk == null) {
            return null;
        }
        String tenant = null;
        int hash = pk.indexOf('#');
        if (hash > 0 && TenantId.isValid(pk.substring(0, hash))) {
            tenant = pk.substring(0, hash);
        } else if (tenantAttribute != null && TenantId.isValid(tenantAttribute.s())) {
            tenant = tenantAttribute.s();
        }
        if (tenant == null) {
            return null;
        }
        // String.hashCode is specified by the language, so every process computes the same shard.
        return tenant + "#" + Math.floorMod((pk + "\u0000" + sk).hashCode(), SHARDS);
    }

    private final DynamoDbClient client;

    private TenantItems(DynamoDbClient client) {
        this.client = client;
    }

    /** {@code client} with tenant items tagged on the way in and untagged on the way out (idempotent). */
    public static DynamoDbClient wrap(DynamoDbClient client) {
        return client instanceof TenantItems ? client : new TenantItems(client);
    }

    // ---- writes: the attribute set ----

    @Override
    public PutItemResponse putItem(PutItemRequest p) {
        Map<String, AttributeValue> item = tagged(p.item());
        PutItemResponse r = client.putItem(item == p.item() ? p : p.toBuilder().item(item).build());
        return r.hasAttributes() && r.attributes().containsKey(ATTRIBUTE) ? r.toBuilder().attributes(untagged(r.attributes())).build() : r;
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest u) {
        UpdateItemResponse r = client.updateItem(update(u));
        return r.hasAttributes() && r.attributes().containsKey(ATTRIBUTE) ? r.toBuilder().attributes(untagged(r.attributes())).build() : r;
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest t) {
        return client.transactWriteItems(transaction(t));
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest b) {
        return client.batchWriteItem(batch(b));
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest d) {
        DeleteItemResponse r = client.deleteItem(d);
        return r.hasAttributes() && r.attributes().containsKey(ATTRIBUTE) ? r.toBuilder().attributes(untagged(r.attributes())).build() : r;
    }

    // ---- reads: the attribute taken off (keys, LastEvaluatedKey included, stay as they are) ----

    @Override
    public GetItemResponse getItem(GetItemRequest g) {
        GetItemResponse r = client.getItem(g);
        return r.hasItem() && r.item().containsKey(ATTRIBUTE) ? r.toBuilder().item(untagged(r.item())).build() : r;
    }

    @Override
    public QueryResponse query(QueryRequest q) {
        QueryResponse r = client.query(q);
        List<Map<String, AttributeValue>> items = untagged(r.items());
        return items == r.items() ? r : r.toBuilder().items(items).build();
    }

    @Override
    public ScanResponse scan(ScanRequest s) {
        ScanResponse r = client.scan(s);
        List<Map<String, AttributeValue>> items = untagged(r.items());
        return items == r.items() ? r : r.toBuilder().items(items).build();
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest b) {
        BatchGetItemResponse r = client.batchGetItem(b);
        if (!r.hasResponses()) {
            return r;
        }
        Map<String, List<Map<String, AttributeValue>>> out = new LinkedHashMap<>();
        boolean changed = false;
        for (var e : r.responses().entrySet()) {
            List<Map<String, AttributeValue>> items = untagged(e.getValue());
            changed |= items != e.getValue();
            out.put(e.getKey(), items);
        }
        return changed ? r.toBuilder().responses(out).build() : r;
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest t) {
        TransactGetItemsResponse r = client.transactGetItems(t);
        if (!r.hasResponses()) {
            return r;
        }
        List<ItemResponse> out = new ArrayList<>(r.responses().size());
        boolean changed = false;
        for (ItemResponse i : r.responses()) {
            if (i != null && i.hasItem() && i.item().containsKey(ATTRIBUTE)) {
                out.add(i.toBuilder().item(untagged(i.item())).build());
                changed = true;
            } else {
                out.add(i);
            }
        }
        return changed ? r.toBuilder().responses(out).build() : r;
    }

    // ---- the rest, as the client does it ----

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest d) {
        return client.describeTable(d);
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return client.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return client.serviceName();
    }

    @Override
    public void close() {
        client.close();
    }

    private static Map<String, AttributeValue> untagged(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>(item);
        out.remove(ATTRIBUTE);
        return out;
    }

    private static List<Map<String, AttributeValue>> untagged(List<Map<String, AttributeValue>> items) {
        if (items == null || items.stream().noneMatch(i -> i.containsKey(ATTRIBUTE))) {
            return items;
        }
        List<Map<String, AttributeValue>> out = new ArrayList<>(items.size());
        for (var i : items) {
            out.add(i.containsKey(ATTRIBUTE) ? untagged(i) : i);
        }
        return out;
    }

    /** The item with the attribute set (overwriting a copied one), or the same map when no tenant owns it. */
    static Map<String, AttributeValue> tagged(Map<String, AttributeValue> item) {
        String value = valueFor(item, item.get("tenantId"));
        if (value == null || value.equals(string(item.get(ATTRIBUTE)))) {
            return item;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>(item);
        out.put(ATTRIBUTE, AttributeValue.fromS(value));
        return out;
    }

    private static UpdateItemRequest update(UpdateItemRequest u) {
        String value = valueFor(u.key(), null);
        if (value == null) {
            return u;
        }
        if (u.updateExpression() == null) {
            if (!u.hasAttributeUpdates()) {
                return u;
            }
            Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>(u.attributeUpdates());
            updates.put(ATTRIBUTE, AttributeValueUpdate.builder().action(AttributeAction.PUT)
                    .value(AttributeValue.fromS(value)).build());
            return u.toBuilder().attributeUpdates(updates).build();
        }
        Expression e = Expression.of(u.updateExpression(), u.expressionAttributeNames(), u.expressionAttributeValues(), value);
        return u.toBuilder().updateExpression(e.expression).expressionAttributeNames(e.names)
                .expressionAttributeValues(e.values).build();
    }

    private static TransactWriteItemsRequest transaction(TransactWriteItemsRequest t) {
        List<TransactWriteItem> items = new ArrayList<>(t.transactItems().size());
        boolean changed = false;
        for (TransactWriteItem item : t.transactItems()) {
            TransactWriteItem out = item;
            if (item.put() != null) {
                Map<String, AttributeValue> tagged = tagged(item.put().item());
                if (tagged != item.put().item()) {
                    out = item.toBuilder().put(item.put().toBuilder().item(tagged).build()).build();
                }
            } else if (item.update() != null) {
                Update u = item.update();
                String value = valueFor(u.key(), null);
                if (value != null) {
                    Expression e = Expression.of(u.updateExpression(), u.expressionAttributeNames(),
                            u.expressionAttributeValues(), value);
                    out = item.toBuilder().update(u.toBuilder().updateExpression(e.expression)
                            .expressionAttributeNames(e.names).expressionAttributeValues(e.values).build()).build();
                }
            }
            changed |= out != item;
            items.add(out);
        }
        return changed ? t.toBuilder().transactItems(items).build() : t;
    }

    private static BatchWriteItemRequest batch(BatchWriteItemRequest b) {
        Map<String, List<WriteRequest>> tables = new LinkedHashMap<>();
        boolean changed = false;
        for (var entry : b.requestItems().entrySet()) {
            List<WriteRequest> out = new ArrayList<>(entry.getValue().size());
            for (WriteRequest w : entry.getValue()) {
                PutRequest put = w.putRequest();
                Map<String, AttributeValue> tagged = put == null ? null : tagged(put.item());
                if (tagged != null && tagged != put.item()) {
                    out.add(w.toBuilder().putRequest(put.toBuilder().item(tagged).build()).build());
                    changed = true;
                } else {
                    out.add(w);
                }
            }
            tables.put(entry.getKey(), out);
        }
        return changed ? b.toBuilder().requestItems(tables).build() : b;
    }

    /** An update expression with {@code SET tenantShard} merged into its SET clause (one per expression). */
    record Expression(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        static Expression of(String expression, Map<String, String> names, Map<String, AttributeValue> values, String value) {
            Map<String, String> n = new HashMap<>(names == null ? Map.of() : names);
            Map<String, AttributeValue> v = new HashMap<>(values == null ? Map.of() : values);
            n.put(NAME, ATTRIBUTE);
            v.put(VALUE, AttributeValue.fromS(value));
            String assignment = NAME + " = " + VALUE;
            String text = expression == null ? "" : expression;
            Matcher set = SET_CLAUSE.matcher(text);
            String out = set.find()
                    ? text.substring(0, set.end()) + assignment + ", " + text.substring(set.end())
                    : "SET " + assignment + (text.isBlank() ? "" : " " + text);
            return new Expression(out, n, v);
        }
    }

    private static String string(AttributeValue v) {
        return v == null ? null : v.s();
    }
}
