package dev.crm.contacts.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.Interaction;
import dev.crm.contacts.domain.InteractionChannel;
import dev.crm.contacts.domain.InteractionType;
import dev.crm.devkit.EventSchemas;
import dev.crm.devkit.StreamRecords;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.Money;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The contacts function's items as events, from stream records built out of the items the adapters write. */
class ContactChangeDecoderTest {
    private static final TenantId T = new TenantId("t_decoder000000000000a");
    private static final Instant CREATED = Instant.parse("2026-12-01T09:00:00.123Z");
    private static final Instant SEEN = Instant.parse("2026-12-06T12:00:00Z");
    private final ContactChangeDecoder decoder = new ContactChangeDecoder();

    static Contact contact(String lastName, long version, Instant updatedAt, Contact.Status status) {
        ContactData d = new ContactData("Ann", lastName, "ann@example.com", "+441632960001", "Acme", "en-GB",
                "Europe/London", LifecycleStage.CUSTOMER, List.of("vip"), Map.of("plan", "gold", "seats", 3), "ext-1");
        return new Contact("c_decoder0000000000001", d, CREATED, updatedAt, version, status);
    }

    static Map<String, AttributeValue> profile(Contact c) {
        return ContactRecord.SCHEMA.itemToMap(ContactRecord.of(T, c), true);
    }

    List<Event> decode(String recordId, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        List<Event> out = new java.util.ArrayList<>();
        for (TableChange change : TableChange.of(StreamRecords.change(recordId, SEEN, before, after))) {
            out.addAll(decoder.events(change));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(Map<String, Object> apiForm) {
        return (Map<String, Object>) Json.parse(Json.write(apiForm));
    }

    static void assertConforms(Event e) {
        assertTrue(EventIds.isValid(e.id()), e.id());
        assertEquals("crm.contacts", e.source());
        assertEquals(List.of(), EventSchemas.violations(e.type(), e.data()), e.type());
        assertEquals(List.of(), EventSchemas.envelopeViolations(e.envelopeJson()), e.type());
    }

    // ---- the profile ----

    @Test
    void aNewProfileIsContactCreatedWithTheContactAsItsGetReturnsIt() {
        Contact c = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        List<Event> events = decode("rec-1", null, profile(c));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("contact.created", e.type());
        assertEquals(T, e.tenant());
        assertEquals(CREATED, e.timestamp(), "the contact's own time, not the stream's");
        assertEquals(c.id(), e.personalDataOf(), "stored in the contact's partition, erased with it");
        assertEquals(plain(c.toJson()), e.data());
        assertConforms(e);
    }

    @Test
    void aChangedProfileIsContactUpdatedWithTheStateAfter() {
        Contact before = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        Instant later = CREATED.plusSeconds(60);
        Contact after = contact("Jones", 2, later, Contact.Status.ACTIVE);
        List<Event> events = decode("rec-2", profile(before), profile(after));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("contact.updated", e.type());
        assertEquals(later, e.timestamp());
        assertEquals("Jones", e.data().get("lastName"));
        assertEquals(2L, e.data().get("version"));
        assertEquals(after.id(), e.personalDataOf());
        assertConforms(e);
    }

    @Test
    void aRewriteOfTheSameStateAnnouncesNothing() {
        Contact before = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        // a patch with the values it had: a new version, nothing a consumer could act on
        Contact same = contact("Smith", 2, CREATED.plusSeconds(5), Contact.Status.ACTIVE);
        assertEquals(List.of(), decode("rec-3", profile(before), profile(same)));
        // the email guard migration REMOVEs a legacy attribute and changes nothing public
        Map<String, AttributeValue> legacy = new HashMap<>(profile(before));
        legacy.put("emailHash", Attr.s("0123abcd"));
        assertEquals(List.of(), decode("rec-4", legacy, profile(before)));
    }

    @Test
    void anErasingOrAnonymisedProfileAnnouncesNothing() {
        Contact active = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        Contact erasing = contact("Smith", 1, CREATED, Contact.Status.ERASING);
        Contact anonymized = contact(null, 2, CREATED.plusSeconds(1), Contact.Status.ANONYMIZED);
        assertEquals(List.of(), decode("rec-5", profile(active), profile(erasing)));
        assertEquals(List.of(), decode("rec-6", profile(active), profile(anonymized)));
        assertEquals(List.of(), decode("rec-7", profile(erasing), null), "the erasure's delete");
    }

    @Test
    void aContactTooLargeForAnEnvelopeIsAnnouncedByItsIdAsItsSchemaAllows() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            attributes.put("note" + i, "x".repeat(1000));
        }
        Contact base = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        ContactData d = base.data();
        Contact big = new Contact(base.id(), new ContactData(d.firstName(), d.lastName(), d.email(), d.phone(), d.company(),
                d.locale(), d.timeZone(), d.lifecycleStage(), d.tags(), attributes, d.externalId()), CREATED, CREATED, 1,
                Contact.Status.ACTIVE);
        Event e = decode("rec-big", null, profile(big)).get(0);
        String envelope = e.envelopeJson();
        assertTrue(envelope.length() <= Event.MAX_BYTES);
        assertEquals(Map.of("id", big.id(), "externalId", "ext-1", "truncated", true), ((Map<?, ?>) Json.parse(envelope)).get("data"));
        assertEquals(List.of(), EventSchemas.envelopeViolations(envelope));
    }

