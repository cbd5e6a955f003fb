package dev.crm.contacts.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.config.ContactsComponents;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.events.EventAnnouncer;

/**
 * Stores the contacts function's events (docs/events.md, "Contacts") from the table stream
 * (template.yaml, ContactEventsFunction). A failure fails the batch, which the stream retries:
 * storing an event is idempotent, so a retried record stores nothing twice.
 */
public final class ContactEventsHandler implements RequestHandler<DynamodbEvent, Void> {
    private final EventAnnouncer announcer;

    public ContactEventsHandler() {
        this(Infrastructure.lambda());
        Priming.register(ContactsComponents::buildSchemas); // its stores build their schemas on first use
    }

    public ContactEventsHandler(Infrastructure infra) {
        this.announcer = new ContactsComponents(infra).events();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        announcer.announce(event);
        return null;
    }
}
