package dev.crm.shared.tenant.store.dynamodb;

import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.store.dynamodb.DynamoDbIdempotencyRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.DeprovisionSweep;
import dev.crm.shared.store.dynamodb.TenantItems;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.IgnoreNullsMode;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link TenantRepository} on the single table (docs/data-model.md, "Tenants and keys"): the tenant,
 * its API keys and the lookups that name it (slug, key hash, registry), each mapped with a static
 * schema.
 */
public final class DynamoDbTenantRepository implements TenantRepository {
    private static final String TENANT = "TENANT";
    private static final String API_KEY = "API_KEY";
    private static final String SLUG_MAPPING = "SLUG_MAPPING";
    private static final String API_KEY_MAPPING = "API_KEY_MAPPING";
    private static final String TENANT_REGISTRY = "TENANT_REGISTRY";
    private static final String ACTIVE = "active";

    /** The tenant item; {@code activeKeys}/{@code activeAdminKeys} count the keys that authenticate. */
    static final class TenantItem {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String name;
        String slug;
        String status;
        Map<String, Object> settings;
        Map<String, Object> secrets;
        Long activeKeys;
        Long activeAdminKeys;
        Instant createdAt;
        Instant updatedAt;
        Long version;
    }

    /** An API key item (never the secret: {@code keyHash} only). */
    static final class KeyItem {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String keyId;
        String name;
        String scope;
        String prefix;
        String keyHash;
        Instant createdAt;
        Instant keyExpiresAt;
        Instant revokedAt;
    }

    /** A system lookup (slug or key hash to tenant) or a registry entry: nothing but the mapping. */
    static final class LookupItem {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String keyId;
    }

    private static final EnhancedType<Map<String, Object>> DOCUMENT = Converters.DOCUMENT.type();

    /*
     * Each schema lives in a holder class, so it is built when a request first needs it, not with the
     * repository: a cold start builds only its request's schemas (each attribute spins three lambda
     * classes). For SnapStart, Infrastructure primes them all before the snapshot (buildSchemas).
     */
    private static final class TenantSchema {
        static final TableSchema<TenantItem> SCHEMA = StaticTableSchema.builder(TenantItem.class)
                .newItemSupplier(TenantItem::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                        .tags(StaticAttributeTags.primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                        .tags(StaticAttributeTags.primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
                .addAttribute(String.class, a -> a.name("name").getter(i -> i.name).setter((i, v) -> i.name = v))
                .addAttribute(String.class, a -> a.name("slug").getter(i -> i.slug).setter((i, v) -> i.slug = v))
                .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
                .addAttribute(DOCUMENT, a -> a.name("settings").getter(i -> i.settings).setter((i, v) -> i.settings = v)
                        .attributeConverter(Converters.DOCUMENT))
                .addAttribute(DOCUMENT, a -> a.name("secrets").getter(i -> i.secrets).setter((i, v) -> i.secrets = v)
                        .attributeConverter(Converters.DOCUMENT))
                .addAttribute(Long.class, a -> a.name("activeKeys").getter(i -> i.activeKeys).setter((i, v) -> i.activeKeys = v))
                .addAttribute(Long.class, a -> a.name("activeAdminKeys").getter(i -> i.activeAdminKeys)
                        .setter((i, v) -> i.activeAdminKeys = v))
                .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v)
                        .attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v)
                        .attributeConverter(Converters.INSTANT))
                .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
                .build();
    }

    private static final class KeySchema {
        static final TableSchema<KeyItem> SCHEMA = StaticTableSchema.builder(KeyItem.class)
                .newItemSupplier(KeyItem::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                        .tags(StaticAttributeTags.primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                        .tags(StaticAttributeTags.primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
                .addAttribute(String.class, a -> a.name("keyId").getter(i -> i.keyId).setter((i, v) -> i.keyId = v))
                .addAttribute(String.class, a -> a.name("name").getter(i -> i.name).setter((i, v) -> i.name = v))
                .addAttribute(String.class, a -> a.name("scope").getter(i -> i.scope).setter((i, v) -> i.scope = v))
                .addAttribute(String.class, a -> a.name("prefix").getter(i -> i.prefix).setter((i, v) -> i.prefix = v))
                .addAttribute(String.class, a -> a.name("keyHash").getter(i -> i.keyHash).setter((i, v) -> i.keyHash = v))
                .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v)
                        .attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name("keyExpiresAt").getter(i -> i.keyExpiresAt)
                        .setter((i, v) -> i.keyExpiresAt = v).attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name("revokedAt").getter(i -> i.revokedAt).setter((i, v) -> i.revokedAt = v)
                        .attributeConverter(Converters.INSTANT))
                .build();
    }

