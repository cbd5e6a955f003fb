package dev.crm.shared.tenant.store.dynamodb;

import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link TenantRepository} on the single table (docs/data-model.md, "Tenants and keys"). */
public final class DynamoDbTenantRepository implements TenantRepository {
    private final Table table;

    public DynamoDbTenantRepository(Table table) {
        this.table = table;
    }

    @Override
    public void create(Tenant tenant, ApiKeyRecord firstKey) {
        TenantId id = tenant.id();
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(put(mapping(Keys.slugMapping(tenant.slug()), "SLUG_MAPPING", id), true));
        Map<String, AttributeValue> registry = new HashMap<>(Table.key(Keys.TENANT_REGISTRY, id.value()));
        registry.put(Table.ENTITY, Attr.s("TENANT_REGISTRY"));
        registry.put("tenantId", Attr.s(id.value()));
        tx.add(put(registry, true));
        Map<String, AttributeValue> profile = tenantItem(tenant);
        profile.put("activeKeys", Attr.n(1));
        profile.put("activeAdminKeys", Attr.n(firstKey.scope() == Scope.ADMIN ? 1 : 0));
        tx.add(put(profile, true));
        tx.add(put(keyItem(firstKey), true));
        tx.add(put(keyMapping(firstKey), true));
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.UniqueViolation("slug", null);
            }
            throw f;
        }
    }

    @Override
    public Tenant find(TenantId id) {
        Map<String, AttributeValue> item = table.get(Keys.tenant(id), Keys.ITEM);
        return item == null ? null : fromItem(item);
    }

    @Override
    public TenantId findBySlug(String slug) {
        Map<String, AttributeValue> item = table.get(Keys.slugMapping(slug), Keys.ITEM);
        return item == null ? null : new TenantId(Attr.str(item, "tenantId"));
    }

    @Override
    public Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings, Instant now) {
        try {
            var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Table.key(Keys.tenant(id), Keys.ITEM))
                    .updateExpression("SET settings = :s, updatedAt = :u, version = version + :one")
                    .conditionExpression("version = :v AND #st = :active")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":s", Attr.of(settings.toJson()), ":u", Attr.instant(now),
                            ":one", Attr.n(1), ":v", Attr.n(expectedVersion), ":active", Attr.s("active")))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build());
            return fromItem(r.attributes());
        } catch (ConditionalCheckFailedException e) {
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public void createKey(ApiKeyRecord key) {
        boolean admin = key.scope() == Scope.ADMIN;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", Attr.n(1));
        values.put(":max", Attr.n(MAX_ACTIVE_KEYS));
        values.put(":active", Attr.s("active"));
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.tenant(key.tenantId()), Keys.ITEM))
                .updateExpression(admin ? "ADD activeKeys :one, activeAdminKeys :one" : "ADD activeKeys :one")
                .conditionExpression("activeKeys < :max AND #st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(values).build()).build());
        tx.add(put(keyItem(key), true));
        tx.add(put(keyMapping(key), true));
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.LimitReached("at most " + MAX_ACTIVE_KEYS + " active keys per tenant");
            }
            throw f;
        }
    }

    @Override
    public List<ApiKeyRecord> listKeys(TenantId id) {
        List<ApiKeyRecord> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.apiKeys(id))));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = table.client().query(b.build());
            for (var item : r.items()) {
                out.add(keyFromItem(item));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public void revokeKey(TenantId id, String keyId, Instant now) {
        Map<String, AttributeValue> item = table.get(Keys.apiKeys(id), keyId);
        if (item == null) {
            throw new StoreException.NotFound();
        }
        ApiKeyRecord key = keyFromItem(item);
        if (key.revokedAt() != null) {
            return; // revoking twice changes nothing
        }
        boolean admin = key.scope() == Scope.ADMIN;
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.apiKeys(id), keyId))
                .updateExpression("SET revokedAt = :now")
                .conditionExpression("attribute_exists(PK) AND attribute_not_exists(revokedAt)")
                .expressionAttributeValues(Map.of(":now", Attr.instant(now))).build()).build());
        tx.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Table.key(Keys.apiKeyMapping(key.keyHash()), Keys.ITEM)).build()).build());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":minus", Attr.n(-1));
        if (admin) {
            values.put(":one", Attr.n(1));
        }
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.tenant(id), Keys.ITEM))
                .updateExpression(admin ? "ADD activeKeys :minus, activeAdminKeys :minus" : "ADD activeKeys :minus")
                .conditionExpression(admin ? "activeAdminKeys > :one" : "attribute_exists(PK)")
                .expressionAttributeValues(values).build()).build());
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(2)) {
                throw new StoreException.LimitReached("the last admin key cannot be revoked");
            }
            if (f.conditionFailed(0)) {
                return; // revoked concurrently
            }
            throw f;
        }
    }

    @Override
    public ApiKeyRecord findByKeyHash(String keyHash) {
        Map<String, AttributeValue> mapping = table.get(Keys.apiKeyMapping(keyHash), Keys.ITEM);
        if (mapping == null) {
            return null;
        }
        TenantId tenant = new TenantId(Attr.str(mapping, "tenantId"));
        Map<String, AttributeValue> item = table.get(Keys.apiKeys(tenant), Attr.str(mapping, "keyId"));
        if (item == null) {
            return null;
        }
        ApiKeyRecord key = keyFromItem(item);
        return key.revokedAt() == null && keyHash.equals(key.keyHash()) ? key : null;
    }

    /**
     * Marks the tenant deprovisioning, removes its slug and every key lookup, and creates the job, in
     * one transaction: from this moment no key of the tenant authenticates.
     *
     * @return false when the tenant does not exist or is already being deprovisioned
     */
    @Override
    public boolean beginDeprovisioning(TenantId id, Instant now, dev.crm.shared.jobs.NewJob job) {
        Tenant tenant = find(id);
        if (tenant == null || tenant.status() != Tenant.Status.ACTIVE) {
            return false;
        }
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.tenant(id), Keys.ITEM))
                .updateExpression("SET #st = :dep, updatedAt = :u")
                .conditionExpression("#st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":dep", Attr.s("deprovisioning"), ":active", Attr.s("active"),
                        ":u", Attr.instant(now)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE)
                .build()).build());
        tx.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Table.key(Keys.slugMapping(tenant.slug()), Keys.ITEM)).build()).build());
        for (ApiKeyRecord k : listKeys(id)) {
            if (k.revokedAt() == null) {
                tx.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                        .key(Table.key(Keys.apiKeyMapping(k.keyHash()), Keys.ITEM)).build()).build());
            }
        }
        tx.add(DynamoDbJobRepository.createItem(table.name(), job, now));
        try {
            table.transact(tx);
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f;
        }
    }

    @Override
    public List<TenantId> listTenantIds() {
        List<TenantId> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.TENANT_REGISTRY)));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var r = table.client().query(b.build());
            for (var item : r.items()) {
                out.add(new TenantId(Attr.str(item, Table.SK)));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public DeprovisionSweep sweep(TenantId id, Cursor from, int pageSize) {
        // A full-table scan (operator path): the tenant's own partitions, and the system lookups
        // that name it. Job items stay, so the deprovisioning job can report on its own sweep.
        var b = ScanRequest.builder().tableName(table.name())
                .limit(pageSize)
                .projectionExpression("PK, SK")
                .filterExpression("(begins_with(PK, :prefix) OR tenantId = :tid) AND (attribute_not_exists(entity) OR entity <> :keep)")
                .expressionAttributeValues(Map.of(":prefix", Attr.s(Keys.tenantPrefix(id)), ":tid", Attr.s(id.value()),
                        ":keep", Attr.s(DynamoDbJobRepository.ENTITY)));
        Map<String, AttributeValue> start = Cursors.startKey(from);
        if (start != null) {
            b.exclusiveStartKey(start);
        }
        var page = table.client().scan(b.build());
        long deleted = 0;
        List<WriteRequest> batch = new ArrayList<>();
        for (var item : page.items()) {
            batch.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Table.key(item.get(Table.PK).s(), item.get(Table.SK).s())).build()).build());
            if (batch.size() == 25) {
                deleted += deleteBatch(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            deleted += deleteBatch(batch);
        }
        return new DeprovisionSweep(deleted, page.hasLastEvaluatedKey() ? Cursors.of(page.lastEvaluatedKey()) : null);
    }

    private long deleteBatch(List<WriteRequest> batch) {
        long count = batch.size();
        Map<String, List<WriteRequest>> pending = Map.of(table.name(), batch);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            var r = table.client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            if (!pending.isEmpty()) {
                if (attempt >= 8) {
                    throw new IllegalStateException("batch delete still throttled after retries");
                }
                try {
                    Thread.sleep(Math.min(1000, 25L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        return count;
    }

    // ---- mapping ----

    private TransactWriteItem put(Map<String, AttributeValue> item, boolean mustBeNew) {
        var p = Put.builder().tableName(table.name()).item(item);
        if (mustBeNew) {
            p.conditionExpression("attribute_not_exists(PK)");
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    private static Map<String, AttributeValue> mapping(String pk, String entity, TenantId tenant) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, Keys.ITEM));
        item.put(Table.ENTITY, Attr.s(entity));
        item.put("tenantId", Attr.s(tenant.value()));
        return item;
    }

    private static Map<String, AttributeValue> keyMapping(ApiKeyRecord key) {
        Map<String, AttributeValue> item = mapping(Keys.apiKeyMapping(key.keyHash()), "API_KEY_MAPPING", key.tenantId());
        item.put("keyId", Attr.s(key.keyId()));
        return item;
    }

    private static Map<String, AttributeValue> tenantItem(Tenant t) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.tenant(t.id()), Keys.ITEM));
        item.put(Table.ENTITY, Attr.s("TENANT"));
        item.put("tenantId", Attr.s(t.id().value()));
        item.put("name", Attr.s(t.name()));
        item.put("slug", Attr.s(t.slug()));
        item.put("status", Attr.s(t.status().name().toLowerCase(java.util.Locale.ROOT)));
        item.put("settings", Attr.of(t.settings().toJson()));
        item.put("secrets", Attr.of(t.secrets().toStored()));
        item.put("createdAt", Attr.instant(t.createdAt()));
        item.put("updatedAt", Attr.instant(t.updatedAt()));
        item.put("version", Attr.n(t.version()));
        return item;
    }

    public static Tenant fromItem(Map<String, AttributeValue> item) {
        return new Tenant(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "name"), Attr.str(item, "slug"),
                Tenant.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT)),
                TenantSettings.fromStored(Attr.map(item, "settings")),
                TenantSecrets.fromStored(Attr.map(item, "secrets")),
                Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"), Attr.num(item, "version", 1));
    }

    private static Map<String, AttributeValue> keyItem(ApiKeyRecord k) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.apiKeys(k.tenantId()), k.keyId()));
        item.put(Table.ENTITY, Attr.s("API_KEY"));
        item.put("tenantId", Attr.s(k.tenantId().value()));
        item.put("keyId", Attr.s(k.keyId()));
        item.put("name", Attr.s(k.name()));
        item.put("scope", Attr.s(k.scope().wire()));
        item.put("prefix", Attr.s(k.displayPrefix()));
        item.put("keyHash", Attr.s(k.keyHash()));
        item.put("createdAt", Attr.instant(k.createdAt()));
        if (k.expiresAt() != null) {
            item.put("keyExpiresAt", Attr.instant(k.expiresAt()));
        }
        return item;
    }

    private static ApiKeyRecord keyFromItem(Map<String, AttributeValue> item) {
        return new ApiKeyRecord(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "keyId"),
                Attr.str(item, "name"), Scope.fromWire(Attr.str(item, "scope")), Attr.str(item, "prefix"),
                Attr.str(item, "keyHash"), Attr.instant(item, "createdAt"), Attr.instant(item, "keyExpiresAt"),
                Attr.instant(item, "revokedAt"));
    }
}
