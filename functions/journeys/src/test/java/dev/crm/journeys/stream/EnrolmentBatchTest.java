package dev.crm.journeys.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.StreamRecords;
import dev.crm.journeys.domain.Journey;
import dev.crm.journeys.domain.JourneyDefinition;
import dev.crm.journeys.domain.JourneyEntry;
import dev.crm.journeys.domain.JourneyRunner;
import dev.crm.journeys.domain.Journeys;
import dev.crm.journeys.store.memory.InMemoryConsentRepository;
import dev.crm.journeys.store.memory.InMemoryJourneyRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.events.Event;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The enrolment function's stream batches on fakes: a failed record is reported by its sequence number
 * and ends the batch, and a tenant's active journeys are read once per batch.
 */
class EnrolmentBatchTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final TenantId a = TenantId.generate();
    private final TenantId b = TenantId.generate();
    private final InMemoryConsentRepository consent = new InMemoryConsentRepository();
    private final InMemoryJourneyRepository repository = new InMemoryJourneyRepository(consent);
    private final JourneyRunner runner = new JourneyRunner(repository, consent,
            id -> new Tenant(id, "T", "t", Tenant.Status.ACTIVE, TenantSettings.defaults(), TenantSecrets.generate(),
                    clock.instant(), clock.instant(), 1),
            m -> "m", "https://crm.example", clock);
    private final JourneyEntry entry = new JourneyEntry(repository, consent, runner, clock);
    private final EnrolmentBatch batch = new EnrolmentBatch(entry);
    private final Journeys journeys = new Journeys(repository, clock);
    private int sequence = 100;

    /** A journey a purchase enrols in (no steps to run); @return it, active unless told */
    private Journey journey(TenantId t, boolean active) {
        Violations v = new Violations();
        JourneyDefinition d = JourneyDefinition.parse(JsonObject.of(Json.parse("{\"trigger\": {\"event\":"
                + " \"interaction.recorded\", \"where\": {\"type\": \"purchase\"}}, \"entry\": {\"mode\": \"once\"},"
                + " \"steps\": [{\"wait\": \"P2D\"}]}"), v), Set.of("offers"));
        assertEquals(List.of(), v.items());
        Journey j = journeys.create(t, "jrn_" + System.nanoTime(), "J", d);
        return active ? journeys.move(t, j, Journey.Status.ACTIVE) : j;
    }

    private String contact(String id) {
        consent.contacts.put(id, new Contact(id, new ContactData("Ann", null, id + "@example.com", null, null, null,
                "Europe/Berlin", null, List.of(), Map.of(), null), clock.instant(), clock.instant(), 1, Contact.Status.ACTIVE));
        return id;
    }

    /** A purchase's stored-event item, as DynamoDbEventRepository writes it. */
    private Map<String, AttributeValue> purchase(TenantId t, String contactId) {
        Event e = new Event("evt_" + contactId + "_" + sequence, "interaction.recorded", "crm.contacts", clock.instant(), t,
                contactId, Map.of("type", "purchase", "contactId", contactId));
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.event(t, e.id()), Keys.ITEM));
        item.put(Table.ENTITY, Attr.s("EVENT"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("eventId", Attr.s(e.id()));
        item.put("eventType", Attr.s(e.type()));
        item.put("source", Attr.s(e.source()));
        item.put("contactId", Attr.s(contactId));
        item.put("envelope", Attr.s(e.envelopeJson()));
        return item;
    }

    /** The records in one batch, each with its own stream record id and the next sequence number. */
    @SafeVarargs
    private DynamodbEvent batchOf(Map<String, AttributeValue>... items) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            var r = StreamRecords.change("rec-" + (++sequence), clock.instant(), null, item).getRecords().get(0);
            r.getDynamodb().setSequenceNumber("4900000000000000000" + sequence);
            records.add(r);
        }
        DynamodbEvent e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private static List<String> reported(StreamsEventResponse r) {
        return r.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void aFailedRecordIsReportedByItsSequenceNumberAndTheRecordsAfterItWaitForTheRetry() {
        Journey j = journey(a, true);
        String first = contact("ct_first");
        String third = contact("ct_third");
        Map<String, AttributeValue> poisoned = purchase(a, contact("ct_second"));
        poisoned.put("envelope", Attr.s("{not json")); // a record no retry can decode

        DynamodbEvent records = batchOf(purchase(a, first), poisoned, purchase(a, third));
        StreamsEventResponse response = batch.handle(records);

        String second = records.getRecords().get(1).getDynamodb().getSequenceNumber();
        assertEquals(List.of(second), reported(response), "the 2nd record's sequence number, not its event id");
        assertEquals(1, repository.enrolments(a, j.id(), first).size(), "the record before it is done");
        assertEquals(0, repository.enrolments(a, j.id(), third).size(), "the record after it comes again with the retry");

        // Lambda's retry starts at the reported record; once it decodes, the batch goes through
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(records.getRecords().subList(1, 3));
        retry.getRecords().get(0).getDynamodb().getNewImage().put("envelope",
                StreamRecords.convert(purchase(a, "ct_second").get("envelope")));
        assertEquals(List.of(), reported(batch.handle(retry)));
        assertEquals(1, repository.enrolments(a, j.id(), third).size());
    }

    @Test
    void aTenantsActiveJourneysAreReadOncePerBatch() {
        Journey ja = journey(a, true);
        Journey jb = journey(b, true);
        List<Map<String, AttributeValue>> ofA = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ofA.add(purchase(a, contact("ct_a" + i)));
        }
        batch.handle(batchOf(ofA.toArray(Map[]::new)));
        assertEquals(1, repository.activeJourneyReads.get(), "five events of one tenant: one read");
        for (int i = 0; i < 5; i++) {
            assertEquals(1, repository.enrolments(a, ja.id(), "ct_a" + i).size(), "the same enrolments as one by one");
        }

        repository.activeJourneyReads.set(0);
        batch.handle(batchOf(purchase(a, contact("ct_a5")), purchase(b, contact("ct_b0")), purchase(a, contact("ct_a6")),
                purchase(b, contact("ct_b1"))));
        assertEquals(2, repository.activeJourneyReads.get(), "two tenants: one read each");
        assertEquals(1, repository.enrolments(b, jb.id(), "ct_b1").size());
        assertEquals(0, repository.enrolments(b, ja.id(), "ct_b1").size(), "tenant A's journey is not B's");
    }

    @Test
    void aJourneyActivatedBetweenBatchesIsMetByTheNextBatch() {
        Journey later = journey(a, false);
        batch.handle(batchOf(purchase(a, contact("ct_before"))));
        assertEquals(0, repository.enrolments(a, later.id(), "ct_before").size(), "not active yet");

        journeys.move(a, later, Journey.Status.ACTIVE);
        batch.handle(batchOf(purchase(a, contact("ct_after"))));
        assertEquals(1, repository.enrolments(a, later.id(), "ct_after").size());
    }
}
