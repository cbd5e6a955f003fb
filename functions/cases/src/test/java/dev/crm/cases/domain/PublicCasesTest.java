package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.store.memory.InMemoryCaseContactRepository;
import dev.crm.cases.store.memory.InMemoryCaseRepository;
import dev.crm.cases.store.memory.InMemoryPublicRateCounterRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-service use cases on the fakes. */
class PublicCasesTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();
    private final InMemoryCaseContactRepository contacts = new InMemoryCaseContactRepository();
    /** The fake's contacts, made known to the case store, which checks a case's contact as the table does. */
    private final CaseContactRepository linked = (t, email, name, now) -> {
        String id = contacts.findOrCreateByEmail(t, email, name, now);
        if (id != null) {
            repository.activeContact(t, id);
        }
        return id;
    };
    private final Cases cases = new Cases(repository, t -> List.of(), clock);
    private final PublicCases service = new PublicCases(cases, linked, new InMemoryPublicRateCounterRepository(), clock);
    private final TenantId tenant = TenantId.generate();

    private SupportCase open(String email) {
        return service.submit(tenant, Ids.random(SupportCase.ID_PREFIX, 20),
                new PublicCases.Request(email, "Jane", "billing", "Charged twice", "Order 1042"));
    }

    @Test
    void aRequestOpensAWebCaseForTheAddresssContactAndASecondRequestReusesIt() {
        SupportCase first = open("jane@example.org");
        SupportCase second = open("JANE@example.org ");
        assertEquals(SupportCase.Channel.WEB, first.channel());
        assertEquals(SupportCase.Priority.NORMAL, first.priority());
        assertEquals("Order 1042", first.description());
        assertEquals(first.contactId(), second.contactId());
        assertEquals("Jane", contacts.nameOf(first.contactId()));
    }

    @Test
    void anAddressBeingErasedOpensNothing() {
        contacts.erasing(tenant, "gone@example.org");
        assertNull(open("gone@example.org"));
        assertEquals(0, cases.list(tenant, new CaseRepository.Filter(null, null, null, null, null), null, 10).items().size());
    }

    @Test
    void theViewShowsPublicMessagesOnlyAndOnlyToTheCasesContact() {
        SupportCase c = open("jane@example.org");
        cases.addMessage(tenant, c.id(), "msg_1", new Cases.NewMessage(Cases.Author.AGENT, Cases.Visibility.INTERNAL, "note"));
        cases.addMessage(tenant, c.id(), "msg_2", new Cases.NewMessage(Cases.Author.AGENT, Cases.Visibility.PUBLIC, "answer"));
        var view = service.view(tenant, c.id(), c.contactId()).orElseThrow();
        assertEquals(List.of("answer"), view.messages().stream().map(e -> e.fields().get("body")).toList());
        assertTrue(service.view(tenant, c.id(), "ct_someoneelse").isEmpty());
        assertTrue(service.view(TenantId.generate(), c.id(), c.contactId()).isEmpty());
    }

    @Test
    void aReplyReopensAPendingCaseAndAClosedCaseTakesNone() {
        SupportCase c = open("jane@example.org");
        SupportCase pending = cases.change(c, new Cases.Change(SupportCase.Status.PENDING, null, null, null, false, null,
                false, null, false, null));
        var r = service.reply(tenant, c.id(), c.contactId(), "msg_r1", "here");
        assertEquals(PublicCases.ReplyOutcome.ADDED, r.outcome());
        assertEquals(SupportCase.Status.OPEN, r.after().status());
        assertEquals(PublicCases.ReplyOutcome.NOT_FOUND, service.reply(tenant, c.id(), "ct_other", "msg_r2", "x").outcome());
        SupportCase now = cases.find(tenant, c.id()).orElseThrow();
        SupportCase solved = cases.change(now, new Cases.Change(SupportCase.Status.SOLVED, null, null, null, false, null, false,
                null, false, null));
        cases.change(solved, new Cases.Change(SupportCase.Status.CLOSED, null, null, null, false, null, false, null, false, null));
        assertEquals(PublicCases.ReplyOutcome.CLOSED, service.reply(tenant, c.id(), c.contactId(), "msg_r3", "x").outcome());
        assertEquals(pending.id(), c.id());
    }

    @Test
    void aClientOverItsLimitDoesNotUseUpTheAddresssBudget() {
        for (int i = 0; i < PublicCases.REQUESTS_PER_CLIENT.limit(); i++) {
            assertNull(service.admitRequest(tenant, "client-1", "address-" + i));
        }
        assertEquals(PublicCases.REQUESTS_PER_CLIENT, service.admitRequest(tenant, "client-1", "address-x"));
        for (int i = 0; i < PublicCases.REQUESTS_PER_ADDRESS.limit(); i++) {
            assertNull(service.admitRequest(tenant, "client-" + (10 + i), "address-x"), "the refused request did not count");
        }
        assertEquals(PublicCases.REQUESTS_PER_ADDRESS, service.admitRequest(tenant, "client-99", "address-x"));
        clock.advance(Duration.ofHours(1));
        assertNull(service.admitRequest(tenant, "client-1", "address-x"));
    }
}
