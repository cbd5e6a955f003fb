package dev.crm.shared.store.dynamodb;

import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One Enhanced Client transaction, built up item by item; each add returns the item's position, so
 * a cancellation tells which condition failed.
 */
public final class EnhancedTransaction {
    private final DynamoDbEnhancedClient client;
    private final TransactWriteItemsEnhancedRequest.Builder request = TransactWriteItemsEnhancedRequest.builder();
    private int size;

    public EnhancedTransaction(DynamoDbEnhancedClient client) {
        this.client = client;
    }

    public static Expression condition(String expression) {
        return Expression.builder().expression(expression).build();
    }

    public static Expression condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
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
    public <T> int put(DynamoDbTable<T> table, T item, Expression condition) {
        request.addPutItem(table, TransactPutItemEnhancedRequest.builder(table.tableSchema().itemType().rawClass()).item(item)
                .conditionExpression(condition).build());
        return size++;
    }

    /** Puts the item if {@code condition} holds; when it does not, the cancellation carries the item found. */
    public <T> int putReportingHolder(DynamoDbTable<T> table, T item, Expression condition) {
        request.addPutItem(table, TransactPutItemEnhancedRequest.builder(table.tableSchema().itemType().rawClass()).item(item)
                .conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
        return size++;
    }

    public int delete(DynamoDbTable<?> table, String pk, String sk, Expression condition) {
        request.addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(pk).sortValue(sk).build()).conditionExpression(condition).build());
        return size++;
    }

    /** Writes nothing, but the whole transaction fails unless {@code condition} holds for the item. */
    public int check(DynamoDbTable<?> table, String pk, String sk, Expression condition) {
        request.addConditionCheck(table, ConditionCheck.builder()
                .key(Key.builder().partitionValue(pk).sortValue(sk).build()).conditionExpression(condition).build());
        return size++;
    }

    /** As {@link #check}; when the condition fails, the cancellation carries the item found. */
    public int checkReportingHolder(DynamoDbTable<?> table, String pk, String sk, Expression condition) {
        request.addConditionCheck(table, ConditionCheck.builder()
                .key(Key.builder().partitionValue(pk).sortValue(sk).build()).conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
        return size++;
    }

    public int size() {
        return size;
    }

    /** @throws Table.TransactionFailure with the reason of each item when DynamoDB cancels the transaction */
    public void run() {
        try {
            client.transactWriteItems(request.build());
        } catch (TransactionCanceledException e) {
            throw Table.TransactionFailure.of(e);
        }
    }
}
