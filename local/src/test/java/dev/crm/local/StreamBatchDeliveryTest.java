package dev.crm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The stream pump retries a failed batch as Lambda's DynamoDB event source mapping does: whole, from
 * the record the function reported (ReportBatchItemFailures), or in halves (BisectBatchOnFunctionError),
 * in stream order, until MaximumRetryAttempts are spent.
 */
class StreamBatchDeliveryTest {
    static List<DynamodbEvent.DynamodbStreamRecord> records(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> {
            var sr = new StreamRecord();
            sr.setSequenceNumber(String.valueOf(100 + i));
            var r = new DynamodbEvent.DynamodbStreamRecord();
            r.setEventID("id-" + i);
            r.setDynamodb(sr);
            return r;
        }).toList();
    }

    static StreamPump.Subscription subscription(int retries, boolean reports, boolean bisects) {
        return new StreamPump.Subscription("F", "E", List.of(), retries, 1000, 10, reports, bisects);
    }

    /** What each invocation was handed, by sequence number. */
    final List<List<String>> calls = new ArrayList<>();

    Function<List<DynamodbEvent.DynamodbStreamRecord>, Object> recording(Function<List<String>, Object> answer) {
        return batch -> {
            List<String> seqs = batch.stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
            calls.add(seqs);
            return answer.apply(seqs);
        };
    }

    static StreamsEventResponse failed(String itemIdentifier) {
        return StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(itemIdentifier))).build();
    }

    @Test
    void aFailingBatchIsRetriedWholeUntilItsRetriesAreSpent() {
        StreamPump.deliver(subscription(2, false, false), records(3), 0, recording(b -> {
            throw new IllegalStateException("down");
        }), a -> true);
        assertEquals(List.of(List.of("101", "102", "103"), List.of("101", "102", "103"), List.of("101", "102", "103")), calls);
    }

    @Test
    void aReportedFailureRetriesFromThatRecordOnly() {
        int[] n = {0};
        StreamPump.deliver(subscription(10, true, false), records(4), 0,
                recording(b -> n[0]++ == 0 ? failed("103") : StreamsEventResponse.builder().build()), a -> true);
        assertEquals(List.of(List.of("101", "102", "103", "104"), List.of("103", "104")), calls);
    }

    @Test
    void anIdentifierThatNamesNoRecordRetriesTheWholeBatch() {
        int[] n = {0};
        StreamPump.deliver(subscription(10, true, false), records(2), 0,
                recording(b -> n[0]++ == 0 ? failed("id-2") : StreamsEventResponse.builder().build()), a -> true);
        assertEquals(List.of(List.of("101", "102"), List.of("101", "102")), calls);
    }

    @Test
    void aResponseIsIgnoredWhenTheEventSourceDoesNotReportItemFailures() {
        StreamPump.deliver(subscription(10, false, false), records(2), 0, recording(b -> failed("101")), a -> true);
        assertEquals(List.of(List.of("101", "102")), calls);
    }

    @Test
    void bisectingSplitsAFailedBatchAndKeepsStreamOrder() {
        // record 103 fails every time it is delivered: its half is split down to it, then it is given up
        StreamPump.deliver(subscription(3, false, true), records(4), 0, recording(b -> {
            if (b.contains("103")) {
                throw new IllegalStateException("poison");
            }
            return null;
        }), a -> true);
        assertEquals(List.of(List.of("101", "102", "103", "104"), List.of("101", "102"), List.of("103", "104"),
                List.of("103"), List.of("103"), List.of("104")), calls);
    }
}
