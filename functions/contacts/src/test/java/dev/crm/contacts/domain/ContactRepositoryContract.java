package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.ContactRepository.AppendOutcome;
import dev.crm.contacts.domain.ContactRepository.ListQuery;
import dev.crm.contacts.domain.ContactRepository.PurchaseUpdate;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.Money;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.json.Json;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContactRepository} does, whatever stores it: run against the in-memory fake
 * ({@code InMemoryContactRepositoryTest}) and the DynamoDB adapter on DynamoDB Local
 * ({@code DynamoDbContactRepositoryIT}).
 */
public abstract class ContactRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    protected final TenantId tenant = new TenantId(Ids.random("t_", 20));
    protected final TenantId other = new TenantId(Ids.random("t_", 20));

    /** A fresh repository (a new one per test; the DynamoDB one shares the table, tenants are new). */
    protected abstract ContactRepository repository();

    private ContactRepository repo;

    protected ContactRepository contacts() {
        if (repo == null) {
            repo = repository();
        }
        return repo;
    }

    protected static ContactData data(String email, String externalId, LifecycleStage stage, List<String> tags) {
        return new ContactData("Ada", "Lovelace", email, null, null, "en", "Europe/Berlin", stage, tags, Map.of("tier", "gold"),
                externalId);
    }

    protected static String email() {
        return "ada." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    protected static Contact contact(ContactData data, Instant at) {
        return new Contact(Ids.random(Contact.ID_PREFIX, 20), data, at, at, 1, Contact.Status.ACTIVE);
    }

    protected Contact created(ContactData data, Instant at) {
        Contact c = contact(data, at);
        contacts().create(tenant, c);
        return c;
    }

    protected static Contact next(Contact c, ContactData data, Instant at) {
        return new Contact(c.id(), data, c.createdAt(), at, c.version() + 1, c.status());
    }

    // ---- contacts ----

    @Test
    void aCreatedContactIsFoundByIdEmailAndExternalIdWithinItsTenantOnly() {
        String email = email();
        String ext = "crm-" + UUID.randomUUID();
        Contact c = created(data(email, ext, LifecycleStage.LEAD, List.of("vip")), T0);
        Contact found = contacts().find(tenant, c.id());
        assertEquals(c.data(), found.data());
        assertEquals(c.version(), found.version());
        assertEquals(Contact.Status.ACTIVE, found.status());
        assertEquals(c.updatedAt(), found.updatedAt());
        assertEquals(c.id(), contacts().findIdByEmail(tenant, email));
        assertEquals(c.id(), contacts().findIdByExternalId(tenant, ext));
        assertNull(contacts().find(other, c.id()));
        assertNull(contacts().findIdByEmail(other, email));
        assertNull(contacts().findIdByExternalId(other, ext));
        assertNull(contacts().find(tenant, Ids.random(Contact.ID_PREFIX, 20)));
    }

    @Test
    void createAllCreatesEveryContactOrNone() {
        List<Contact> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(contact(data(null, "bulk-" + i + "-" + UUID.randomUUID(), LifecycleStage.CUSTOMER, List.of()), T0));
        }
        assertTrue(contacts().createAll(tenant, batch));
        for (Contact c : batch) {
            assertEquals(c.id(), contacts().findIdByExternalId(tenant, c.data().externalId()));
            assertNotNull(contacts().find(tenant, c.id()));
        }
        // one external id already held: nothing of the group is written
        Contact taken = contact(data(null, batch.get(3).data().externalId(), LifecycleStage.CUSTOMER, List.of()), T0);
        Contact fresh = contact(data(null, "bulk-fresh-" + UUID.randomUUID(), LifecycleStage.CUSTOMER, List.of()), T0);
        assertFalse(contacts().createAll(tenant, List.of(fresh, taken)));
        assertNull(contacts().find(tenant, fresh.id()));
        assertNull(contacts().findIdByExternalId(tenant, fresh.data().externalId()));
        assertNull(contacts().find(tenant, taken.id()));
    }

    @Test
    void anEmailOrExternalIdHeldByAnotherContactIsAUniqueViolationNamingTheHolder() {
        String email = email();
        String ext = "crm-" + UUID.randomUUID();
        Contact holder = created(data(email, ext, null, List.of()), T0);
        var byEmail = assertThrows(StoreException.UniqueViolation.class,
                () -> contacts().create(tenant, contact(data(email, null, null, List.of()), T0)));
        assertEquals("email", byEmail.field());
        assertEquals(holder.id(), byEmail.existingId());
        var byExt = assertThrows(StoreException.UniqueViolation.class,
                () -> contacts().create(tenant, contact(data(email(), ext, null, List.of()), T0)));
        assertEquals("externalId", byExt.field());
        assertEquals(holder.id(), byExt.existingId());
        // another tenant may hold the same values
        contacts().create(other, contact(data(email, ext, null, List.of()), T0));
    }

    @Test
    void creatingAnIdThatExistsIsAVersionConflictWhateverItsGuards() {
        // A re-run of a keyed create derives the same id: it must learn that the id exists, also when
        // the email and external id it carries are held by that very contact.
        Contact plain = created(data(null, null, LifecycleStage.LEAD, List.of()), T0);
        Contact again = new Contact(plain.id(), plain.data(), T0.plusSeconds(61), T0.plusSeconds(61), 1, Contact.Status.ACTIVE);
        assertThrows(StoreException.VersionConflict.class, () -> contacts().create(tenant, again));

        Contact guarded = created(data(email(), "ext-" + UUID.randomUUID(), LifecycleStage.LEAD, List.of()), T0);
        Contact guardedAgain = new Contact(guarded.id(), guarded.data(), T0.plusSeconds(61), T0.plusSeconds(61), 1,
                Contact.Status.ACTIVE);
        assertThrows(StoreException.VersionConflict.class, () -> contacts().create(tenant, guardedAgain));
        assertEquals(T0, contacts().find(tenant, guarded.id()).createdAt());
    }

    @Test
    void aReplaceChecksTheVersionAndMovesTheGuards() {
        String first = email();
        String second = email();
        Contact c = created(data(first, null, null, List.of()), T0);
        Contact v2 = next(c, data(second, null, null, List.of()), T0.plusSeconds(1));
        contacts().replace(tenant, c, v2);
        assertEquals(2, contacts().find(tenant, c.id()).version());
        assertEquals(List.of(), contacts().find(tenant, c.id()).data().tags());
        assertNull(contacts().findIdByEmail(tenant, first));
        assertEquals(c.id(), contacts().findIdByEmail(tenant, second));
        // a stale version, without and with a guard change
        assertThrows(StoreException.VersionConflict.class,
                () -> contacts().replace(tenant, c, next(c, data(first, null, null, List.of("x")), T0.plusSeconds(2))));
        Contact v3 = next(v2, data(second, null, null, List.of("x")), T0.plusSeconds(2));
        contacts().replace(tenant, v2, v3);
        String third = email();
        assertThrows(StoreException.VersionConflict.class,
                () -> contacts().replace(tenant, v2, next(v2, data(third, null, null, List.of()), T0.plusSeconds(3))));
        assertEquals(c.id(), contacts().findIdByEmail(tenant, second));
        assertNull(contacts().findIdByEmail(tenant, third));
        // the freed address can be taken by another contact; a taken one cannot be moved to
        Contact d = created(data(first, null, null, List.of()), T0);
        var taken = assertThrows(StoreException.UniqueViolation.class,
                () -> contacts().replace(tenant, d, next(d, data(second, null, null, List.of()), T0.plusSeconds(3))));
        assertEquals("email", taken.field());
        assertEquals(d.id(), contacts().findIdByEmail(tenant, first));
    }

    // ---- the list ----

    private List<Contact> all(ListQuery q, int pageSize) {
        List<Contact> out = new ArrayList<>();
        Cursor from = null;
        int pages = 0;
        do {
            Slice<Contact> page = contacts().list(tenant, q, pageSize, from);
            assertTrue(page.items().size() <= pageSize);
            out.addAll(page.items());
            from = page.next();
            assertTrue(++pages < 100, "the list must end");
        } while (from != null);
        return out;
    }

    @Test
    void theListPagesThroughTheActiveContactsNewestChangeFirstAndFilters() {
        List<Contact> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(created(data(email(), null, i % 2 == 0 ? LifecycleStage.CUSTOMER : LifecycleStage.LEAD,
                    i < 3 ? List.of("vip") : List.of()), T0.plusSeconds(i)));
        }
        List<String> newestFirst = new ArrayList<>(made.stream().map(Contact::id).toList());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, all(ListQuery.ALL, 3).stream().map(Contact::id).toList());
        assertEquals(List.of(made.get(6).id(), made.get(4).id(), made.get(2).id(), made.get(0).id()),
                all(new ListQuery(LifecycleStage.CUSTOMER, null, null), 2).stream().map(Contact::id).toList());
        assertEquals(List.of(made.get(2).id(), made.get(1).id(), made.get(0).id()),
                all(new ListQuery(null, "vip", null), 10).stream().map(Contact::id).toList());
        // a sync reads forward in time from the given instant
        assertEquals(List.of(made.get(5).id(), made.get(6).id()),
                all(new ListQuery(null, null, T0.plusSeconds(5)), 10).stream().map(Contact::id).toList());
        // resuming after a contact continues with the next older one
        Slice<Contact> after = contacts().list(tenant, ListQuery.ALL, 2, contacts().resumeAfter(tenant, made.get(4)));
        assertEquals(List.of(made.get(3).id(), made.get(2).id()), after.items().stream().map(Contact::id).toList());
        assertTrue(contacts().list(other, ListQuery.ALL, 10, null).items().isEmpty());
    }

    // ---- touch points ----

    protected static Interaction call(String id, Instant at) {
        return new Interaction(id, InteractionType.CALL, InteractionChannel.PHONE, at, null, "asked about delivery", null);
    }

    protected static Interaction purchase(String id, Instant at, String amount) {
        return new Interaction(id, InteractionType.PURCHASE, InteractionChannel.WEB, at, new Money(new BigDecimal(amount), "EUR"),
                null, null);
    }

    /** What the service writes for a purchase, from the state it read. */
    protected PurchaseUpdate purchaseUpdate(String contactId, Interaction p) {
        LocalDate day = p.occurredAt().atZone(ZoneOffset.UTC).toLocalDate();
        var state = contacts().purchaseState(tenant, contactId, day, "EUR");
        PurchaseSummary after = state.summary().add(new PurchaseSummary.Purchase(day, p.value().amount()), state.dayHadPurchases());
        return new PurchaseUpdate(after, state.summary().version(), day, state.daySpend().add(p.value().amount()),
                state.dayPurchases() + 1, state.dayHadPurchases());
    }

    @Test
    void aTouchPointIsAppendedOnceAndItsIdThenNamesWhatIsStored() {
        Contact c = created(data(email(), null, null, List.of()), T0);
        Interaction i = call("call-1", T0.plusSeconds(10));
        assertEquals(AppendOutcome.CREATED, contacts().appendInteraction(tenant, c.id(), i, null, false, T0));
        var again = assertThrows(ContactRepository.InteractionExists.class,
                () -> contacts().appendInteraction(tenant, c.id(), i, null, false, T0));
        assertEquals(i.fingerprint(), again.existing().fingerprint());
        assertEquals("call-1", again.existing().json().get("id"));
        assertEquals("asked about delivery", again.existing().json().get("summary"));
        assertEquals(AppendOutcome.CONTACT_MISSING, contacts().appendInteraction(tenant, Ids.random(Contact.ID_PREFIX, 20),
                call("call-2", T0), null, false, T0));
        assertEquals(AppendOutcome.CONTACT_MISSING, contacts().appendInteraction(other, c.id(), call("call-3", T0), null,
                false, T0));
    }

    @Test
    void aPurchaseUpdatesTheSummaryOnlyFromTheVersionItWasComputedOn() {
        Contact c = created(data(email(), null, null, List.of()), T0);
        Interaction p1 = purchase("p-1", T0, "10.00");
        PurchaseUpdate u1 = purchaseUpdate(c.id(), p1);
        Interaction p2 = purchase("p-2", T0.plusSeconds(60), "5.50");
        PurchaseUpdate stale = purchaseUpdate(c.id(), p2);
        assertEquals(AppendOutcome.CREATED, contacts().appendInteraction(tenant, c.id(), p1, u1, false, T0));
        assertThrows(StoreException.Contention.class, () -> contacts().appendInteraction(tenant, c.id(), p2, stale, false, T0));
        assertEquals(AppendOutcome.CREATED, contacts().appendInteraction(tenant, c.id(), p2, purchaseUpdate(c.id(), p2), false, T0));
        var state = contacts().purchaseState(tenant, c.id(), LocalDate.of(2026, 11, 24), "EUR");
        assertTrue(state.dayHadPurchases());
        assertEquals(0, new BigDecimal("15.50").compareTo(state.daySpend()));
        assertEquals(2, state.dayPurchases());
        assertEquals(2, state.summary().purchases());
        assertEquals(0, new BigDecimal("15.50").compareTo(state.summary().totalSpend()));
        assertEquals(List.of("p-1", "p-2"), contacts().purchases(tenant, c.id()).stream().map(Interaction::id).sorted().toList());
        var facts = contacts().facts(tenant, List.of(c));
        assertEquals(2, facts.get(c.id()).purchases().purchases());
    }

    @Test
    void theTimelinePagesNewestFirstAndThe360ViewShowsRecentTouchPoints() {
        Contact c = created(data(email(), null, null, List.of()), T0);
        for (int i = 0; i < 5; i++) {
            contacts().appendInteraction(tenant, c.id(), call("call-" + i, T0.plusSeconds(i)), null, false, T0);
        }
        contacts().appendInteraction(tenant, c.id(), new Interaction("complaint-1", InteractionType.COMPLAINT, null,
                T0.plusSeconds(10), null, null, null), null, true, T0);
        List<String> ids = new ArrayList<>();
        Cursor from = null;
        do {
            Slice<TimelineEntry> page = contacts().timeline(tenant, c.id(), 2, from);
            page.items().forEach(e -> ids.add(e.id()));
            from = page.next();
        } while (from != null);
        assertEquals(List.of("complaint-1", "call-4", "call-3", "call-2", "call-1", "call-0"), ids);
        TimelineEntry newest = contacts().timeline(tenant, c.id(), 1, null).items().get(0);
        assertEquals("interaction", newest.kind());
        assertEquals(T0.plusSeconds(10), newest.occurredAt());
        assertEquals("complaint", newest.toJson().get("type"));

        var view = contacts().view360(tenant, c.id(), 3, "EUR");
        assertEquals(c.id(), view.contact().id());
        assertEquals(1, view.complaints());
        assertEquals(List.of("complaint-1", "call-4", "call-3"), view.recentInteractions().stream().map(TimelineEntry::id).toList());
        assertNull(view.preferences());
        assertNull(contacts().view360(tenant, Ids.random(Contact.ID_PREFIX, 20), 3, "EUR"));
        assertTrue(contacts().timeline(other, c.id(), 10, null).items().isEmpty());
    }

    // ---- segments ----

    protected static Segment segment(String name) {
        SegmentRule rule = SegmentRule.parse(Json.parse("{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"lead\"}"),
                "/rule", new Violations());
        return new Segment(Ids.random(Segment.ID_PREFIX, 20), name, "the leads", rule, T0);
    }

    @Test
    void segmentsAreCreatedListedFoundAndDeletedPerTenant() {
        Segment a = segment("Leads");
        Segment b = segment("More leads");
        contacts().createSegment(tenant, a);
        contacts().createSegment(tenant, b);
        Segment found = contacts().findSegment(tenant, a.id());
        assertEquals(a.name(), found.name());
        assertEquals(a.description(), found.description());
        assertEquals(a.rule().toJson(), found.rule().toJson());
        assertEquals(a.createdAt(), found.createdAt());
        assertEquals(List.of(a.id(), b.id()).stream().sorted().toList(),
                contacts().segments(tenant).stream().map(Segment::id).toList());
        assertNull(contacts().findSegment(other, a.id()));
        assertTrue(contacts().segments(other).isEmpty());
        assertFalse(contacts().deleteSegment(other, a.id()));
        assertTrue(contacts().deleteSegment(tenant, a.id()));
        assertFalse(contacts().deleteSegment(tenant, a.id()));
        assertNull(contacts().findSegment(tenant, a.id()));
        assertNotNull(contacts().findSegment(tenant, b.id()));
    }

    @Test
    void aTenantHasAtMostTheDocumentedNumberOfSegments() {
        for (int i = 0; i < Segment.MAX_PER_TENANT; i++) {
            contacts().createSegment(tenant, segment("s" + i));
        }
        assertThrows(StoreException.LimitReached.class, () -> contacts().createSegment(tenant, segment("one too many")));
        assertTrue(contacts().deleteSegment(tenant, contacts().segments(tenant).get(0).id()));
        contacts().createSegment(tenant, segment("room again"));
        assertEquals(Segment.MAX_PER_TENANT, contacts().segments(tenant).size());
    }
}
