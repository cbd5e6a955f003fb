package dev.crm.preferences.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.preferences.config.PreferencesComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.events.EventAnnouncer;

/** Stores the events of consent ledger entries, read from the table stream (docs/events.md). */
public final class PreferenceEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public PreferenceEventsHandler() {
        this(Infrastructure.lambda());
        Priming.register(PreferencesComponents::buildSchemas); // its stores build their schemas on first use
    }

    public PreferenceEventsHandler(Infrastructure infra) {
        this.announcer = PreferencesComponents.eventAnnouncer(infra);
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
