package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.store.dynamodb.Table;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Batch writes of up to 25 items, with the unprocessed ones retried after a growing pause. */
final class BatchWrites {
    private BatchWrites() {}

    static void write(Table table, List<WriteRequest> writes) {
        for (int i = 0; i < writes.size(); i += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), writes.subList(i, Math.min(writes.size(), i + 25)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                var r = table.client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    if (attempt > 10) {
                        throw new IllegalStateException("batch write still throttled after retries");
                    }
                    sleep(Math.min(1000, 20L << attempt));
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
