package dev.crm.shared.store.dynamodb;

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
    /** Epoch seconds; DynamoDB deletes expired items eventually, so readers also check it. */
    public static final String TTL = "expiresAt";
    /** The kind of item, so streams, exports and deprovisioning can tell items apart. */
    public static final String ENTITY = "entity";

    private final DynamoDbClient client;
    private final DynamoDbEnhancedClient enhanced;
    private final String name;

    public Table(DynamoDbClient client, String name) {
        this.client = client;
        // A thin layer over the same client: no second HTTP client, no second connection pool.
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
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
            throw new TransactionFailure(e.hasCancellationReasons() ? e.cancellationReasons() : List.of());
        }
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

        public boolean conditionFailed(int index) {
            return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
        }

        public Map<String, AttributeValue> oldItem(int index) {
            if (index >= reasons.size() || !reasons.get(index).hasItem()) {
                return null;
            }
            return reasons.get(index).item();
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
