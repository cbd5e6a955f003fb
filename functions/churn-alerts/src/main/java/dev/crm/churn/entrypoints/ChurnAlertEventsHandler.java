package dev.crm.churn.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.churn.config.ChurnComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;

/** Stores the events of churn alert changes, read from the table stream (docs/events.md). */
public final class ChurnAlertEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public ChurnAlertEventsHandler() {
        this(Infrastructure.lambda());
    }

    public ChurnAlertEventsHandler(Infrastructure infra) {
        this.announcer = new ChurnComponents(infra).eventAnnouncer();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
