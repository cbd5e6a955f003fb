package dev.crm.shared.store.dynamodb;

import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Batch reads in groups of 100 keys, the most one BatchGetItem takes, with the keys the table left
 * unprocessed asked again after a growing pause; {@link StoreException.Busy} when it still refuses.
 */
public final class BatchReads {
    static final int MAX_KEYS = 100;
    static final int MAX_RETRIES = 10;
    private static final Backoff PAUSE = Backoff.exponential(20, 1000);

    private BatchReads() {}

    /**
     * @param consistent strongly consistent reads (twice the cost), where a stale item would be wrong
     * @return the items found, by partition key and then sort key; missing keys are simply absent
     */
    public static Map<String, Map<String, Map<String, AttributeValue>>> get(Table table,
            List<Map<String, AttributeValue>> keys, boolean consistent) {
        Map<String, Map<String, Map<String, AttributeValue>>> found = new HashMap<>();
        for (var item : items(table, keys, b -> b.consistentRead(consistent))) {
            found.computeIfAbsent(Attr.str(item, Table.PK), k -> new HashMap<>()).put(Attr.str(item, Table.SK), item);
        }
        return found;
    }

    /**
     * The items found, in no particular order.
     *
     * @param shape sets what every request of the batch reads (consistency, a projection)
     */
    public static List<Map<String, AttributeValue>> items(Table table, List<Map<String, AttributeValue>> keys,
            UnaryOperator<KeysAndAttributes.Builder> shape) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += MAX_KEYS) {
            Map<String, KeysAndAttributes> request = Map.of(table.name(),
                    shape.apply(KeysAndAttributes.builder().keys(keys.subList(i, Math.min(keys.size(), i + MAX_KEYS)))).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                if (attempt > 0) {
                    if (attempt > MAX_RETRIES) {
                        throw new StoreException.Busy();
                    }
                    PAUSE.pause(attempt - 1);
                }
                var r = table.client().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                found.addAll(r.responses().getOrDefault(table.name(), List.of()));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }
}