    // ---- touch points ----

    static Map<String, AttributeValue> interactionEntry(Interaction i, Instant recordedAt) {
        Map<String, AttributeValue> entry = new HashMap<>(Table.key(Keys.contact(T, "c_decoder0000000000001"),
                Keys.timeline(i.occurredAt(), "interaction", i.id())));
        entry.put(Table.ENTITY, Attr.s("TIMELINE"));
        entry.put("tenantId", Attr.s(T.value()));
        entry.put("kind", Attr.s("interaction"));
        entry.put("interactionType", Attr.s(i.type().wire()));
        entry.put("entryId", Attr.s(i.id()));
        entry.put("occurredAt", Attr.instant(i.occurredAt()));
        entry.put("recordedAt", Attr.instant(recordedAt));
        entry.put("data", Attr.of(i.toJson()));
        entry.put("contactId", Attr.s("c_decoder0000000000001"));
        return entry;
    }

    @Test
    void aRecordedTouchPointIsInteractionRecordedWithItsApiFormAndTheContact() {
        Instant occurred = Instant.parse("2025-03-01T08:00:00Z");
        Instant recorded = Instant.parse("2026-12-06T11:59:59.500Z");
        Interaction i = new Interaction("order-42", InteractionType.PURCHASE, InteractionChannel.WEB, occurred,
                new Money(new BigDecimal("19.90"), "EUR"), "two mugs", "shop");
        List<Event> events = decode("rec-8", null, interactionEntry(i, recorded));
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("interaction.recorded", e.type());
        // a back-dated purchase is news when it is recorded (and is kept 30 days from then)
        assertEquals(recorded, e.timestamp());
        Map<String, Object> expected = new LinkedHashMap<>(plain(i.toJson()));
        expected.put("contactId", "c_decoder0000000000001");
        assertEquals(expected, e.data());
        assertEquals("c_decoder0000000000001", e.personalDataOf());
        assertConforms(e);
    }

