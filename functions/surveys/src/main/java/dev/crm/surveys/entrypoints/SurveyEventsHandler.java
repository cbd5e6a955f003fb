package dev.crm.surveys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.surveys.config.SurveysComponents;

/** Stores the events of new survey responses, read from the table stream (docs/events.md). */
public final class SurveyEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public SurveyEventsHandler() {
        this(Infrastructure.lambda());
    }

    public SurveyEventsHandler(Infrastructure infra) {
        this.announcer = new SurveysComponents(infra).eventAnnouncer();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
