package dev.crm.bench.warm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks DynamoDB for the capacity every request consumes and adds up what the responses report. It
 * sets {@code ReturnConsumedCapacity=INDEXES}: the TOTAL figure ({@code CapacityUnits}) plus its
 * split between the table and each global secondary index. Installed only on the clients of the capacity pass, never on
 * those being timed.
 *
 * <p>DynamoDB Local 3.x under-reports TransactWriteItems: it reports one figure for all the items
 * of a table (awslabs/amazon-dynamodb-local-samples#31), where DynamoDB bills 2 WCU per item per
 * started KB of the larger of its before and after images. With a side client, this interceptor
 * reads each item of a transaction before and after it runs and counts that, plus the writes to the
 * global secondary indexes the items enter, change or leave, at the standard rate (index
 * maintenance is not part of the transaction's two-phase write). Single-item operations are
 * reported correctly by DynamoDB Local, indexes included, and are taken as reported. DynamoDB Local
 * also reports 0 for a Query or Scan that finds nothing and for BatchGetItem keys that are missing,
 * where DynamoDB bills at least one read unit (0.5 eventually consistent, 1 consistent) per request
 * or key; reads are counted at no less than that.
 */
public final class CapacityInterceptor implements ExecutionInterceptor {
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");
    private static final ExecutionAttribute<List<Target>> TARGETS = new ExecutionAttribute<>("bench.transactionTargets");
    private static final ExecutionAttribute<Double> READ_FLOOR = new ExecutionAttribute<>("bench.readFloor");

    /**
     * One call: its operation, the capacity units counted (NaN when the call failed or nothing was
     * reported) and what DynamoDB Local reported.
     */
    public record Call(String operation, double units, double indexUnits, double reported, boolean failed) {
        public boolean isRead() {
            return READS.contains(operation);
        }
    }

    private record Target(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> before,
            boolean check) {}

    private final List<Call> calls = new ArrayList<>();
    private final DynamoDbClient side;
    private final TableShape shape;

    /** Reported capacity only. */
    public CapacityInterceptor() {
        this(null, null);
    }

    /**
     * @param side  an uninstrumented client on the same endpoint, to read transaction items
     * @param shape the table's keys and indexes
     */
    public CapacityInterceptor(DynamoDbClient side, TableShape shape) {
        this.side = side;
        this.shape = shape;
    }

    public synchronized List<Call> drain() {
        List<Call> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.INDEXES;
        if (r instanceof GetItemRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof PutItemRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof UpdateItemRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof DeleteItemRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof QueryRequest x) {
            attributes.putAttribute(READ_FLOOR, Boolean.TRUE.equals(x.consistentRead()) ? 1.0 : 0.5);
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof ScanRequest x) {
            attributes.putAttribute(READ_FLOOR, Boolean.TRUE.equals(x.consistentRead()) ? 1.0 : 0.5);
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof BatchGetItemRequest x) {
            double floor = 0;
            for (var keys : x.requestItems().values()) {
                floor += keys.keys().size() * (Boolean.TRUE.equals(keys.consistentRead()) ? 1.0 : 0.5);
            }
            attributes.putAttribute(READ_FLOOR, floor);
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof BatchWriteItemRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof TransactWriteItemsRequest x) {
            if (side != null) {
                attributes.putAttribute(TARGETS, targets(x));
            }
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        if (r instanceof TransactGetItemsRequest x) {
            return x.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        List<ConsumedCapacity> reported = capacities(context.response());
        double total = reported == null ? Double.NaN : 0;
        double index = 0;
        for (ConsumedCapacity c : reported == null ? List.<ConsumedCapacity>of() : reported) {
            total += c.capacityUnits() == null ? 0 : c.capacityUnits();
            if (c.hasGlobalSecondaryIndexes()) {
                for (var ix : c.globalSecondaryIndexes().values()) {
                    index += ix.capacityUnits() == null ? 0 : ix.capacityUnits();
                }
            }
        }
        List<Target> targets = attributes.getAttribute(TARGETS);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Double floor = attributes.getAttribute(READ_FLOOR);
        if (targets == null) {
            record(new Call(op, floor != null && !(total >= floor) ? floor : total, index, total, false));
        } else {
            double[] counted = transactionUnits(targets);
            record(new Call(op, counted[0] + counted[1], counted[1], total, false));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), Double.NaN, 0, Double.NaN, true));
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }

    private List<Target> targets(TransactWriteItemsRequest request) {
        List<Target> out = new ArrayList<>();
        for (TransactWriteItem item : request.transactItems()) {
            if (item.put() != null) {
                Map<String, AttributeValue> key = shape.keyOf(item.put().item());
                out.add(new Target(item.put().tableName(), key, read(item.put().tableName(), key), false));
            } else if (item.update() != null) {
                out.add(new Target(item.update().tableName(), item.update().key(),
                        read(item.update().tableName(), item.update().key()), false));
            } else if (item.delete() != null) {
                out.add(new Target(item.delete().tableName(), item.delete().key(),
                        read(item.delete().tableName(), item.delete().key()), false));
            } else if (item.conditionCheck() != null) {
                out.add(new Target(item.conditionCheck().tableName(), item.conditionCheck().key(),
                        read(item.conditionCheck().tableName(), item.conditionCheck().key()), true));
            }
        }
        return out;
    }

    /** {table units, index units} of a transaction that has run. */
    private double[] transactionUnits(List<Target> targets) {
        double table = 0;
        double index = 0;
        for (Target t : targets) {
            if (t.check()) {
                table += ItemSize.transactionalWriteUnits(ItemSize.of(t.before()));
                continue;
            }
            Map<String, AttributeValue> after = read(t.table(), t.key());
            table += ItemSize.transactionalWriteUnits(Math.max(ItemSize.of(t.before()), ItemSize.of(after)));
            index += shape.indexWriteUnits(t.before(), after);
        }
        return new double[] {table, index};
    }

    /** The item now, or null. */
    private Map<String, AttributeValue> read(String table, Map<String, AttributeValue> key) {
        var r = side.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /** The ConsumedCapacity entries of a response; null when it has none. */
    static List<ConsumedCapacity> capacities(SdkResponse response) {
        ConsumedCapacity one = null;
        if (response instanceof GetItemResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof PutItemResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof UpdateItemResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof DeleteItemResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof QueryResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof ScanResponse x) {
            one = x.consumedCapacity();
        } else if (response instanceof BatchGetItemResponse x) {
            return x.hasConsumedCapacity() ? x.consumedCapacity() : null;
        } else if (response instanceof BatchWriteItemResponse x) {
            return x.hasConsumedCapacity() ? x.consumedCapacity() : null;
        } else if (response instanceof TransactWriteItemsResponse x) {
            return x.hasConsumedCapacity() ? x.consumedCapacity() : null;
        } else if (response instanceof TransactGetItemsResponse x) {
            return x.hasConsumedCapacity() ? x.consumedCapacity() : null;
        }
        return one == null ? null : List.of(one);
    }
}