    @Test
    void otherTimelineChangesAndItemsAnnounceNothing() {
        Interaction i = new Interaction("call-1", InteractionType.CALL, null, CREATED, null, "said hello", null);
        Map<String, AttributeValue> entry = interactionEntry(i, CREATED);
        Map<String, AttributeValue> stripped = new HashMap<>(entry);
        stripped.put("data", Attr.of(new Interaction("call-1", InteractionType.CALL, null, CREATED, null, null, null).toJson()));
        assertEquals(List.of(), decode("rec-9", entry, stripped), "anonymisation strips the summary");
        Map<String, AttributeValue> consent = new HashMap<>(entry);
        consent.put("kind", Attr.s("consent_change"));
        assertEquals(List.of(), decode("rec-10", null, consent), "the preferences function's entry");
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(Keys.contact(T, "c_decoder0000000000001"),
                Keys.interactionGuard("call-1")));
        guard.put(Table.ENTITY, Attr.s("INTERACTION_GUARD"));
        guard.put("fingerprint", Attr.s("ab"));
        assertEquals(List.of(), decode("rec-11", null, guard));
        Map<String, AttributeValue> summary = new HashMap<>(Table.key(Keys.contact(T, "c_decoder0000000000001"),
                Keys.PURCHASE_SUMMARY));
        summary.put(Table.ENTITY, Attr.s("PURCHASE_SUMMARY"));
        summary.put("purchases", Attr.n(1));
        assertEquals(List.of(), decode("rec-12", null, summary));
        assertEquals(List.of(), decode("rec-13", entry, null), "the erasure's delete");
    }

    // ---- jobs ----

    static Map<String, AttributeValue> job(String id, String kind, String status, Map<String, Object> input,
            Map<String, Object> result, Instant updatedAt) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(T, id), Keys.ITEM));
        item.put(Table.ENTITY, Attr.s("JOB"));
        item.put("jobId", Attr.s(id));
        item.put("jobKind", Attr.s(kind));
        item.put("tenantId", Attr.s(T.value()));
        item.put("status", Attr.s(status));
        item.put("done", Attr.n(3));
        item.put("total", Attr.n(3));
        if (input != null) {
            item.put("input", Attr.of(input));
        }
        if (result != null) {
            item.put("result", Attr.of(result));
        }
        item.put("checkpoint", Attr.of(Map.of("phase", "delete", "pseudonym", "ps")));
        item.put("createdAt", Attr.instant(CREATED));
        item.put("updatedAt", Attr.instant(updatedAt));
        return item;
    }

    @Test
    void aSucceededErasureIsContactErasedAndErasureCompletedWithoutPersonalData() {
        Instant done = CREATED.plusSeconds(30);
        Map<String, Object> input = Map.of("contactId", "c_decoder0000000000001");
        var running = job("era_decoder0000000000001", "contact_erasure", "running", input, null, CREATED.plusSeconds(10));
        // completing a job removes its input: the contact is named by the image before only
        var succeeded = job("era_decoder0000000000001", "contact_erasure", "succeeded", null, Map.of("deletedItems", 3), done);
        List<Event> events = decode("rec-14", running, succeeded);
        assertEquals(List.of("contact.erased", "erasure.completed"), events.stream().map(Event::type).toList());
        Event erased = events.get(0);
        assertEquals(Map.of("contactId", "c_decoder0000000000001", "erasedAt", "2026-12-01T09:00:30.123Z"), erased.data());
        assertEquals(done, erased.timestamp());
        Event completed = events.get(1);
        assertEquals("era_decoder0000000000001", completed.data().get("id"));
        assertEquals("succeeded", completed.data().get("status"));
        assertEquals(Map.of("deletedItems", 3L), completed.data().get("result"));
        assertTrue(!completed.data().containsKey("contactId"), "as GET /v1/contacts/erasures/{id} returns it");
        for (Event e : events) {
            assertNull(e.personalDataOf(), "outlives the contact");
            assertTrue(!e.envelopeJson().contains("pseudonym") && !e.envelopeJson().contains("checkpoint"));
            assertConforms(e);
        }
        assertNotEquals(erased.id(), completed.id());
        // the finished job written again (a lease released, say) is no second completion
        assertEquals(List.of(), decode("rec-15", succeeded, succeeded));
        assertEquals(List.of(), decode("rec-16", job("era_decoder0000000000001", "contact_erasure", "queued", input, null, CREATED),
                running));
        var anonymization = job("ano_decoder0000000000001", "contact_anonymization", "succeeded", input,
                Map.of("anonymized", true), done);
        assertEquals(List.of(), decode("rec-17", running, anonymization));
    }

    @Test
    void aSucceededImportIsImportCompletedWithItsCounts() {
        Map<String, Object> input = Map.of("format", "csv", "chunks", List.of(3));
        var running = job("imp_decoder0000000000001", "contact_import", "running", input, null, CREATED);
        var succeeded = job("imp_decoder0000000000001", "contact_import", "succeeded", null,
                Map.of("created", 2, "updated", 0, "rejectedCount", 1), CREATED.plusSeconds(9));
        List<Event> events = decode("rec-18", running, succeeded);
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertEquals("import.completed", e.type());
        assertNull(e.personalDataOf());
        assertEquals(Map.of("created", 2L, "updated", 0L, "rejectedCount", 1L), e.data().get("result"));
        assertEquals(CREATED.plusSeconds(9), e.timestamp());
        assertTrue(!e.data().containsKey("input"), "the job's input stays inside");
        assertConforms(e);
        var failed = job("imp_decoder0000000000001", "contact_import", "failed", input, null, CREATED.plusSeconds(9));
        assertEquals(List.of(), decode("rec-19", running, failed));
    }

    @Test
    void anInteractionImportAnnouncesItsCompletionAndNoneOfItsLines() {
        // a line's touch point is history, not news: a purchase trigger must not enrol for a years-old order
        Interaction i = new Interaction("iimp_decoder000000000001:7", InteractionType.PURCHASE, InteractionChannel.WEB,
                Instant.parse("1997-03-01T08:00:00Z"), new Money(new BigDecimal("19.90"), "EUR"), null, "erp");
        Map<String, AttributeValue> line = interactionEntry(i, CREATED);
        line.put(DynamoDbImportRowRepository.IMPORT_JOB, Attr.s("iimp_decoder000000000001"));
        assertEquals(List.of(), decode("rec-30", null, line));
        Map<String, Object> input = Map.of("createContacts", true, "chunks", List.of(3));
        var running = job("iimp_decoder000000000001", "interaction_import", "running", input, null, CREATED);
        var succeeded = job("iimp_decoder000000000001", "interaction_import", "succeeded", null,
                Map.of("imported", 2, "rejectedCount", 1, "createdContacts", 2), CREATED.plusSeconds(9));
        List<Event> events = decode("rec-31", running, succeeded);
        assertEquals(List.of("import.completed"), events.stream().map(Event::type).toList());
        Event e = events.get(0);
        assertEquals("interaction_import", e.data().get("kind"));
        assertEquals(Map.of("imported", 2L, "rejectedCount", 1L, "createdContacts", 2L), e.data().get("result"));
        assertNull(e.personalDataOf());
        assertConforms(e);
        // a contact import's counts under the interaction import's kind do not pass the schema
        var wrong = job("iimp_decoder000000000001", "interaction_import", "succeeded", null,
                Map.of("created", 2, "updated", 0, "rejectedCount", 1), CREATED.plusSeconds(9));
        assertTrue(!EventSchemas.violations("import.completed", decode("rec-32", running, wrong).get(0).data()).isEmpty());
    }

    // ---- ids ----

    @Test
    void theSameRecordTwiceGivesTheSameIdsAndAnotherRecordOthers() {
        Contact c = contact("Smith", 1, CREATED, Contact.Status.ACTIVE);
        Event first = decode("rec-20", null, profile(c)).get(0);
        Event again = decode("rec-20", null, profile(c)).get(0);
        assertEquals(first.id(), again.id());
        assertEquals(first.envelopeJson(), again.envelopeJson());
        assertNotEquals(first.id(), decode("rec-21", null, profile(c)).get(0).id());
        // ids sort by the change's time
        Event later = decode("rec-22", profile(c), profile(contact("Jones", 2, CREATED.plusSeconds(1), Contact.Status.ACTIVE)))
                .get(0);
        assertTrue(later.id().compareTo(first.id()) > 0);
    }
}