    private static final class LookupSchema {
        static final TableSchema<LookupItem> SCHEMA = StaticTableSchema.builder(LookupItem.class)
                .newItemSupplier(LookupItem::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                        .tags(StaticAttributeTags.primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                        .tags(StaticAttributeTags.primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
                .addAttribute(String.class, a -> a.name("keyId").getter(i -> i.keyId).setter((i, v) -> i.keyId = v))
                .build();
    }

    private final Table table;
    // Set on first use (see the schemas); a race only builds the same immutable view twice.
    private DynamoDbTable<TenantItem> tenants;
    private DynamoDbTable<KeyItem> keys;
    private DynamoDbTable<LookupItem> lookups;

    public DynamoDbTenantRepository(Table table) {
        this.table = table;
    }

    /** Builds every schema of this store now: SnapStart priming, so the snapshot holds them. */
    public static void buildSchemas() {
        Objects.requireNonNull(TenantSchema.SCHEMA);
        Objects.requireNonNull(KeySchema.SCHEMA);
        Objects.requireNonNull(LookupSchema.SCHEMA);
    }

    private DynamoDbTable<TenantItem> tenants() {
        if (tenants == null) {
            tenants = table.of(TenantSchema.SCHEMA);
        }
        return tenants;
    }

    private DynamoDbTable<KeyItem> keys() {
        if (keys == null) {
            keys = table.of(KeySchema.SCHEMA);
        }
        return keys;
    }

    private DynamoDbTable<LookupItem> lookups() {
        if (lookups == null) {
            lookups = table.of(LookupSchema.SCHEMA);
        }
        return lookups;
    }

    // ---- keys of the items ----

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    private static Key tenantKey(TenantId id) {
        return key(Keys.tenant(id), Keys.ITEM);
    }

    // ---- operations ----

    @Override
    public void create(Tenant tenant, ApiKeyRecord firstKey, IdempotencyCompletion completion) {
        TenantId id = tenant.id();
        TenantItem profile = tenantItem(tenant);
        profile.activeKeys = 1L;
        profile.activeAdminKeys = firstKey.scope() == Scope.ADMIN ? 1L : 0L;
        // Low-level items: the idempotency record's completion (another adapter's item, with a REMOVE)
        // joins the transaction.
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(table.putIfAbsent(LookupSchema.SCHEMA.itemToMap(lookup(Keys.slugMapping(tenant.slug()), Keys.ITEM, SLUG_MAPPING,
                id, null), true)));
        tx.add(table.putIfAbsent(LookupSchema.SCHEMA.itemToMap(lookup(Keys.TENANT_REGISTRY, id.value(), TENANT_REGISTRY, id,
                null), true)));
        tx.add(table.putIfAbsent(TenantSchema.SCHEMA.itemToMap(profile, true)));
        tx.add(table.putIfAbsent(KeySchema.SCHEMA.itemToMap(keyItem(firstKey), true)));
        tx.add(table.putIfAbsent(LookupSchema.SCHEMA.itemToMap(keyLookup(firstKey), true)));
        if (completion != null) {
            tx.add(DynamoDbIdempotencyRepository.completionWrite(table, completion));
        }
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.UniqueViolation("slug", null);
            }
            if (completion != null && f.conditionFailed(tx.size() - 1)) {
                throw new StoreException.Contention();
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public Tenant find(TenantId id) {
        TenantItem item = tenants().getItem(GetItemEnhancedRequest.builder().key(tenantKey(id)).consistentRead(true).build());
        return item == null ? null : tenant(item);
    }

    @Override
    public TenantId findBySlug(String slug) {
        LookupItem item = lookups().getItem(GetItemEnhancedRequest.builder().key(key(Keys.slugMapping(slug), Keys.ITEM))
                .consistentRead(true).build());
        return item == null ? null : new TenantId(item.tenantId);
    }

    @Override
    public Tenant updateSettings(TenantId id, long expectedVersion, TenantSettings settings, Instant now) {
        TenantItem change = new TenantItem();
        change.pk = Keys.tenant(id);
        change.sk = Keys.ITEM;
        change.settings = settings.toJson();
        change.updatedAt = now;
        change.version = expectedVersion + 1; // the condition holds the version at expectedVersion
        try {
            return tenant(tenants().updateItem(UpdateItemEnhancedRequest.builder(TenantItem.class).item(change)
                    .ignoreNullsMode(IgnoreNullsMode.MAPS_ONLY) // null attributes are left alone, documents SET whole
                    .conditionExpression(Expression.builder().expression("version = :v AND #st = :active")
                            .putExpressionName("#st", "status")
                            .putExpressionValue(":v", Attr.n(expectedVersion))
                            .putExpressionValue(":active", Attr.s(ACTIVE)).build())
                    .build()));
        } catch (ConditionalCheckFailedException e) {
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public boolean markEmailGuardsKeyed(TenantId id) {
        try {
            table.client().updateItem(b -> b.tableName(table.name()).key(Table.key(Keys.tenant(id), Keys.ITEM))
                    .updateExpression("SET secrets.emailGuards = :keyed")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":keyed", Attr.s("keyed"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // createKey, revokeKey and beginDeprovisioning run low-level transactions: they ADD to the key
    // counters (and deprovisioning carries the job store's put), which the Enhanced Client's
    // transactional API cannot express. Their items still come from the static schemas.

    @Override
    public void createKey(ApiKeyRecord key, IdempotencyCompletion completion) {
        boolean admin = key.scope() == Scope.ADMIN;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", Attr.n(1));
        values.put(":max", Attr.n(MAX_ACTIVE_KEYS));
        values.put(":active", Attr.s(ACTIVE));
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.tenant(key.tenantId()), Keys.ITEM))
                .updateExpression(admin ? "ADD activeKeys :one, activeAdminKeys :one" : "ADD activeKeys :one")
                .conditionExpression("activeKeys < :max AND #st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(values).build()).build());
        tx.add(table.putIfAbsent(KeySchema.SCHEMA.itemToMap(keyItem(key), true)));
        tx.add(table.putIfAbsent(LookupSchema.SCHEMA.itemToMap(keyLookup(key), true)));
        if (completion != null) {
            tx.add(DynamoDbIdempotencyRepository.completionWrite(table, completion));
        }
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.LimitReached("at most " + MAX_ACTIVE_KEYS + " active keys per tenant");
            }
            if (completion != null && f.conditionFailed(tx.size() - 1)) {
                throw new StoreException.Contention();
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public List<ApiKeyRecord> listKeys(TenantId id) {
        List<ApiKeyRecord> out = new ArrayList<>();
        // The pages' iterator follows LastEvaluatedKey to the end of the partition.
        keys().query(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.apiKeys(id)).build()))
                .items().forEach(item -> out.add(apiKey(item)));
        return out;
    }

    @Override
    public void revokeKey(TenantId id, String keyId, Instant now) {
        KeyItem item = keys().getItem(GetItemEnhancedRequest.builder().key(key(Keys.apiKeys(id), keyId)).consistentRead(true)
                .build());
        if (item == null) {
            throw new StoreException.NotFound();
        }
        ApiKeyRecord key = apiKey(item);
        if (key.revokedAt() != null) {
            return; // revoking twice changes nothing
        }
        boolean admin = key.scope() == Scope.ADMIN;
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.apiKeys(id), keyId))
                .updateExpression("SET revokedAt = :now")
                .conditionExpression("attribute_exists(PK) AND attribute_not_exists(revokedAt)")
                .expressionAttributeValues(Map.of(":now", Converters.INSTANT.transformFrom(now))).build()).build());
        tx.add(deleteItem(Keys.apiKeyMapping(key.keyHash()), Keys.ITEM));
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
            throw f.storeOutcome();
        }
    }

    @Override
    public ApiKeyRecord findByKeyHash(String keyHash) {
        LookupItem mapping = lookups().getItem(GetItemEnhancedRequest.builder()
                .key(key(Keys.apiKeyMapping(keyHash), Keys.ITEM)).consistentRead(true).build());
        if (mapping == null) {
            return null;
        }
        KeyItem item = keys().getItem(GetItemEnhancedRequest.builder()
                .key(key(Keys.apiKeys(new TenantId(mapping.tenantId)), mapping.keyId)).consistentRead(true).build());
        if (item == null) {
            return null;
        }
        ApiKeyRecord key = apiKey(item);
        return key.revokedAt() == null && keyHash.equals(key.keyHash()) ? key : null;
    }

    /**
     * Marks the tenant deprovisioning, removes its slug and every key lookup, and creates the job, in
     * one transaction: from this moment no key of the tenant authenticates.
     *
     * @return false when the tenant does not exist or is already being deprovisioned
     */
    @Override
    public boolean beginDeprovisioning(TenantId id, Instant now, NewJob job) {
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
                .expressionAttributeValues(Map.of(":dep", Attr.s(wire(Tenant.Status.DEPROVISIONING)),
                        ":active", Attr.s(ACTIVE), ":u", Converters.INSTANT.transformFrom(now)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE)
                .build()).build());
        tx.add(deleteItem(Keys.slugMapping(tenant.slug()), Keys.ITEM));
        for (ApiKeyRecord k : listKeys(id)) {
            if (k.revokedAt() == null) {
                tx.add(deleteItem(Keys.apiKeyMapping(k.keyHash()), Keys.ITEM));
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
            throw f.storeOutcome();
        }
    }

    @Override
    public List<TenantId> listTenantIds() {
        List<TenantId> out = new ArrayList<>();
        lookups().query(QueryConditional.keyEqualTo(Key.builder().partitionValue(Keys.TENANT_REGISTRY).build()))
                .items().forEach(item -> out.add(new TenantId(item.sk)));
        return out;
    }

    /**
     * One page of the tenant's items in the {@code TenantItems} index (operator path), shard after
     * shard: it reads the tenant's items only, whatever else the table holds. Low-level: it deletes
     * every kind of item the tenant owns, which no one schema maps. Job items stay, so the
     * deprovisioning job can report on its own sweep. A cursor without the index's key (a scan
     * checkpoint of an older release) starts over: deleting is idempotent.
     */
    @Override
    public DeprovisionSweep sweep(TenantId id, Cursor from, int pageSize) {
        Map<String, Object> at = Cursors.plain(from);
        int shard = 0;
        Map<String, AttributeValue> start = null;
        if (at != null && at.get(TenantItems.ATTRIBUTE) instanceof String s && s.startsWith(Keys.tenantPrefix(id))) {
            shard = Integer.parseInt(s.substring(Keys.tenantPrefix(id).length()));
            start = at.containsKey(Table.PK) ? Cursors.startKey(from) : null;
        }
        var b = QueryRequest.builder().tableName(table.name()).indexName(TenantItems.INDEX)
                .limit(pageSize)
                .keyConditionExpression("#shard = :shard")
                .filterExpression("attribute_not_exists(entity) OR entity <> :keep")
                .expressionAttributeNames(Map.of("#shard", TenantItems.ATTRIBUTE))
                .expressionAttributeValues(Map.of(":shard", Attr.s(TenantItems.shard(id, shard)),
                        ":keep", Attr.s(DynamoDbJobRepository.ENTITY)));
        if (start != null) {
            b.exclusiveStartKey(start);
        }
        var page = table.client().query(b.build());
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
        Cursor next;
        if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
            next = Cursors.of(page.lastEvaluatedKey());
        } else if (shard + 1 < TenantItems.SHARDS) {
            next = Cursors.ofPlain(Map.of(TenantItems.ATTRIBUTE, TenantItems.shard(id, shard + 1)));
        } else {
            next = null;
        }
        return new DeprovisionSweep(deleted, next);
    }

    private long deleteBatch(List<WriteRequest> batch) {
        BatchWrites.write(table, batch);
        return batch.size();
    }

    // ---- transactions ----


    private TransactWriteItem deleteItem(String pk, String sk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(Table.key(pk, sk)).build())
                .build();
    }


