package dev.crm.shared.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.shared.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Groups of 25, what the table leaves unprocessed sent again, and a refusal that does not end. */
class BatchWritesTest {
    private final List<Integer> pauses = new ArrayList<>();

    @Test
    void everyItemIsSentOnceInGroupsOf25AndTheUnprocessedAgain() {
        List<Integer> items = IntStream.range(0, 60).boxed().toList();
        List<List<Integer>> calls = new ArrayList<>();
        List<Integer> written = new ArrayList<>();
        BatchWrites.write(items, batch -> {
            calls.add(List.copyOf(batch));
            // the table takes all but the last two of every first attempt
            boolean firstAttempt = calls.stream().filter(c -> c.contains(batch.get(0))).count() == 1 && batch.size() > 2;
            List<Integer> taken = firstAttempt ? batch.subList(0, batch.size() - 2) : batch;
            written.addAll(taken);
            return firstAttempt ? List.copyOf(batch.subList(batch.size() - 2, batch.size())) : List.of();
        }, pauses::add);
        assertEquals(items, written.stream().sorted().toList(), "every item written exactly once");
        assertEquals(List.of(25, 2, 25, 2, 10, 2), calls.stream().map(List::size).toList());
        assertEquals(List.of(0, 0, 0), pauses, "one pause before each retry");
    }

    @Test
    void aTableThatKeepsRefusingIsBusyAfterTheRetries() {
        List<Integer> items = List.of(1, 2, 3);
        int[] calls = {0};
        assertThrows(StoreException.Busy.class, () -> BatchWrites.write(items, batch -> {
            calls[0]++;
            return batch;
        }, pauses::add));
        assertEquals(BatchWrites.MAX_RETRIES + 1, calls[0]);
        assertEquals(IntStream.range(0, BatchWrites.MAX_RETRIES).boxed().toList(), pauses);
    }
}
