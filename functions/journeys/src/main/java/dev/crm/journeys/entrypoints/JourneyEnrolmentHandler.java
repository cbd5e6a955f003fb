package dev.crm.journeys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.journeys.domain.JourneyEntry;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.log.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored events from the table stream (INSERTs of {@code EVENT} items): exits and enrolments
 * ({@link JourneyEntry}). A failed record is reported, so the stream retries from it; every write is
 * idempotent per event id, so a retried batch enrols nobody twice.
 */
public final class JourneyEnrolmentHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final JourneysComponents components;
    private final JourneyEntry entry;

    public JourneyEnrolmentHandler() {
        this(Infrastructure.lambda());
    }

    public JourneyEnrolmentHandler(Infrastructure infra) {
        this(new JourneysComponents(infra));
    }

    public JourneyEnrolmentHandler(JourneysComponents components) {
        this.components = components;
        this.entry = components.entry();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        int enrolled = 0;
        int exited = 0;
        // Lambda resumes a stream from the sequence number a failure names (an event id matches no
        // record, so Lambda would retry the whole batch, replaying the records before it too).
        Map<String, String> sequenceById = new HashMap<>();
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
            if (r.getDynamodb() != null && r.getDynamodb().getSequenceNumber() != null) {
                sequenceById.put(r.getEventID(), r.getDynamodb().getSequenceNumber());
            }
        }
        for (JourneyRepository.StoredEvent e : components.storedEvents(event)) {
            try {
                JourneyEntry.Result r = entry.onEvent(e.event(), e.contactId());
                enrolled += r.enrolled();
                exited += r.exited();
            } catch (RuntimeException ex) {
                Log.error("journey entry failed", Log.describe(ex));
                failures.add(new StreamsEventResponse.BatchItemFailure(
                        sequenceById.getOrDefault(e.changeId(), e.changeId())));
                break; // the stream retries from this record; the ones after it come again with it
            }
        }
        if (enrolled > 0 || exited > 0) {
            Log.info("journey entries", Map.of("enrolled", enrolled, "exited", exited));
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}
