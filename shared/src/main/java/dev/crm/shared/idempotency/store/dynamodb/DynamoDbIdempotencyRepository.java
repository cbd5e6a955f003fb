package dev.crm.shared.idempotency.store.dynamodb;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.IdempotencyKey;
import dev.crm.shared.idempotency.IdempotencyRecord;
import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.IgnoreNullsMode;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link IdempotencyRepository} on the single table: one item per key (docs/data-model.md,
 * "Idempotency record"), mapped with a static schema.
 */
public final class DynamoDbIdempotencyRepository implements IdempotencyRepository {
    static final String ENTITY = "IDEMPOTENCY";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    /** The stored item, as the schema maps it. */
    static final class Item {
        private String pk;
        private String sk;
        private String entity;
        private String state;
        private String fingerprint;
        private Long lockUntil;
        private Instant expiresAt;
        private SdkBytes response;

        String getPk() { return pk; }
        void setPk(String v) { pk = v; }
        String getSk() { return sk; }
        void setSk(String v) { sk = v; }
        String getEntity() { return entity; }
        void setEntity(String v) { entity = v; }
        String getState() { return state; }
        void setState(String v) { state = v; }
        String getFingerprint() { return fingerprint; }
        void setFingerprint(String v) { fingerprint = v; }
        Long getLockUntil() { return lockUntil; }
        void setLockUntil(Long v) { lockUntil = v; }
        Instant getExpiresAt() { return expiresAt; }
        void setExpiresAt(Instant v) { expiresAt = v; }
        SdkBytes getResponse() { return response; }
        void setResponse(SdkBytes v) { response = v; }
    }

