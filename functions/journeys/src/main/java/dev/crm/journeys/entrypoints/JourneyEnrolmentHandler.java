package dev.crm.journeys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.journeys.stream.EnrolmentBatch;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;

/**
 * Stored events from the table stream (INSERTs of {@code EVENT} items): exits and enrolments, one
 * batch at a time ({@link EnrolmentBatch}: a failed record is reported by its sequence number, so the
 * stream retries from it; every write is idempotent per event id, so a retried record enrols nobody twice).
 */
public final class JourneyEnrolmentHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final EnrolmentBatch batch;

    public JourneyEnrolmentHandler() {
        this(Infrastructure.lambda());
        Priming.register(JourneysComponents::buildSchemas); // its stores build their schemas on first use
    }

    public JourneyEnrolmentHandler(Infrastructure infra) {
        this(new JourneysComponents(infra));
    }

    public JourneyEnrolmentHandler(JourneysComponents components) {
        this.batch = components.enrolmentBatch();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return batch.handle(event);
    }
}
