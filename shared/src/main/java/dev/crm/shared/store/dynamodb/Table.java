package dev.crm.shared.store.dynamodb;

import dev.crm.shared.store.StoreException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The one table, and the few operations every repository needs beyond the plain client: key maps,
 * consistent gets, and transactions whose cancellation reasons are turned into something a
 * repository can branch on.
 */
public final class Table {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    public static final String GSI2 = "GSI2";
    public static final String GSI2PK = "GSI2PK";
    public static final String GSI2SK = "GSI2SK";
    /**
     * The sparse index of open jobs: only queued and running job items carry its keys (a shard and
     * the time the job is next due to show a sign of life), so the sweeper reads open jobs, never the
     * table (docs/data-model.md, "Open jobs").
     */
    public static final String OPEN_JOBS = "OpenJobs";
    public static final String OPEN_JOBS_PK = "openJobsShard";
    public static final String OPEN_JOBS_SK = "dueBy";
    /** Epoch seconds; DynamoDB deletes expired items eventually, so readers also check it. */
    public static final String TTL = "expiresAt";
    /** The kind of item, so streams, exports and deprovisioning can tell items apart. */
    public static final String ENTITY = "entity";

    private final DynamoDbClient client;
    private final DynamoDbEnhancedClient enhanced;
    private final String name;

    public Table(DynamoDbClient client, String name) {
        // Every adapter's reads and writes go through here: tenant items carry their TenantItems key.
        this.client = TenantItems.wrap(client);
        // A thin layer over the same client: no second HTTP client, no second connection pool.
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(this.client).build();
        this.name = name;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** The Enhanced Client over {@link #client()}, for adapters that map items with static schemas. */
    public DynamoDbEnhancedClient enhanced() {
        return enhanced;
    }

    /** This table for items of one static schema (build the schema once, in a static field). */
    public <T> DynamoDbTable<T> of(TableSchema<T> schema) {
        return enhanced.table(name, schema);
    }

    public String name() {
        return name;
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>(4);
        k.put(PK, AttributeValue.fromS(pk));
        k.put(SK, AttributeValue.fromS(sk));
        return k;
    }

    /** Strongly consistent read; null when absent. */
    public Map<String, AttributeValue> get(String pk, String sk) {
        var r = client.getItem(GetItemRequest.builder().tableName(name).key(key(pk, sk)).consistentRead(true).build());
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /** Eventually consistent read (half the cost) for data where a stale second is harmless. */
    public Map<String, AttributeValue> getEventually(String pk, String sk) {
        var r = client.getItem(GetItemRequest.builder().tableName(name).key(key(pk, sk)).build());
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /** Runs a transaction; a cancellation becomes {@link TransactionFailure} with per-item reasons. */
    public void transact(List<TransactWriteItem> items, String clientToken) {
        var b = TransactWriteItemsRequest.builder().transactItems(items);
        if (clientToken != null) {
            b.clientRequestToken(clientToken);
        }
        try {
            client.transactWriteItems(b.build());
        } catch (TransactionCanceledException e) {
            throw TransactionFailure.of(e);
        }
    }

    /** A transaction's put; {@code condition} null for an unconditional one. */
    public TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        var p = Put.builder().tableName(name).item(item);
        if (condition != null) {
            p.conditionExpression(condition);
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    /** A transaction's put that fails its condition when an item with the same key exists. */
    public TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return put(item, "attribute_not_exists(PK)");
    }

    public void transact(List<TransactWriteItem> items) {
        transact(items, null);
    }

    /** A cancelled transaction: which items failed their condition, and whether it was a conflict. */
    public static final class TransactionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<CancellationReason> reasons;

        TransactionFailure(List<CancellationReason> reasons) {
            super("transaction cancelled", null, false, false);
            this.reasons = reasons;
        }

        /** The reasons of a cancellation, from the low-level client or the Enhanced Client alike. */
        public static TransactionFailure of(TransactionCanceledException e) {
            return new TransactionFailure(e.hasCancellationReasons() ? e.cancellationReasons() : List.of());
        }

        public boolean conditionFailed(int index) {
            return index >= 0 && index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
        }

        /** The item as it was when its condition failed (asked for with {@code ALL_OLD}), or null. */
        public Map<String, AttributeValue> oldItem(int index) {
            if (index < 0 || index >= reasons.size() || !reasons.get(index).hasItem() || reasons.get(index).item().isEmpty()) {
                return null;
            }
            return reasons.get(index).item();
        }

        /**
         * What a cancellation that no condition of the caller's explains means to the domain: a
         * conflict with another writer ({@link StoreException.Contention}, retry with fresh state),
         * capacity ({@link StoreException.Busy}, retry later), or this failure itself.
         */
        public RuntimeException storeOutcome() {
            if (isConflict()) {
                return new StoreException.Contention();
            }
            if (isThrottled()) {
                return new StoreException.Busy();
            }
            return this;
        }

        /** Another transaction touched the same items: the write may simply be retried. */
        public boolean isConflict() {
            for (CancellationReason r : reasons) {
                if ("TransactionConflict".equals(r.code())) {
                    return true;
                }
            }
            return false;
        }

        /** DynamoDB cancelled the transaction for capacity, not for a condition: a retry later may succeed. */
        public boolean isThrottled() {
            for (CancellationReason r : reasons) {
                if ("ThrottlingError".equals(r.code()) || "ProvisionedThroughputExceeded".equals(r.code())) {
                    return true;
                }
            }
            return false;
        }

        public boolean anyConditionFailed() {
            for (CancellationReason r : reasons) {
                if ("ConditionalCheckFailed".equals(r.code())) {
                    return true;
                }
            }
            return false;
        }
    }
}
