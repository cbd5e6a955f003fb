package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.store.StoreException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One Enhanced Client transaction, built up item by item; each add returns the item's position, so
 * a cancellation tells which condition failed.
 */
final class EnhancedTransaction {
    private final DynamoDbEnhancedClient client;
    private final TransactWriteItemsEnhancedRequest.Builder request = TransactWriteItemsEnhancedRequest.builder();
    private int size;

    EnhancedTransaction(DynamoDbEnhancedClient client) {
        this.client = client;
    }

    static Expression condition(String expression) {
        return Expression.builder().expression(expression).build();
    }

    static Expression condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        var b = Expression.builder().expression(expression);
        if (!names.isEmpty()) {
            b.expressionNames(names);
        }
        if (!values.isEmpty()) {
            b.expressionValues(values);
        }
        return b.build();
    }

    /** Puts the item if {@code condition} holds. */
    <T> int put(DynamoDbTable<T> table, T item, Expression condition) {
        request.addPutItem(table, TransactPutItemEnhancedRequest.builder(table.tableSchema().itemType().rawClass()).item(item)
                .conditionExpression(condition).build());
        return size++;
    }

    /** Puts the item if {@code condition} holds; when it does not, the cancellation carries the item found. */
    <T> int putReportingHolder(DynamoDbTable<T> table, T item, Expression condition) {
        request.addPutItem(table, TransactPutItemEnhancedRequest.builder(table.tableSchema().itemType().rawClass()).item(item)
                .conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
        return size++;
    }

    int delete(DynamoDbTable<?> table, String pk, String sk, Expression condition) {
        request.addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(pk).sortValue(sk).build()).conditionExpression(condition).build());
        return size++;
    }

    int size() {
        return size;
    }

    /** @throws Cancelled with the reason of each item when DynamoDB cancels the transaction */
    void run() {
        try {
            client.transactWriteItems(request.build());
        } catch (TransactionCanceledException e) {
            throw new Cancelled(e.hasCancellationReasons() ? e.cancellationReasons() : List.of());
        }
    }

    /** A cancelled transaction: which items failed their condition, and whether it was a conflict. */
    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<CancellationReason> reasons;

        Cancelled(List<CancellationReason> reasons) {
            super("transaction cancelled", null, false, false);
            this.reasons = reasons;
        }

        boolean conditionFailed(int index) {
            return index >= 0 && index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
        }

        boolean anyConditionFailed() {
            return reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
        }

        Map<String, AttributeValue> oldItem(int index) {
            return index < 0 || index >= reasons.size() || !reasons.get(index).hasItem() ? null : reasons.get(index).item();
        }

        /** What a cancellation no condition of ours explains means to the domain. */
        RuntimeException unexpected() {
            if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                return new StoreException.Contention();
            }
            if (reasons.stream().anyMatch(r -> "ThrottlingError".equals(r.code())
                    || "ProvisionedThroughputExceeded".equals(r.code()))) {
                return new StoreException.Busy();
            }
            return this;
        }

        boolean isConflict() {
            return reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
        }
    }
}
