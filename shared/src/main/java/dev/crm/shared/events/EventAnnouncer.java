package dev.crm.shared.events;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.log.Log;
import java.util.List;

/**
 * Turns a function's table changes into stored events: the stream is the only source, so a change
 * that was saved is announced (the stream retries a failed batch; recording is idempotent), and
 * nothing is announced that was not saved.
 */
public final class EventAnnouncer {
    private final ChangeDecoder decoder;
    private final EventRepository events;

    public EventAnnouncer(ChangeDecoder decoder, EventRepository events) {
        this.decoder = decoder;
        this.events = events;
    }

    /** A stream batch: each change's events stored; one log line with the counts. */
    public int announce(DynamodbEvent batch) {
        int[] counts = store(TableChange.of(batch));
        Log.info("events announced", java.util.Map.of("recorded", counts[0], "withheld", counts[1]));
        return counts[0];
    }

    /** @return how many events were recorded (withheld ones not counted) */
    public int announce(List<TableChange> changes) {
        return store(changes)[0];
    }

    /** @return {recorded, withheld} */
    private int[] store(List<TableChange> changes) {
        int[] counts = new int[2];
        for (TableChange change : changes) {
            for (Event e : decoder.events(change)) {
                counts[events.record(e) == EventRepository.Outcome.RECORDED ? 0 : 1]++;
            }
        }
        return counts;
    }
}
