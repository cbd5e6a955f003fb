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

    /** @return how many events were recorded (withheld ones not counted) */
    public int announce(DynamodbEvent batch) {
        int recorded = 0;
        int withheld = 0;
        for (TableChange change : TableChange.of(batch)) {
            for (Event e : decoder.events(change)) {
                if (events.record(e) == EventRepository.Outcome.RECORDED) {
                    recorded++;
                } else {
                    withheld++;
                }
            }
        }
        Log.info("events announced", java.util.Map.of("recorded", recorded, "withheld", withheld));
        return recorded;
    }

    public int announce(List<TableChange> changes) {
        int recorded = 0;
        for (TableChange change : changes) {
            for (Event e : decoder.events(change)) {
                if (events.record(e) == EventRepository.Outcome.RECORDED) {
                    recorded++;
                }
            }
        }
        return recorded;
    }
}
