package dev.crm.cases.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.CaseSla;
import dev.crm.shared.service.SlaClock;
import java.util.Set;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link CaseRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class CaseRepositoryContract {
    protected static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    protected abstract CaseRepository repository();

    /** Makes {@code contactId} an active contact of {@code t}. */
    protected abstract void activeContact(TenantId t, String contactId);

    /** Stores {@code agentId} as an agent of {@code t}, active or not (a second call changes it). */
    protected abstract void agent(TenantId t, String agentId, boolean active);

    private final TenantId tenant = TenantId.generate();
    private final TenantId other = TenantId.generate();

    static final dev.crm.cases.domain.CaseSla SLA = dev.crm.cases.domain.CaseSla.start(
            dev.crm.shared.service.SlaPolicy.defaultFor("normal"));

    private static SupportCase draft(TenantId t, String contactId) {
        return new SupportCase(t, Ids.random(SupportCase.ID_PREFIX, 20), 0, contactId, SupportCase.Channel.EMAIL,
                "billing", SupportCase.Priority.NORMAL, "Charged twice", null, null, null, SupportCase.Status.NEW, null,
                null, NOW, NOW, 1, SLA);
    }

    private static SupportCase assigned(SupportCase c, String assignee, long version) {
        return new SupportCase(c.tenant(), c.id(), c.number(), c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), assignee, c.orderRef(), c.status(), c.solvedAt(), c.firstResponseAt(),
                c.createdAt(), NOW.plusSeconds(version), version, c.sla());
    }

    private static HistoryEntry assignment(String from, String to) {
        Map<String, Object> f = new java.util.HashMap<>();
        if (from != null) {
            f.put("from", from);
        }
        if (to != null) {
            f.put("to", to);
        }
        return new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), NOW, HistoryEntry.ASSIGNED, f);
    }

    private String agent(TenantId t, boolean active) {
        String id = Ids.random("ag_", 20);
        agent(t, id, active);
        return id;
    }

    private static HistoryEntry created(Instant at) {
        return new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), at, HistoryEntry.CREATED, Map.of("status", "new"));
    }

    private String contact(TenantId t) {
        String id = Ids.random("ct_", 20);
        activeContact(t, id);
        return id;
    }

    @Test
    void createsNumberEachTenantFromOneWithoutGapsAfterARefusal() {
        String c = contact(tenant);
        assertEquals(1, repository().create(draft(tenant, c), created(NOW)).number());
        assertThrows(CaseRepository.ContactNotActive.class,
                () -> repository().create(draft(tenant, Ids.random("ct_", 20)), created(NOW)));
        assertThrows(CaseRepository.ContactNotActive.class, () -> repository().create(draft(tenant, contact(other)), created(NOW)));
        SupportCase second = repository().create(draft(tenant, c), created(NOW));
        assertEquals(2, second.number());
        assertEquals(second, repository().find(tenant, second.id()).orElseThrow());
        assertTrue(repository().find(other, second.id()).isEmpty());
        assertEquals(1, repository().create(draft(other, contact(other)), created(NOW)).number());
    }

    @Test
    void aRepeatedCreateAnswersTheStoredCase() {
        SupportCase d = draft(tenant, contact(tenant));
        SupportCase first = repository().create(d, created(NOW));
        assertEquals(first, repository().create(d, created(NOW.plusSeconds(1))));
        assertEquals(1, repository().history(tenant, d.id(), null, 10).items().size());
    }

    @Test
    void replaceIsConditionedOnTheVersionAndAppendsHistoryInOrder() {
        SupportCase c = repository().create(draft(tenant, contact(tenant)), created(NOW));
        String ana = agent(tenant, true);
        SupportCase open = new SupportCase(tenant, c.id(), c.number(), c.contactId(), c.channel(), c.category(),
                c.priority(), c.subject(), c.description(), ana, c.orderRef(), SupportCase.Status.OPEN, null, null,
                c.createdAt(), NOW.plusSeconds(60), 2, c.sla());
        Instant at = NOW.plusSeconds(60);
        repository().replace(open, 1, List.of(
                new HistoryEntry("ch_" + "z".repeat(20), at, HistoryEntry.STATUS_CHANGED, Map.of("from", "new", "to", "open")),
                new HistoryEntry("ch_" + "a".repeat(20), at, HistoryEntry.ASSIGNED, Map.of("to", ana))));
        assertEquals(open, repository().find(tenant, c.id()).orElseThrow());
        assertThrows(StoreException.VersionConflict.class, () -> repository().replace(open, 1, List.of()));
        SupportCase missing = draft(tenant, c.contactId());
        assertThrows(StoreException.NotFound.class, () -> repository().replace(missing, 1, List.of()));
        List<String> kinds = new ArrayList<>();
        Cursor cursor = null;
        do {
            Slice<HistoryEntry> page = repository().history(tenant, c.id(), cursor, 1);
            page.items().forEach(e -> kinds.add(e.kind()));
            cursor = page.next();
        } while (cursor != null);
        assertEquals(List.of("created", "status_changed", "assigned"), kinds);
        assertTrue(repository().history(other, c.id(), null, 10).items().isEmpty());
    }

    @Test
    void assignsACaseOnlyToAnActiveAgentOfTheTenantAtTheWrite() {
        String c = contact(tenant);
        String inactive = agent(tenant, false);
        for (String who : List.of(inactive, agent(other, true), Ids.random("ag_", 20))) {
            SupportCase d = assigned(draft(tenant, c), who, 1);
            assertThrows(CaseRepository.AssigneeNotActive.class, () -> repository().create(d, created(NOW)), who);
            assertTrue(repository().find(tenant, d.id()).isEmpty(), who);
        }
        String ana = agent(tenant, true);
        SupportCase first = repository().create(assigned(draft(tenant, c), ana, 1), created(NOW));
        assertEquals(1, first.number(), "refused creates use no number");
        assertEquals(ana, repository().find(tenant, first.id()).orElseThrow().assignee());
        // the caller believed the agent active (it was when it looked), then it was deactivated: the write refuses
        String leaving = agent(tenant, true);
        agent(tenant, leaving, false);
        assertThrows(CaseRepository.AssigneeNotActive.class, () -> repository().replace(assigned(first, leaving, 2), 1,
                List.of(assignment(ana, leaving))));
        assertThrows(CaseRepository.AssigneeNotActive.class, () -> repository().replace(assigned(first, inactive, 2), 1,
                List.of(assignment(ana, inactive))));
        assertEquals(first, repository().find(tenant, first.id()).orElseThrow(), "nothing written");
        assertEquals(1, repository().history(tenant, first.id(), null, 10).items().size());
        // the agent the case already has may leave: the case's other changes go on, and it can be unassigned
        agent(tenant, ana, false);
        SupportCase v2 = assigned(first, ana, 2);
        assertEquals(v2, repository().replace(v2, 1, List.of()));
        assertEquals(null, repository().replace(assigned(v2, null, 3), 2, List.of(assignment(ana, null))).assignee());
    }

    @Test
    void listsNewestFirstByStatusAndFilters() {
        String c = contact(tenant);
        SupportCase one = repository().create(draft(tenant, c), created(NOW));
        repository().create(draft(tenant, contact(tenant)), created(NOW));
        SupportCase three = repository().create(draft(tenant, c), created(NOW));
        repository().create(draft(other, contact(other)), created(NOW));
        SupportCase solved = new SupportCase(tenant, one.id(), one.number(), c, one.channel(), one.category(),
                one.priority(), one.subject(), null, null, null, SupportCase.Status.SOLVED, NOW, null, NOW, NOW, 2, one.sla());
        repository().replace(solved, 1, List.of());
        assertEquals(List.of(3L, 2L, 1L), numbers(new CaseRepository.Filter(null, null, null, null, null)));
        assertEquals(List.of(3L, 2L), numbers(new CaseRepository.Filter(SupportCase.Status.NEW, null, null, null, null)));
        assertEquals(List.of(1L), numbers(new CaseRepository.Filter(SupportCase.Status.SOLVED, null, null, null, null)));
        assertEquals(List.of(3L, 1L), numbers(new CaseRepository.Filter(null, null, null, null, c)));
        assertEquals(List.of(3L), numbers(new CaseRepository.Filter(SupportCase.Status.NEW, null, "billing", null, c)));
        assertEquals(List.of(), numbers(new CaseRepository.Filter(null, null, null, SupportCase.Priority.URGENT, null)));
        assertEquals(three.id(), repository().list(tenant, new CaseRepository.Filter(null, null, null, null, null), null, 1)
                .items().get(0).id());
    }

    private List<Long> numbers(CaseRepository.Filter f) {
        List<Long> out = new ArrayList<>();
        Cursor cursor = null;
        do {
            Slice<SupportCase> page = repository().list(tenant, f, cursor, 1);
            page.items().forEach(s -> out.add(s.number()));
            cursor = page.next();
        } while (cursor != null);
        return out;
    }

    private static SupportCase at(SupportCase c, long version, CaseSla sla) {
        return new SupportCase(c.tenant(), c.id(), c.number(), c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), c.assignee(), c.orderRef(), c.status(), c.solvedAt(), c.firstResponseAt(),
                c.createdAt(), c.updatedAt(), version, sla);
    }

    private static HistoryEntry breach(CaseSla.Metric m, Instant due) {
        return new HistoryEntry("ch_sla_" + m.wire(), due, HistoryEntry.SLA_BREACHED,
                Map.of("metric", m.wire(), "dueAt", due.toString()));
    }

    @Test
    void keepsTheSlaStateAndRecordsEachBreachOnce() {
        SupportCase c = repository().create(draft(tenant, contact(tenant)), created(NOW));
        Instant due = NOW.plusSeconds(3600);
        CaseSla sla = new CaseSla(SLA.targets(), List.of(SlaClock.Pause.waiting(NOW, NOW.plusSeconds(60)),
                SlaClock.Pause.stopped(NOW.plusSeconds(120), null)), Set.of(CaseSla.Metric.FIRST_RESPONSE), due,
                due.plusSeconds(60), due);
        SupportCase v2 = at(c, 2, sla);
        repository().replace(v2, 1, List.of(breach(CaseSla.Metric.FIRST_RESPONSE, due)));
        assertEquals(v2, repository().find(tenant, c.id()).orElseThrow());
        // a writer at the current version that records the same breach again loses: one record per metric
        assertThrows(StoreException.VersionConflict.class, () -> repository().replace(at(c, 3, sla), 2,
                List.of(breach(CaseSla.Metric.FIRST_RESPONSE, due.plusSeconds(5)))));
        assertEquals(v2, repository().find(tenant, c.id()).orElseThrow());
        assertEquals(1, repository().history(tenant, c.id(), null, 10).items().stream()
                .filter(e -> e.kind().equals(HistoryEntry.SLA_BREACHED)).count());
        // the other metric is still free to record
        SupportCase v3 = at(c, 3, new CaseSla(SLA.targets(), sla.pauses(), Set.of(CaseSla.Metric.values()), null, null));
        repository().replace(v3, 2, List.of(breach(CaseSla.Metric.RESOLUTION, due)));
        assertEquals(v3, repository().find(tenant, c.id()).orElseThrow());
    }

    @Test
    void findsTheCasesWhoseCheckIsDueAndRefreshesOnlyAnUnchangedCase() {
        SupportCase c = repository().create(draft(tenant, contact(tenant)), created(NOW));
        Instant check = NOW.plusSeconds(600);
        SupportCase v2 = at(c, 2, new CaseSla(SLA.targets(), List.of(), Set.of(), check, check));
        repository().replace(v2, 1, List.of());
        CaseRepository.CaseRef ref = new CaseRepository.CaseRef(tenant, c.id());
        assertTrue(repository().dueForCheck(check, 1000).contains(ref));
        assertFalse(repository().dueForCheck(check.minusMillis(1), 1000).contains(ref));
        repository().refreshCheck(at(c, 1, new CaseSla(SLA.targets(), List.of(), Set.of(), null, null)));
        assertTrue(repository().dueForCheck(check, 1000).contains(ref), "a stale refresh changes nothing");
        Instant later = check.plusSeconds(3600);
        repository().refreshCheck(at(c, 2, new CaseSla(SLA.targets(), List.of(), Set.of(), check, later)));
        assertFalse(repository().dueForCheck(check, 1000).contains(ref));
        assertTrue(repository().dueForCheck(later, 1000).contains(ref));
        assertEquals(2, repository().find(tenant, c.id()).orElseThrow().version());
        repository().refreshCheck(at(c, 2, new CaseSla(SLA.targets(), List.of(), Set.of(), null, null)));
        assertFalse(repository().dueForCheck(later, 1000).contains(ref));
    }

    @Test
    void listsByDeadlineOnlyCasesWithARunningClockAndFiltersBreached() {
        String contact = contact(tenant);
        SupportCase late = repository().create(draft(tenant, contact), created(NOW));
        SupportCase soon = repository().create(draft(tenant, contact), created(NOW));
        SupportCase none = repository().create(draft(tenant, contact), created(NOW));
        repository().create(draft(other, contact(other)), created(NOW));
        repository().replace(at(late, 2, new CaseSla(SLA.targets(), List.of(), Set.of(CaseSla.Metric.FIRST_RESPONSE),
                NOW.plusSeconds(7200), null)), 1, List.of(breach(CaseSla.Metric.FIRST_RESPONSE, NOW)));
        repository().replace(at(soon, 2, new CaseSla(SLA.targets(), List.of(), Set.of(), NOW.plusSeconds(3600),
                NOW.plusSeconds(3600))), 1, List.of());
        var byDue = new CaseRepository.Filter(null, null, null, null, null, false, CaseRepository.Sort.DUE_AT);
        List<String> ids = new ArrayList<>();
        Cursor cursor = null;
        do {
            Slice<SupportCase> page = repository().list(tenant, byDue, cursor, 1);
            page.items().forEach(s -> ids.add(s.id()));
            cursor = page.next();
        } while (cursor != null);
        assertEquals(List.of(soon.id(), late.id()), ids);
        assertFalse(ids.contains(none.id()));
        assertEquals(List.of(late.number()), numbers(new CaseRepository.Filter(null, null, null, null, null, true,
                CaseRepository.Sort.NUMBER)));
        assertEquals(List.of(late.id()), repository().list(tenant, new CaseRepository.Filter(null, null, null, null, null,
                true, CaseRepository.Sort.DUE_AT), null, 10).items().stream().map(SupportCase::id).toList());
        assertTrue(repository().list(other, byDue, null, 10).items().isEmpty());
    }
}
