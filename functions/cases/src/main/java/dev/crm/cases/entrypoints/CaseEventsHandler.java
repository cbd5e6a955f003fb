package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.cases.config.CasesComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;

/** Stores the events of case changes, read from the table stream (docs/events.md, "Cases"). */
public final class CaseEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public CaseEventsHandler() {
        this(Infrastructure.lambda());
    }

    public CaseEventsHandler(Infrastructure infra) {
        this(new CasesComponents(infra));
    }

    public CaseEventsHandler(CasesComponents components) {
        this.announcer = components.eventAnnouncer();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
