package dev.crm.shared.store.dynamodb;

import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Batch writes (puts and deletes) in groups of 25, the most one BatchWriteItem takes, with what the
 * table leaves unprocessed retried after a growing pause. A batch still refused after the retries is
 * {@link StoreException.Busy}: the caller's job or request is retried later, nothing is half-claimed.
 */
public final class BatchWrites {
    static final int MAX_ITEMS = 25;
    static final int MAX_RETRIES = 10;
    private static final Backoff PAUSE = Backoff.exponential(20, 1000);

    private BatchWrites() {}

    /** Low-level write requests (puts and deletes) to the table. */
    public static void write(Table table, List<WriteRequest> writes) {
        write(writes, batch -> {
            var r = table.client().batchWriteItem(BatchWriteItemRequest.builder()
                    .requestItems(Map.of(table.name(), batch)).build());
            return r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table.name(), List.of()) : List.of();
        });
    }

    /**
     * Any batch API (the low-level one, the Enhanced Client's): {@code send} writes up to 25 items and
     * answers those the table left unprocessed.
     */
    public static <T> void write(List<T> items, Function<List<T>, List<T>> send) {
        write(items, send, PAUSE);
    }

    static <T> void write(List<T> items, Function<List<T>, List<T>> send, Backoff pause) {
        for (int i = 0; i < items.size(); i += MAX_ITEMS) {
            List<T> pending = items.subList(i, Math.min(items.size(), i + MAX_ITEMS));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                pending = send.apply(pending);
                if (!pending.isEmpty()) {
                    if (attempt >= MAX_RETRIES) {
                        throw new StoreException.Busy();
                    }
                    pause.pause(attempt);
                }
            }
        }
    }
}