    /*
     * The schema lives in a holder class, so it is built when a request first needs it, not with the
     * repository (each attribute spins three lambda classes). For SnapStart, Infrastructure primes it
     * before the snapshot (buildSchema).
     */
    private static final class Schema {
        static final TableSchema<Item> SCHEMA = StaticTableSchema.builder(Item.class)
                .newItemSupplier(Item::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(Item::getPk).setter(Item::setPk)
                        .tags(StaticAttributeTags.primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(Item::getSk).setter(Item::setSk)
                        .tags(StaticAttributeTags.primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(Item::getEntity).setter(Item::setEntity))
                .addAttribute(String.class, a -> a.name("state").getter(Item::getState).setter(Item::setState))
                .addAttribute(String.class, a -> a.name("fingerprint").getter(Item::getFingerprint).setter(Item::setFingerprint))
                .addAttribute(Long.class, a -> a.name("lockUntil").getter(Item::getLockUntil).setter(Item::setLockUntil))
                .addAttribute(Instant.class, a -> a.name(Table.TTL).getter(Item::getExpiresAt).setter(Item::setExpiresAt)
                        .attributeConverter(Converters.EPOCH_SECONDS))
                .addAttribute(SdkBytes.class, a -> a.name("response").getter(Item::getResponse).setter(Item::setResponse))
                .build();
    }

    private final Table table;
    // Set on first use (see the schema); a race only builds the same immutable view twice.
    private DynamoDbTable<Item> items;

    public DynamoDbIdempotencyRepository(Table table) {
        this.table = table;
    }

    /** Builds this store's schema now: SnapStart priming, so the snapshot holds it. */
    public static void buildSchema() {
        Objects.requireNonNull(Schema.SCHEMA);
    }

    private DynamoDbTable<Item> items() {
        if (items == null) {
            items = table.of(Schema.SCHEMA);
        }
        return items;
    }

    /** The partition of a key's record: in its tenant's namespace (and subject), or the operator's. */
    static String partition(IdempotencyKey key) {
        if (key.isOperators()) {
            return Keys.operatorIdempotency(key.hash());
        }
        return Keys.idempotency(key.tenant(), key.subject() == null ? key.hash() : key.subject() + "#" + key.hash());
    }

    private static Key key(IdempotencyKey key) {
        return Key.builder().partitionValue(partition(key)).sortValue(Keys.ITEM).build();
    }

    @Override
    public boolean acquire(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil, Instant expiresAt) {
        Item item = new Item();
        item.setPk(partition(key));
        item.setSk(Keys.ITEM);
        item.setEntity(ENTITY);
        item.setState(IN_PROGRESS);
        item.setFingerprint(fingerprint);
        item.setLockUntil(lockUntil.toEpochMilli());
        item.setExpiresAt(expiresAt);
        try {
            items().putItem(PutItemEnhancedRequest.builder(Item.class).item(item)
                    // An expired record (TTL deletion is lazy) counts as absent.
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(PK) OR #ttl < :nowSec")
                            .putExpressionName("#ttl", Table.TTL)
                            .putExpressionValue(":nowSec", Attr.n(now.getEpochSecond())).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public IdempotencyRecord find(IdempotencyKey key) {
        Item item = items().getItem(GetItemEnhancedRequest.builder().key(key(key)).consistentRead(true).build());
        if (item == null) {
            return null;
        }
        return new IdempotencyRecord(item.getFingerprint(), COMPLETED.equals(item.getState()),
                item.getLockUntil() == null ? null : Instant.ofEpochMilli(item.getLockUntil()),
                item.getResponse() == null ? null : item.getResponse().asByteArray());
    }

    @Override
    public boolean takeOver(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil) {
        Item lock = new Item();
        lock.setPk(partition(key));
        lock.setSk(Keys.ITEM);
        lock.setLockUntil(lockUntil.toEpochMilli());
        try {
            items().updateItem(UpdateItemEnhancedRequest.builder(Item.class).item(lock)
                    .ignoreNullsMode(IgnoreNullsMode.MAPS_ONLY) // SET lockUntil only
                    .conditionExpression(Expression.builder()
                            .expression("#st = :ip AND lockUntil < :now AND fingerprint = :fp")
                            .putExpressionName("#st", "state")
                            .putExpressionValue(":ip", Attr.s(IN_PROGRESS))
                            .putExpressionValue(":now", Attr.n(now.toEpochMilli()))
                            .putExpressionValue(":fp", Attr.s(fingerprint)).build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void complete(IdempotencyKey key, byte[] sealedResponse) {
        // Low-level: the Enhanced Client's update cannot REMOVE one attribute (the lock) and leave the others.
        table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(partition(key), Keys.ITEM))
                .updateExpression("SET #st = :done, #resp = :r REMOVE lockUntil")
                .expressionAttributeNames(Map.of("#st", "state", "#resp", "response"))
                .expressionAttributeValues(Map.of(":done", Attr.s(COMPLETED),
                        ":r", AttributeValue.fromB(SdkBytes.fromByteArray(sealedResponse))))
                .build());
    }

    /**
     * The completion as one item of another adapter's transaction (the request's effect): the record
     * becomes completed with its sealed response only while it is still in progress under the
     * attempt's own lock. A cancellation on this item means the lock changed hands (a retry took it
     * over) or the record is gone.
     */
    public static TransactWriteItem completionWrite(Table table, IdempotencyCompletion completion) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(partition(completion.key()), Keys.ITEM))
                .updateExpression("SET #st = :done, #resp = :r REMOVE lockUntil")
                .conditionExpression("#st = :ip AND lockUntil = :lu")
                .expressionAttributeNames(Map.of("#st", "state", "#resp", "response"))
                .expressionAttributeValues(Map.of(":done", Attr.s(COMPLETED), ":ip", Attr.s(IN_PROGRESS),
                        ":lu", Attr.n(completion.lockUntil().toEpochMilli()),
                        ":r", AttributeValue.fromB(SdkBytes.fromByteArray(completion.sealedResponse()))))
                .build()).build();
    }

    @Override
    public void release(IdempotencyKey key, Instant lockUntil) {
        try {
            items().deleteItem(DeleteItemEnhancedRequest.builder().key(key(key)).conditionExpression(Expression.builder()
                    .expression("#st = :ip AND lockUntil = :lu").putExpressionName("#st", "state")
                    .putExpressionValue(":ip", Attr.s(IN_PROGRESS))
                    .putExpressionValue(":lu", Attr.n(lockUntil.toEpochMilli())).build()).build());
        } catch (ConditionalCheckFailedException e) {
            // already completed or released, or a retry holds it now
        }
    }
}
