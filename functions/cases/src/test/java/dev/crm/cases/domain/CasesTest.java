package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crm.cases.store.memory.InMemoryCaseRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The use cases on the in-memory repository. */
class CasesTest {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();
    private final Map<TenantId, List<String>> categories = new java.util.HashMap<>();
    private final Cases cases = new Cases(repository, t -> categories.getOrDefault(t, List.of()), clock);
    private final TenantId tenant = TenantId.generate();

    private SupportCase newCase() {
        repository.activeContact(tenant, "ct_1");
        return cases.create(tenant, dev.crm.shared.tenant.Ids.random(SupportCase.ID_PREFIX, 20), new Cases.NewCase("ct_1",
                SupportCase.Channel.CHAT, "billing", SupportCase.Priority.NORMAL, "Hi", null, null, null));
    }

    private static Cases.Change status(SupportCase.Status s) {
        return new Cases.Change(s, null, null, null, false, null, false, null, false, null);
    }

    @Test
    void categoriesAreTheTenantsWhenItHasSomeElseAnyKey() {
        assertNull(cases.categoryProblem(tenant, "billing"));
        assertEquals("must match [a-z0-9_-]{1,40}", cases.categoryProblem(tenant, "Billing"));
        categories.put(tenant, List.of("returns", "delivery"));
        assertNull(cases.categoryProblem(tenant, "returns"));
        assertEquals("must be one of the tenant's case categories: [returns, delivery]",
                cases.categoryProblem(tenant, "billing"));
        assertNull(cases.categoryProblem(TenantId.generate(), "billing"), "another tenant's categories do not apply");
    }

    @Test
    void aForbiddenTransitionWritesNothing() {
        SupportCase c = newCase();
        SupportCase closed = cases.change(cases.change(c, status(SupportCase.Status.SOLVED)), status(SupportCase.Status.CLOSED));
        var e = assertThrows(CaseWorkflow.InvalidTransition.class, () -> cases.change(closed, status(SupportCase.Status.OPEN)));
        assertEquals(SupportCase.Status.CLOSED, e.from());
        assertEquals(closed, cases.find(tenant, c.id()).orElseThrow());
        assertEquals(3, cases.history(tenant, c.id(), null, 10).items().size());
    }

    @Test
    void solvingRecordsWhenAndACustomerMessageReopens() {
        SupportCase c = newCase();
        clock.advance(Duration.ofMinutes(3));
        SupportCase solved = cases.change(c, status(SupportCase.Status.SOLVED));
        assertEquals(clock.instant(), solved.solvedAt());
        var internal = new Cases.NewMessage(Cases.Author.AGENT, Cases.Visibility.INTERNAL, "note");
        assertNull(cases.addMessage(tenant, c.id(), "msg_1", internal).orElseThrow().firstResponseAt());
        clock.advance(Duration.ofMinutes(1));
        SupportCase reopened = cases.addMessage(tenant, c.id(), "msg_2",
                new Cases.NewMessage(Cases.Author.CUSTOMER, Cases.Visibility.PUBLIC, "still broken")).orElseThrow();
        assertEquals(SupportCase.Status.OPEN, reopened.status());
        SupportCase answered = cases.addMessage(tenant, c.id(), "msg_3",
                new Cases.NewMessage(Cases.Author.AGENT, Cases.Visibility.PUBLIC, "on it")).orElseThrow();
        assertEquals(clock.instant(), answered.firstResponseAt());
        SupportCase onHold = cases.change(answered, status(SupportCase.Status.ON_HOLD));
        assertEquals(SupportCase.Status.ON_HOLD, cases.addMessage(tenant, c.id(), "msg_4",
                new Cases.NewMessage(Cases.Author.CUSTOMER, Cases.Visibility.PUBLIC, "any news?")).orElseThrow().status(),
                "on hold stays on hold: only pending and solved reopen");
        assertEquals(onHold.version() + 1, cases.find(tenant, c.id()).orElseThrow().version());
        assertEquals(true, cases.addMessage(TenantId.generate(), c.id(), "msg_5", internal).isEmpty());
    }
}
