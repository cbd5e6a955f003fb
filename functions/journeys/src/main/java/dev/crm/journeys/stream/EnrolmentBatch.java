package dev.crm.journeys.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.journeys.domain.JourneyEntry;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.journeys.store.dynamodb.StoredEvents;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.log.Log;
import java.util.List;
import java.util.Map;

/**
 * One stream batch of the enrolment function, in record order: exits and enrolments
 * ({@link JourneyEntry}). A record that fails, in its decoding too, ends the batch there and is
 * reported by its sequence number ({@link TableChange#retryFrom}): Lambda retries from it, and the
 * records after it are not processed in this invocation (they come again with it). The records
 * before it are done and not redone; were they redone, every write is idempotent per event id.
 */
public final class EnrolmentBatch {
    private final JourneyEntry entry;

    public EnrolmentBatch(JourneyEntry entry) {
        this.entry = entry;
    }

    public StreamsEventResponse handle(DynamodbEvent event) {
        JourneyEntry.Batch batch = entry.batch();
        int enrolled = 0;
        int exited = 0;
        TableChange failed = null;
        for (TableChange change : TableChange.of(event)) {
            try {
                for (JourneyRepository.StoredEvent e : StoredEvents.of(List.of(change))) {
                    JourneyEntry.Result r = batch.onEvent(e.event(), e.contactId());
                    enrolled += r.enrolled();
                    exited += r.exited();
                }
            } catch (RuntimeException ex) {
                Log.error("journey entry failed; the stream retries from this record", Log.describe(ex));
                failed = change;
                break;
            }
        }
        if (enrolled > 0 || exited > 0) {
            Log.info("journey entries", Map.of("enrolled", enrolled, "exited", exited));
        }
        return TableChange.retryFrom(failed);
    }
}
