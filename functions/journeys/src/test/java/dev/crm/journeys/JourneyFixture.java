package dev.crm.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.Responses;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.journeys.entrypoints.JourneyEnrolmentHandler;
import dev.crm.journeys.entrypoints.JourneySweepSchedule;
import dev.crm.journeys.entrypoints.JourneysHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.json.Json;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One tenant with the journeys function's handlers over DynamoDB Local, a clock the test moves and a
 * sender that keeps every message (the outbox the tests count). Contacts, their preferences and the
 * tenant's topics are written as the contacts and preferences functions write them.
 */
final class JourneyFixture {
    final MutableClock clock;
    final FaultInjector faults = new FaultInjector();
    final Infrastructure infra;
    final List<EmailMessage> outbox = new ArrayList<>();
    final MessageSender sender = m -> {
        synchronized (outbox) {
            outbox.add(m);
        }
        return "test-" + outbox.size();
    };
    final JourneysComponents components;
    final JourneysHandler api;
    final JourneyEnrolmentHandler entries;
    final JourneySweepSchedule sweep;
    final TenantId tenant;

    JourneyFixture(String start) {
        clock = MutableClock.at(start);
        infra = TestInfrastructure.create(clock, Map.of(), faults);
        components = new JourneysComponents(infra, sender);
        api = new JourneysHandler(components);
        entries = new JourneyEnrolmentHandler(components);
        sweep = new JourneySweepSchedule(components);
        tenant = TestInfrastructure.tenant(infra).id();
        topic("offers");
        topic("news");
    }

    void topic(String key) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(tenant.value() + "#TOPICS", key));
        item.put(Table.ENTITY, Attr.s("TOPIC"));
        item.put("tenantId", Attr.s(tenant.value()));
        item.put("name", Attr.s(key));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(item));
    }

    /** An active contact with an address, opted in to email and to {@code offers}. */
    String contact(String firstName, String timeZone) {
        return contact(tenant, firstName, timeZone, Map.of());
    }

    /** As {@link #contact(String, String)}, in any tenant, with attributes (a birthday). */
    String contact(TenantId in, String firstName, String timeZone, Map<String, Object> attributes) {
        String id = Ids.random(Contact.ID_PREFIX, 20);
        Instant now = clock.instant();
        Contact c = new Contact(id, new ContactData(firstName, "Doe", id + "@example.com", null, null, null, timeZone,
                null, List.of(), attributes, null), now, now, 1, Contact.Status.ACTIVE);
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(ContactItems.contact(in, c)));
        preferences(in, id, Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN));
        return id;
    }

    /** Changes a contact's attributes as the contacts function writes a PATCH (the event is the caller's to deliver). */
    void changeAttributes(String contactId, Map<String, Object> attributes) {
        Contact c = ContactItems.contact(infra.table().get(Keys.contact(tenant, contactId), Keys.CONTACT_PROFILE));
        ContactData d = c.data();
        Contact next = new Contact(c.id(), new ContactData(d.firstName(), d.lastName(), d.email(), d.phone(), d.company(),
                d.locale(), d.timeZone(), d.lifecycleStage(), d.tags(), attributes, d.externalId()), c.createdAt(),
                clock.instant(), c.version() + 1, c.status());
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(ContactItems.contact(tenant, next)));
    }

    /** Writes a contact's preferences as the preferences function stores them (the view the decision reads). */
    void preferences(String contactId, Preferences p) {
        preferences(tenant, contactId, p);
    }

    void preferences(TenantId in, String contactId, Preferences p) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(in, contactId), Keys.PREFERENCES));
        item.put(Table.ENTITY, Attr.s("PREFERENCES"));
        item.put("tenantId", Attr.s(in.value()));
        item.put("contactId", Attr.s(contactId));
        item.put("version", Attr.n(p.version() + 1));
        item.put("view", Attr.of(p.withVersion(p.version() + 1).toJson()));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(item));
    }

    /** The stored-event item a catalogue event is, as DynamoDbEventRepository writes it. */
    Map<String, AttributeValue> eventItem(Event e) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.event(e.tenant(), e.id()), Keys.ITEM));
        item.put(Table.ENTITY, Attr.s("EVENT"));
        item.put("tenantId", Attr.s(e.tenant().value()));
        item.put("eventId", Attr.s(e.id()));
        item.put("eventType", Attr.s(e.type()));
        item.put("source", Attr.s(e.source()));
        item.put("timestamp", Attr.instant(e.timestamp()));
        if (e.personalDataOf() != null) {
            item.put("contactId", Attr.s(e.personalDataOf()));
        }
        item.put("envelope", Attr.s(e.envelopeJson()));
        return item;
    }

    Event event(String type, String contactId, Map<String, Object> data) {
        Map<String, Object> d = new HashMap<>(data);
        d.put("contactId", contactId);
        Instant at = clock.instant();
        return new Event(EventIds.derive(at, Ids.random("rec", 12), type), type, EventTypes.sourceOf(type), at, tenant,
                contactId, d);
    }

    Event purchase(String contactId) {
        return event(EventTypes.INTERACTION_RECORDED, contactId, Map.of("type", "purchase", "channel", "web"));
    }

    /** Delivers a stored event as the stream does (one record). */
    void deliver(Event e) {
        entries.handleRequest(StreamRecords.change("rec-" + Ids.random("", 10), e.timestamp(), null, eventItem(e)),
                new LambdaContext());
    }

    void runSweep() {
        sweep.handleRequest(Map.of(), new LambdaContext());
    }

    List<EmailMessage> messagesTo(String contactId) {
        synchronized (outbox) {
            return outbox.stream().filter(m -> m.to().equals(contactId + "@example.com")).toList();
        }
    }

    List<EmailMessage> messages() {
        synchronized (outbox) {
            return outbox.stream().filter(m -> m.tenantId().equals(tenant.value())).toList();
        }
    }

    APIGatewayProxyResponseEvent call(ApiEvents request) {
        return api.handleRequest(request.build(), new LambdaContext());
    }

    /** Creates and activates a journey; @return its id */
    String journey(String json) {
        var created = call(ApiEvents.request("POST", "/v1/journeys").as(tenant, Scope.WRITE).json(json));
        assertEquals(201, created.getStatusCode(), created.getBody());
        String id = (String) Responses.body(created).get("id");
        var active = call(ApiEvents.request("POST", "/v1/journeys/{id}/activate").path("id", id).as(tenant, Scope.WRITE));
        assertEquals(200, active.getStatusCode(), active.getBody());
        return id;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> enrolments(String journeyId, String contactId) {
        var r = call(ApiEvents.request("GET", "/v1/journeys/{id}/enrollments").path("id", journeyId)
                .query("contactId", contactId).as(tenant, Scope.READ));
        assertEquals(200, r.getStatusCode(), r.getBody());
        return (List<Map<String, Object>>) Responses.body(r).get("items");
    }

    Map<String, Object> stats(String journeyId) {
        var r = call(ApiEvents.request("GET", "/v1/journeys/{id}/stats").path("id", journeyId).as(tenant, Scope.READ));
        assertEquals(200, r.getStatusCode(), r.getBody());
        return Responses.body(r);
    }

    static String json(Object o) {
        return Json.write(o);
    }
}
