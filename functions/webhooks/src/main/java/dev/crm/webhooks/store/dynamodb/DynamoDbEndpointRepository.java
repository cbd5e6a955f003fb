package dev.crm.webhooks.store.dynamodb;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.store.dynamodb.DynamoDbIdempotencyRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.EndpointRepository;
import dev.crm.webhooks.domain.SigningSecret;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link EndpointRepository} on the single table (docs/data-model.md, "Webhooks"): one item per
 * endpoint in the tenant's {@code {t}#WEBHOOKS} partition, sort key the endpoint id.
 *
 * <p>Hand-mapped with {@link Attr} and written with the low-level client: the secrets are a list of
 * maps, replace must {@code REMOVE} optional attributes, and the keyed writes carry the idempotency
 * record's completion (another adapter's low-level item) in their transaction, none of which the
 * Enhanced Client's static schemas say simply.
 */
public final class DynamoDbEndpointRepository implements EndpointRepository {
    static final String ENTITY = "WEBHOOK_ENDPOINT";

    private final Table table;

    public DynamoDbEndpointRepository(Table table) {
        this.table = table;
    }

    // ---- mapping ----

    static Map<String, AttributeValue> item(WebhookEndpoint e) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(WebhookKeys.endpoints(e.tenant()), e.id()));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(e.tenant().value()));
        item.put("endpointId", Attr.s(e.id()));
        item.put("url", Attr.s(e.url()));
        item.put("eventTypes", Attr.ss(e.eventTypes()));
        if (e.description() != null) {
            item.put("description", Attr.s(e.description()));
        }
        item.put("enabled", Attr.bool(e.enabled()));
        if (e.disabledReason() != null) {
            item.put("disabledReason", Attr.s(e.disabledReason()));
        }
        if (e.disabledAt() != null) {
            item.put("disabledAt", Attr.instant(e.disabledAt()));
        }
        item.put("secrets", secrets(e.secrets()));
        if (e.failingSince() != null) {
            item.put("failingSince", Attr.instant(e.failingSince()));
        }
        item.put("createdAt", Attr.instant(e.createdAt()));
        item.put("updatedAt", Attr.instant(e.updatedAt()));
        item.put("version", Attr.n(e.version()));
        return item;
    }

    private static AttributeValue secrets(List<SigningSecret> secrets) {
        List<AttributeValue> out = new ArrayList<>(secrets.size());
        for (SigningSecret s : secrets) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            m.put("value", Attr.s(s.value()));
            if (s.retiresAt() != null) {
                m.put("retiresAt", Attr.instant(s.retiresAt()));
            }
            out.add(AttributeValue.fromM(m));
        }
        return AttributeValue.fromL(out);
    }

    static WebhookEndpoint endpoint(Map<String, AttributeValue> item) {
        List<SigningSecret> secrets = new ArrayList<>();
        AttributeValue list = item.get("secrets");
        if (list != null && list.hasL()) {
            for (AttributeValue a : list.l()) {
                secrets.add(new SigningSecret(Attr.str(a.m(), "value"), Attr.instant(a.m(), "retiresAt")));
            }
        }
        return new WebhookEndpoint(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "endpointId"),
                Attr.str(item, "url"), Attr.strings(item, "eventTypes"), Attr.str(item, "description"),
                Attr.bool(item, "enabled"), Attr.str(item, "disabledReason"), Attr.instant(item, "disabledAt"), secrets,
                Attr.instant(item, "failingSince"), Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"),
                Attr.num(item, "version", 1));
    }

    private static Map<String, AttributeValue> key(TenantId tenant, String id) {
        return Table.key(WebhookKeys.endpoints(tenant), id);
    }

    // ---- operations ----

    @Override
    public void create(WebhookEndpoint endpoint, IdempotencyCompletion completion) {
        // The cap is read first (one small partition, at most 20 items). Two creates racing at 19 can
        // both pass; the fan-out reads every endpoint, so the cap bounds cost, not correctness.
        if (count(endpoint.tenant()) >= MAX_PER_TENANT) {
            throw new StoreException.LimitReached("at most " + MAX_PER_TENANT + " webhook endpoints per tenant");
        }
        Map<String, AttributeValue> item = item(endpoint);
        if (completion == null) {
            try {
                table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(PK)").build());
            } catch (ConditionalCheckFailedException e) {
                throw new IllegalStateException("endpoint id taken");
            }
            return;
        }
        List<TransactWriteItem> tx = List.of(table.putIfAbsent(item),
                DynamoDbIdempotencyRepository.completionWrite(table, completion));
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(1)) {
                throw new StoreException.Contention();
            }
            if (f.conditionFailed(0)) {
                throw new IllegalStateException("endpoint id taken");
            }
            throw f.storeOutcome();
        }
    }

    private int count(TenantId tenant) {
        var r = table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(WebhookKeys.endpoints(tenant))))
                .select(Select.COUNT).consistentRead(true).build());
        return r.count();
    }

    @Override
    public Optional<WebhookEndpoint> find(TenantId tenant, String id) {
        var item = table.get(WebhookKeys.endpoints(tenant), id);
        return item == null ? Optional.empty() : Optional.of(endpoint(item));
    }

    @Override
    public Slice<WebhookEndpoint> list(TenantId tenant, Cursor after, int limit) {
        // One more than asked: the cursor is written only when another page really follows.
        var q = QueryRequest.builder().tableName(table.name()).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(WebhookKeys.endpoints(tenant))))
                .limit(limit + 1).consistentRead(true);
        if (after != null) {
            q.exclusiveStartKey(key(tenant, after.value()));
        }
        List<WebhookEndpoint> found = table.client().query(q.build()).items().stream()
                .map(DynamoDbEndpointRepository::endpoint).toList();
        if (found.size() <= limit) {
            return Slice.last(found);
        }
        List<WebhookEndpoint> page = found.subList(0, limit);
        return new Slice<>(page, new Cursor(page.get(limit - 1).id()));
    }

    @Override
    public List<WebhookEndpoint> all(TenantId tenant) {
        List<WebhookEndpoint> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name()).keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(WebhookKeys.endpoints(tenant)))).consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var r = table.client().query(q.build());
            r.items().forEach(i -> out.add(endpoint(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public WebhookEndpoint replace(WebhookEndpoint updated, long expectedVersion, IdempotencyCompletion completion) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names.put("#url", "url");
        values.put(":url", Attr.s(updated.url()));
        set.add("#url = :url");
        values.put(":types", Attr.ss(updated.eventTypes()));
        set.add("eventTypes = :types");
        optional("description", updated.description() == null ? null : Attr.s(updated.description()), set, remove, values);
        values.put(":enabled", Attr.bool(updated.enabled()));
        set.add("enabled = :enabled");
        optional("disabledReason", updated.disabledReason() == null ? null : Attr.s(updated.disabledReason()), set,
                remove, values);
        optional("disabledAt", updated.disabledAt() == null ? null : Attr.instant(updated.disabledAt()), set, remove,
                values);
        values.put(":secrets", secrets(updated.secrets()));
        set.add("secrets = :secrets");
        values.put(":updatedAt", Attr.instant(updated.updatedAt()));
        set.add("updatedAt = :updatedAt");
        values.put(":next", Attr.n(expectedVersion + 1));
        set.add("version = :next");
        if (updated.failingSince() == null) {
            remove.add("failingSince"); // the deliverer's attribute: cleared, never set here
        }
        values.put(":v", Attr.n(expectedVersion));
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String condition = "attribute_exists(PK) AND version = :v";
        Map<String, AttributeValue> key = key(updated.tenant(), updated.id());
        if (completion == null) {
            try {
                var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key)
                        .updateExpression(expression).conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW).build());
                return endpoint(r.attributes());
            } catch (ConditionalCheckFailedException e) {
                throw conflictOrGone(updated.tenant(), updated.id());
            }
        }
        List<TransactWriteItem> tx = List.of(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(key).updateExpression(expression).conditionExpression(condition).expressionAttributeNames(names)
                .expressionAttributeValues(values).build()).build(),
                DynamoDbIdempotencyRepository.completionWrite(table, completion));
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(1)) {
                throw new StoreException.Contention();
            }
            if (f.conditionFailed(0)) {
                throw conflictOrGone(updated.tenant(), updated.id());
            }
            throw f.storeOutcome();
        }
        return find(updated.tenant(), updated.id()).orElseThrow(StoreException.NotFound::new);
    }

    private static void optional(String name, AttributeValue value, List<String> set, List<String> remove,
            Map<String, AttributeValue> values) {
        if (value == null) {
            remove.add(name);
        } else {
            values.put(":" + name, value);
            set.add(name + " = :" + name);
        }
    }

    private StoreException conflictOrGone(TenantId tenant, String id) {
        return table.get(WebhookKeys.endpoints(tenant), id) == null ? new StoreException.NotFound()
                : new StoreException.VersionConflict();
    }

    @Override
    public boolean delete(TenantId tenant, String id, long expectedVersion) {
        try {
            table.client().deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key(tenant, id))
                    .conditionExpression("attribute_exists(PK) AND version = :v")
                    .expressionAttributeValues(Map.of(":v", Attr.n(expectedVersion))).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            if (table.get(WebhookKeys.endpoints(tenant), id) == null) {
                return false;
            }
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public void deliveredTo(TenantId tenant, String id) {
        // Conditioned on a running failure: a success on a healthy endpoint writes nothing (and
        // makes no stream record).
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(tenant, id))
                    .updateExpression("REMOVE failingSince")
                    .conditionExpression("attribute_exists(PK) AND attribute_exists(failingSince)").build());
        } catch (ConditionalCheckFailedException e) {
            // no run of failures, or the endpoint is gone
        }
    }

    @Override
    public Instant failedAt(TenantId tenant, String id, Instant at) {
        // Only the first failure of a run writes; later ones read the run's start.
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(tenant, id))
                    .updateExpression("SET failingSince = :at")
                    .conditionExpression("attribute_exists(PK) AND attribute_not_exists(failingSince)")
                    .expressionAttributeValues(Map.of(":at", Attr.instant(at))).build());
            return at;
        } catch (ConditionalCheckFailedException e) {
            var item = table.get(WebhookKeys.endpoints(tenant), id);
            Instant since = item == null ? null : Attr.instant(item, "failingSince");
            return since == null ? at : since;
        }
    }

    @Override
    public boolean disable(TenantId tenant, String id, String reason, Instant at) {
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(tenant, id))
                    .updateExpression("SET enabled = :off, disabledReason = :reason, disabledAt = :at, updatedAt = :at, "
                            + "version = version + :one")
                    .conditionExpression("attribute_exists(PK) AND enabled = :on")
                    .expressionAttributeValues(Map.of(":off", Attr.bool(false), ":on", Attr.bool(true),
                            ":reason", Attr.s(reason), ":at", Attr.instant(at), ":one", Attr.n(1)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
