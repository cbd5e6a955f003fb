package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.cases.store.memory.InMemoryCaseRepository;
import dev.crm.devkit.MutableClock;
import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SLA on cases through the use cases: the targets a case takes, its figures at the request's instant,
 * pauses, breaches recorded once (on write and by the schedule), auto-close. Berlin business hours
 * Monday to Friday 09:00–17:00; in December Berlin is UTC+1, so a business day is 08:00Z–16:00Z.
 */
class CaseSlaTest {
    private static final Instant MONDAY_9 = Instant.parse("2026-12-07T08:00:00Z");
    private final MutableClock clock = new MutableClock(MONDAY_9);
    private final InMemoryCaseRepository repository = new InMemoryCaseRepository();
    private Duration autoClose = Duration.ofDays(7);
    private final Cases cases = new Cases(repository, t -> List.of(), t -> terms(), clock);
    private final TenantId tenant = TenantId.generate();

    private SlaTerms terms() {
        Map<DayOfWeek, List<BusinessCalendar.Hours>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, d.getValue() <= 5 ? List.of(BusinessCalendar.Hours.of("09:00", "17:00")) : List.of());
        }
        BusinessCalendar berlin = new BusinessCalendar(ZoneId.of("Europe/Berlin"), week, Set.of());
        return new SlaTerms(berlin, p -> p == SupportCase.Priority.URGENT
                ? new SlaPolicy(Duration.ofHours(1), Duration.ofHours(8), SlaPolicy.Clock.BUSINESS, true)
                : SlaPolicy.defaultFor(SupportCase.wire(p)), autoClose);
    }

    private SupportCase open(SupportCase.Priority p) {
        repository.activeContact(tenant, "ct_1");
        return cases.create(tenant, Ids.random(SupportCase.ID_PREFIX, 20), new Cases.NewCase("ct_1",
                SupportCase.Channel.EMAIL, "billing", p, "Charged twice", null, null, null));
    }

    private SupportCase message(SupportCase c, Cases.Author a, Cases.Visibility v) {
        return cases.addMessage(tenant, c.id(), Ids.random("msg_", 20), new Cases.NewMessage(a, v, "text")).orElseThrow();
    }

    private SupportCase status(SupportCase c, SupportCase.Status s) {
        return cases.change(cases.find(tenant, c.id()).orElseThrow(),
                new Cases.Change(s, null, null, null, false, null, false, null, false, null));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metric(SupportCase c, String metric) {
        var sla = (Map<String, Object>) cases.shown(cases.find(tenant, c.id()).orElseThrow()).get("sla");
        return (Map<String, Object>) sla.get(metric);
    }

    private List<HistoryEntry> breaches(SupportCase c) {
        return cases.history(tenant, c.id(), null, 100).items().stream()
                .filter(e -> e.kind().equals(HistoryEntry.SLA_BREACHED)).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewCaseShowsTheTargetsOfItsPriorityAndItsDeadlines() {
        SupportCase c = open(SupportCase.Priority.URGENT);
        Map<String, Object> shown = cases.shown(c);
        Map<String, Object> sla = (Map<String, Object>) shown.get("sla");
        assertEquals(Map.of("firstResponse", "PT1H", "resolution", "PT8H", "clock", "business", "pauseWhilePending", true),
                sla.get("targets"));
        assertEquals(Map.of("dueAt", "2026-12-07T09:00:00Z", "elapsedBusiness", "PT0S", "elapsedCalendar", "PT0S",
                "breached", false, "pausedFor", "PT0S"), sla.get("firstResponse"));
        assertEquals("2026-12-07T16:00:00Z", ((Map<String, Object>) sla.get("resolution")).get("dueAt"));
        clock.advance(Duration.ofMinutes(45));
        assertEquals("PT45M", metric(c, "firstResponse").get("elapsedBusiness"));
        // a request's instant carries nanoseconds; the figures are shown in whole seconds
        clock.advance(Duration.ofNanos(163_853_251));
        assertEquals("PT45M", metric(c, "firstResponse").get("elapsedBusiness"));
        assertEquals("PT45M", metric(c, "firstResponse").get("elapsedCalendar"));
    }

    @Test
    void pendingPausesTheResolutionClockAndTheFirstPublicAgentMessageStopsTheFirstResponseClock() {
        SupportCase c = open(SupportCase.Priority.URGENT);
        clock.set(MONDAY_9.plus(Duration.ofMinutes(20)));
        message(c, Cases.Author.AGENT, Cases.Visibility.INTERNAL); // not a response
        clock.set(MONDAY_9.plus(Duration.ofMinutes(30)));
        message(c, Cases.Author.AGENT, Cases.Visibility.PUBLIC);
        clock.set(MONDAY_9.plus(Duration.ofHours(1)));
        status(c, SupportCase.Status.PENDING);
        clock.set(MONDAY_9.plus(Duration.ofHours(3)));
        message(c, Cases.Author.CUSTOMER, Cases.Visibility.PUBLIC); // reopens: the pause ends
        assertEquals(SupportCase.Status.OPEN, cases.find(tenant, c.id()).orElseThrow().status());
        assertEquals("PT30M", metric(c, "firstResponse").get("elapsedBusiness"));
        assertEquals(false, metric(c, "firstResponse").get("breached"));
        Map<String, Object> r = metric(c, "resolution");
        assertEquals("PT1H", r.get("elapsedBusiness"));
        assertEquals("PT2H", r.get("pausedFor"));
        // 7 h left from 11:00Z: 5 h on Monday, 2 h on Tuesday from 08:00Z
        assertEquals("2026-12-08T10:00:00Z", r.get("dueAt"));
        assertEquals(List.of(), breaches(c));
    }

    @Test
    void aWriteAfterTheDeadlineRecordsTheBreachOnceAtItsDueInstant() {
        SupportCase c = open(SupportCase.Priority.URGENT);
        clock.set(MONDAY_9.plus(Duration.ofMinutes(90)));
        message(c, Cases.Author.AGENT, Cases.Visibility.INTERNAL);
        message(c, Cases.Author.AGENT, Cases.Visibility.PUBLIC);
        List<HistoryEntry> b = breaches(c);
        assertEquals(1, b.size());
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), b.get(0).at());
        assertEquals("firstResponse", b.get(0).fields().get("metric"));
        assertEquals(true, metric(c, "firstResponse").get("breached"));
        assertEquals(Set.of(CaseSla.Metric.FIRST_RESPONSE), cases.find(tenant, c.id()).orElseThrow().sla().breaches());
    }

    @Test
    void theScheduleRecordsEachBreachWhenItsTimeComesAndOnlyOnce() {
        SupportCase c = open(SupportCase.Priority.URGENT);
        SupportCase other = open(SupportCase.Priority.LOW);
        clock.set(Instant.parse("2026-12-07T08:59:00Z"));
        assertEquals(new Cases.CheckRun(0, 0, 0), cases.runChecks(100));
        clock.set(Instant.parse("2026-12-07T09:00:01Z"));
        assertEquals(new Cases.CheckRun(1, 1, 0), cases.runChecks(100));
        assertEquals(new Cases.CheckRun(0, 0, 0), cases.runChecks(100), "the next check is the resolution's due");
        clock.set(Instant.parse("2026-12-07T16:00:01Z"));
        assertEquals(new Cases.CheckRun(1, 1, 0), cases.runChecks(100));
        assertEquals(List.of("firstResponse", "resolution"), breaches(c).stream().map(e -> e.fields().get("metric")).toList());
        assertNull(cases.find(tenant, c.id()).orElseThrow().sla().nextCheck(), "nothing left to check");
        assertEquals(Instant.parse("2026-12-07T16:00:00Z"), cases.find(tenant, c.id()).orElseThrow().sla().lastBreachAt(),
                "the last breach is when the resolution target passed");
        assertEquals(List.of(), breaches(other));
    }

    @Test
    void aPendingCaseCannotBreachItsResolutionButItsFirstResponseStillRuns() {
        SupportCase c = open(SupportCase.Priority.URGENT);
        clock.set(MONDAY_9.plus(Duration.ofMinutes(10)));
        status(c, SupportCase.Status.PENDING);
        clock.set(Instant.parse("2026-12-09T12:00:00Z"));
        assertEquals(new Cases.CheckRun(1, 1, 0), cases.runChecks(100));
        assertEquals(List.of("firstResponse"), breaches(c).stream().map(e -> e.fields().get("metric")).toList());
        assertEquals(false, metric(c, "resolution").get("breached"));
        assertNull(cases.find(tenant, c.id()).orElseThrow().sla().nextCheck());
    }

    @Test
    void aSolvedCaseClosesByItselfAfterTheTenantsAutoClosePeriod() {
        autoClose = Duration.ofDays(2);
        SupportCase c = open(SupportCase.Priority.NORMAL);
        message(c, Cases.Author.AGENT, Cases.Visibility.PUBLIC);
        Instant solvedAt = MONDAY_9.plus(Duration.ofHours(2));
        clock.set(solvedAt);
        status(c, SupportCase.Status.SOLVED);
        clock.set(solvedAt.plus(Duration.ofDays(2)).minusSeconds(1));
        assertEquals(new Cases.CheckRun(0, 0, 0), cases.runChecks(100));
        assertEquals(SupportCase.Status.SOLVED, cases.find(tenant, c.id()).orElseThrow().status());
        clock.set(solvedAt.plus(Duration.ofDays(2)));
        assertEquals(new Cases.CheckRun(1, 0, 1), cases.runChecks(100));
        SupportCase closed = cases.find(tenant, c.id()).orElseThrow();
        assertEquals(SupportCase.Status.CLOSED, closed.status());
        HistoryEntry last = cases.history(tenant, c.id(), null, 100).items().stream()
                .filter(e -> e.kind().equals(HistoryEntry.STATUS_CHANGED)).reduce((a, b) -> b).orElseThrow();
        assertEquals(Map.of("from", "solved", "to", "closed", "reason", "auto_close"), last.fields());
        assertNull(closed.sla().nextCheck());
        assertEquals(new Cases.CheckRun(0, 0, 0), cases.runChecks(100));
    }

    @Test
    void aReopenedCaseDoesNotClose() {
        SupportCase c = open(SupportCase.Priority.NORMAL);
        status(c, SupportCase.Status.SOLVED);
        clock.advance(Duration.ofDays(1));
        message(c, Cases.Author.CUSTOMER, Cases.Visibility.PUBLIC);
        clock.advance(Duration.ofDays(30));
        cases.runChecks(100);
        assertEquals(SupportCase.Status.OPEN, cases.find(tenant, c.id()).orElseThrow().status());
    }

    @Test
    void listsBreachedCasesAndByDeadline() {
        SupportCase low = open(SupportCase.Priority.LOW);
        SupportCase urgent = open(SupportCase.Priority.URGENT);
        SupportCase normal = open(SupportCase.Priority.NORMAL);
        status(normal, SupportCase.Status.SOLVED);
        var byDue = new CaseRepository.Filter(null, null, null, null, null, false, CaseRepository.Sort.DUE_AT);
        assertEquals(List.of(urgent.id(), low.id()),
                cases.list(tenant, byDue, null, 10).items().stream().map(SupportCase::id).toList(),
                "earliest deadline first; a solved case has no running clock");
        clock.set(Instant.parse("2026-12-07T09:30:00Z"));
        cases.runChecks(100);
        var breached = new CaseRepository.Filter(null, null, null, null, null, true, CaseRepository.Sort.NUMBER);
        assertEquals(List.of(urgent.id()), cases.list(tenant, breached, null, 10).items().stream().map(SupportCase::id).toList());
        assertEquals(List.of(), cases.list(TenantId.generate(), breached, null, 10).items());
    }
}