    // ---- mapping ----

    private static String wire(Tenant.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static LookupItem lookup(String pk, String sk, String entity, TenantId tenant, String keyId) {
        LookupItem item = new LookupItem();
        item.pk = pk;
        item.sk = sk;
        item.entity = entity;
        item.tenantId = tenant.value();
        item.keyId = keyId;
        return item;
    }

    private static LookupItem keyLookup(ApiKeyRecord key) {
        return lookup(Keys.apiKeyMapping(key.keyHash()), Keys.ITEM, API_KEY_MAPPING, key.tenantId(), key.keyId());
    }

    private static TenantItem tenantItem(Tenant t) {
        TenantItem item = new TenantItem();
        item.pk = Keys.tenant(t.id());
        item.sk = Keys.ITEM;
        item.entity = TENANT;
        item.tenantId = t.id().value();
        item.name = t.name();
        item.slug = t.slug();
        item.status = wire(t.status());
        item.settings = t.settings().toJson();
        item.secrets = t.secrets().toStored();
        item.createdAt = t.createdAt();
        item.updatedAt = t.updatedAt();
        item.version = t.version();
        return item;
    }

    private static Tenant tenant(TenantItem item) {
        return new Tenant(new TenantId(item.tenantId), item.name, item.slug,
                Tenant.Status.valueOf(item.status.toUpperCase(Locale.ROOT)),
                TenantSettings.fromStored(item.settings == null ? new java.util.LinkedHashMap<>() : item.settings),
                TenantSecrets.fromStored(item.secrets), item.createdAt, item.updatedAt,
                item.version == null ? 1 : item.version);
    }

    private static KeyItem keyItem(ApiKeyRecord k) {
        KeyItem item = new KeyItem();
        item.pk = Keys.apiKeys(k.tenantId());
        item.sk = k.keyId();
        item.entity = API_KEY;
        item.tenantId = k.tenantId().value();
        item.keyId = k.keyId();
        item.name = k.name();
        item.scope = k.scope().wire();
        item.prefix = k.displayPrefix();
        item.keyHash = k.keyHash();
        item.createdAt = k.createdAt();
        item.keyExpiresAt = k.expiresAt();
        return item;
    }

    private static ApiKeyRecord apiKey(KeyItem item) {
        return new ApiKeyRecord(new TenantId(item.tenantId), item.keyId, item.name, Scope.fromWire(item.scope),
                item.prefix, item.keyHash, item.createdAt, item.keyExpiresAt, item.revokedAt);
    }
}
