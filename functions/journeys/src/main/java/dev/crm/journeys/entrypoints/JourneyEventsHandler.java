package dev.crm.journeys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.events.EventAnnouncer;

/** Stores the journey events of enrolment changes, read from the table stream (docs/events.md, "Journeys"). */
public final class JourneyEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public JourneyEventsHandler() {
        this(Infrastructure.lambda());
        Priming.register(JourneysComponents::buildSchemas); // its stores build their schemas on first use
    }

    public JourneyEventsHandler(Infrastructure infra) {
        this(new JourneysComponents(infra));
    }

    public JourneyEventsHandler(JourneysComponents components) {
        this.announcer = components.eventAnnouncer();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
