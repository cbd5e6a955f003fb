package dev.crm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.contacts.domain.ContactService.ContactFilter;
import dev.crm.contacts.domain.ContactService.Recorded;
import dev.crm.contacts.store.memory.InMemoryContactRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.Money;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.Violations;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contact rules on the in-memory repository, including a store that is contended. */
class ContactServiceTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final TenantId tenant = new TenantId(Ids.random("t_", 20));

    /** A repository whose writes are contended the first {@code n} times. */
    static final class ContendedRepository extends InMemoryContactRepository {
        final AtomicInteger contendedCreates = new AtomicInteger();
        final AtomicInteger contendedAppends = new AtomicInteger();

        @Override
        public void create(TenantId t, Contact contact) {
            if (contendedCreates.getAndDecrement() > 0) {
                throw new StoreException.Contention();
            }
            super.create(t, contact);
        }

        @Override
        public AppendOutcome appendInteraction(TenantId t, String contactId, Interaction i, PurchaseUpdate purchase,
                boolean complaint, Instant recordedAt) {
            if (contendedAppends.getAndDecrement() > 0) {
                throw new StoreException.Contention();
            }
            return super.appendInteraction(t, contactId, i, purchase, complaint, recordedAt);
        }
    }

    private final ContendedRepository repository = new ContendedRepository();
    private final ContactService service = new ContactService(repository, clock);

    private static ContactData data(String email, String externalId, LifecycleStage stage, List<String> tags) {
        return new ContactData("Ada", "Lovelace", email, null, null, null, null, stage, tags, Map.of(), externalId);
    }

    private static Interaction purchase(String id, Instant at, String amount, String currency) {
        return new Interaction(id, InteractionType.PURCHASE, InteractionChannel.WEB, at, new Money(new BigDecimal(amount), currency),
                null, null);
    }

    @Test
    void creatingUnderAnIdThatExistsAnswersWithThatContact() {
        // The id a keyed request derives: a re-run finds the first run's contact.
        String id = Ids.random(Contact.ID_PREFIX, 20);
        Contact first = service.create(tenant, data(null, null, LifecycleStage.LEAD, List.of()), id);
        clock.advance(Duration.ofSeconds(61));
        Contact again = service.create(tenant, data(null, null, LifecycleStage.LEAD, List.of()), id);
        assertEquals(first.id(), again.id());
        assertEquals(first.createdAt(), again.createdAt());
        assertEquals(1, service.list(tenant, new ContactFilter(null, null, null, null), 100, null, 1000).items().size());
    }

    @Test
    void aCreateContendedForAWhileIsRetriedUntilItIsWritten() {
        repository.contendedCreates.set(3);
        Contact c = service.create(tenant, data("ada@example.com", null, null, List.of()));
        assertEquals(c.id(), repository.findIdByEmail(tenant, "ada@example.com"));
        assertEquals(1, c.version());
        assertEquals(clock.instant(), c.createdAt());
    }

    @Test
    void aCreateThatStaysContendedGivesUpWithTheContention() {
        repository.contendedCreates.set(ContactService.MAX_ATTEMPTS);
        assertThrows(StoreException.Contention.class, () -> service.create(tenant, data("ada@example.com", null, null, List.of())));
        assertNull(repository.findIdByEmail(tenant, "ada@example.com"));
    }

    @Test
    void aTakenEmailIsAUniqueViolationAtOnce() {
        Contact holder = service.create(tenant, data("ada@example.com", null, null, List.of()));
        var e = assertThrows(StoreException.UniqueViolation.class,
                () -> service.create(tenant, data("ada@example.com", null, null, List.of())));
        assertEquals(holder.id(), e.existingId());
    }

    @Test
    void anUpdateIsAlwaysLaterThanThePreviousOneAndStaleVersionsConflict() {
        Contact c = service.create(tenant, data("ada@example.com", null, null, List.of()));
        Contact v2 = service.update(tenant, c, data("ada@example.com", null, LifecycleStage.CUSTOMER, List.of()));
        assertEquals(2, v2.version());
        assertTrue(v2.updatedAt().isAfter(c.updatedAt()), "same clock reading, still later");
        assertEquals(c.createdAt(), v2.createdAt());
        assertThrows(StoreException.VersionConflict.class,
                () -> service.update(tenant, c, data("ada@example.com", null, LifecycleStage.LEAD, List.of())));
    }

    @Test
    void aContactBeingErasedReadsAsAbsent() {
        Contact c = service.create(tenant, data("ada@example.com", null, null, List.of()));
        new dev.crm.contacts.store.memory.InMemoryPrivacyRepository(repository, job -> { })
                .beginErasure(tenant, c.id(), dev.crm.shared.jobs.NewJob.forTenant(
                        dev.crm.shared.jobs.JobRef.of(tenant, "era_x"), ContactErasure.ERASURE, Map.of(), 0), java.time.Instant.EPOCH);
        assertNull(service.get(tenant, c.id()));
        assertNull(service.view360(tenant, c.id(), 10, "EUR"));
        assertNull(service.lookup(tenant, "ada@example.com", null, new ContactFilter(null, null, null, null)));
    }

    @Test
    void touchPointsAreRecordedOnceAndReplaysAndClashesAreTold() {
        Contact c = service.create(tenant, data(null, null, null, List.of()));
        Interaction call = new Interaction("call-1", InteractionType.CALL, InteractionChannel.PHONE, clock.instant(), null,
                "asked about delivery", null);
        assertEquals(Recorded.CREATED, service.record(tenant, c.id(), call, ZoneId.of("UTC"), "EUR").outcome());
        var replay = service.record(tenant, c.id(), call, ZoneId.of("UTC"), "EUR");
        assertEquals(Recorded.REPLAYED, replay.outcome());
        assertEquals("call-1", replay.interaction().get("id"));
        Interaction clash = new Interaction("call-1", InteractionType.COMPLAINT, null, clock.instant(), null, null, null);
        assertEquals(Recorded.ID_CONFLICT, service.record(tenant, c.id(), clash, ZoneId.of("UTC"), "EUR").outcome());
        assertEquals(Recorded.CONTACT_NOT_FOUND, service.record(tenant, Ids.random(Contact.ID_PREFIX, 20), call,
                ZoneId.of("UTC"), "EUR").outcome());
    }

    @Test
    void contendedPurchasesAreAppliedExactlyOnceEachAndMatchTheRecomputedSummary() {
        Contact c = service.create(tenant, data(null, null, null, List.of()));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        repository.contendedAppends.set(4);
        // 23:30 UTC is the next day in Berlin: the tenant's calendar decides the purchase day
        service.record(tenant, c.id(), purchase("p-1", Instant.parse("2026-11-20T23:30:00Z"), "10.00", "EUR"), berlin, "EUR");
        service.record(tenant, c.id(), purchase("p-2", Instant.parse("2026-11-21T08:00:00Z"), "5.00", "EUR"), berlin, "EUR");
        service.record(tenant, c.id(), purchase("p-3", Instant.parse("2026-11-23T08:00:00Z"), "7.00", "USD"), berlin, "EUR");
        var stored = repository.storedSummary(tenant, c.id());
        assertEquals(3, stored.purchases());
        assertEquals(java.time.LocalDate.of(2026, 11, 21), stored.firstPurchaseDay());
        assertEquals(0, new BigDecimal("15.00").compareTo(stored.totalSpend()), "the USD purchase counts, its amount does not");
        assertTrue(stored.sameFigures(service.recomputePurchases(tenant, c.id(), berlin, "EUR")));
    }

    @Test
    void aPurchaseThatStaysContendedFailsLoudly() {
        Contact c = service.create(tenant, data(null, null, null, List.of()));
        repository.contendedAppends.set(ContactService.MAX_ATTEMPTS);
        assertThrows(IllegalStateException.class, () -> service.record(tenant, c.id(),
                purchase("p-1", clock.instant(), "1.00", "EUR"), ZoneId.of("UTC"), "EUR"));
    }

    @Test
    void aLookupNeedsTheEmailAndExternalIdToNameTheSameContactAndPassTheFilter() {
        Contact a = service.create(tenant, data("a@example.com", "ext-a", LifecycleStage.LEAD, List.of("vip")));
        service.create(tenant, data("b@example.com", "ext-b", null, List.of()));
        ContactFilter none = new ContactFilter(null, null, null, null);
        assertEquals(a.id(), service.lookup(tenant, "a@example.com", null, none).id());
        assertEquals(a.id(), service.lookup(tenant, null, "ext-a", none).id());
        assertEquals(a.id(), service.lookup(tenant, "a@example.com", "ext-a", none).id());
        assertNull(service.lookup(tenant, "a@example.com", "ext-b", none));
        assertNull(service.lookup(tenant, "nobody@example.com", null, none));
        assertNotNull(service.lookup(tenant, "a@example.com", null, new ContactFilter(LifecycleStage.LEAD, "vip", null, null)));
        assertNull(service.lookup(tenant, "a@example.com", null, new ContactFilter(LifecycleStage.CUSTOMER, null, null, null)));
        assertNull(service.lookup(tenant, "a@example.com", null, new ContactFilter(null, null, clock.instant().plusSeconds(1), null)));
    }

    private Segment leads() {
        SegmentRule rule = SegmentRule.parse(Json.parse("{\"field\": \"lifecycleStage\", \"op\": \"eq\", \"value\": \"lead\"}"),
                "/rule", new Violations());
        return service.createSegment(tenant, new Segment.Draft("Leads", null, rule));
    }

    @Test
    void segmentMembersPageWithoutLosingOrRepeatingAnyone() {
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(1));
            Contact c = service.create(tenant, data(null, null, i % 3 == 0 ? LifecycleStage.CUSTOMER : LifecycleStage.LEAD,
                    i % 2 == 0 ? List.of("even") : List.of()));
            if (i % 3 != 0) {
                leads.add(0, c.id());
            }
        }
        Segment s = leads();
        List<String> seen = new ArrayList<>();
        Cursor from = null;
        do {
            Slice<Contact> page = service.members(tenant, s, 3, from, 1000);
            assertTrue(page.items().size() <= 3);
            page.items().forEach(c -> seen.add(c.id()));
            from = page.next();
        } while (from != null);
        assertEquals(leads, seen);
        // the list's segment filter applies the other criteria to the members
        Slice<Contact> evenLeads = service.list(tenant, new ContactFilter(null, "even", null, s.id()), 100, null, 1000);
        assertTrue(evenLeads.items().stream().allMatch(c -> c.data().tags().contains("even")
                && c.data().lifecycleStage() == LifecycleStage.LEAD));
        assertEquals(4, evenLeads.items().size());
    }

    @Test
    void aSmallScanBudgetHandsOutACursorInsteadOfReadingOn() {
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            service.create(tenant, data(null, null, LifecycleStage.CUSTOMER, List.of()));
        }
        Segment s = leads();
        // one page of candidates (25) is read, none is a member, and the budget is spent
        Slice<Contact> page = service.members(tenant, s, 5, null, 1);
        assertTrue(page.items().isEmpty());
        assertNotNull(page.next());
    }

    @Test
    void aListNamingAMissingSegmentIsToldSo() {
        assertThrows(ContactService.NoSuchSegment.class, () -> service.list(tenant,
                new ContactFilter(null, null, null, Ids.random(Segment.ID_PREFIX, 20)), 10, null, 1000));
    }
}
