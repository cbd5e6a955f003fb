package dev.crm.cases.domain;

import dev.crm.shared.service.SlaClock;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What happens to a case, as pure functions of the case before, the tenant's SLA terms and the instant
 * it happens. The live API, the SLA schedule and the history import all go through these, so an
 * imported history obeys the same workflow and gets the same derived figures (first response, solved
 * time, pauses, recorded breaches) as a live one. Nothing here reads a clock or writes: callers pass the
 * instant and store the {@link Step}.
 *
 * <p>Every step ends with the SLA check ("on write"): a metric whose figures are breached at that instant
 * and that is not recorded yet is recorded, with an {@code sla_breached} history entry at its
 * {@code dueAt}. The store writes such a record only if the metric is not recorded on the stored case
 * (docs/data-model.md, "Cases"), so each breach is recorded once whoever finds it.
 */
public final class CaseLifecycle {
    private CaseLifecycle() {}

    /** The case after something happened, and the history entries that record it (oldest first). */
    public record Step(SupportCase after, List<HistoryEntry> entries) {
        public Step {
            entries = List.copyOf(entries);
        }

        /** Whether the step changes nothing (the schedule then writes nothing). */
        public boolean isEmpty() {
            return entries.isEmpty();
        }
    }

    /**
     * A new case, status {@code new}, version 1, with the targets of its priority; its number is handed
     * out when it is stored.
     */
    public static Step open(TenantId tenant, String id, Cases.NewCase c, SlaTerms terms, Instant at) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", SupportCase.wire(SupportCase.Status.NEW));
        if (c.assignee() != null) {
            fields.put("assignee", c.assignee());
        }
        SupportCase opened = new SupportCase(tenant, id, 0, c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), c.assignee(), c.orderRef(), SupportCase.Status.NEW, null, null, at, at, 1,
                CaseSla.start(terms.policy(c.priority())));
        List<HistoryEntry> entries = new ArrayList<>();
        entries.add(entry(at, HistoryEntry.CREATED, fields));
        return checked(opened, terms, at, entries);
    }

    /**
     * Applies {@code change} to {@code current}. A new priority takes that priority's targets (the clock
     * keeps its start and pauses).
     *
     * @throws CaseWorkflow.InvalidTransition when the status change is not allowed
     */
    public static Step change(SupportCase current, Cases.Change c, SlaTerms terms, Instant at) {
        SupportCase.Status status = current.status();
        Instant solvedAt = current.solvedAt();
        if (c.status() != null && c.status() != current.status()) {
            if (!CaseWorkflow.allows(current.status(), c.status())) {
                throw new CaseWorkflow.InvalidTransition(current.status(), c.status());
            }
            status = c.status();
            if (status == SupportCase.Status.SOLVED) {
                solvedAt = at;
            }
        }
        SupportCase.Priority priority = c.priority() != null ? c.priority() : current.priority();
        SlaPolicy targets = priority != current.priority() ? terms.policy(priority) : current.sla().targets();
        CaseSla sla = current.sla().with(targets, current.sla().pausesAfter(current.status(), status, at),
                current.sla().breaches(), null, null);
        SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                current.channel(), c.category() != null ? c.category() : current.category(), priority,
                c.subject() != null ? c.subject() : current.subject(),
                c.setsDescription() ? c.description() : current.description(),
                c.setsAssignee() ? c.assignee() : current.assignee(),
                c.setsOrderRef() ? c.orderRef() : current.orderRef(), status, solvedAt, current.firstResponseAt(),
                current.createdAt(), at, current.version() + 1, sla);
        return checked(updated, terms, at, changes(current, updated, at, Map.of()));
    }

    /**
     * A message on the case. A customer's message reopens a pending or solved case; the first public
     * agent message is the first response.
     */
    public static Step message(SupportCase current, String messageId, Cases.NewMessage m, SlaTerms terms, Instant at) {
        SupportCase.Status status = current.status();
        if (m.author() == Cases.Author.CUSTOMER
                && (status == SupportCase.Status.PENDING || status == SupportCase.Status.SOLVED)) {
            status = SupportCase.Status.OPEN;
        }
        Instant firstResponse = current.firstResponseAt();
        if (firstResponse == null && m.author() == Cases.Author.AGENT && m.visibility() == Cases.Visibility.PUBLIC) {
            firstResponse = at;
        }
        CaseSla sla = current.sla().with(current.sla().targets(), current.sla().pausesAfter(current.status(), status, at),
                current.sla().breaches(), null, null);
        SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                current.channel(), current.category(), current.priority(), current.subject(), current.description(),
                current.assignee(), current.orderRef(), status, current.solvedAt(), firstResponse,
                current.createdAt(), at, current.version() + 1, sla);
        List<HistoryEntry> entries = new ArrayList<>();
        entries.add(new HistoryEntry(messageId, at, HistoryEntry.MESSAGE, Map.of("messageId", messageId,
                "author", SupportCase.wire(m.author()), "visibility", SupportCase.wire(m.visibility()),
                "body", m.body())));
        entries.addAll(changes(current, updated, at, Map.of()));
        return checked(updated, terms, at, entries);
    }

    /**
     * What time alone does to a case by {@code at} (the SLA schedule): breaches not recorded yet are
     * recorded, and a case solved {@link SlaTerms#autoCloseAfter()} ago or longer is closed. An empty
     * step when nothing is due (the schedule then only refreshes the case's next check).
     */
    public static Step check(SupportCase current, SlaTerms terms, Instant at) {
        SupportCase base = current;
        List<HistoryEntry> entries = new ArrayList<>();
        if (current.status() == SupportCase.Status.SOLVED && current.solvedAt() != null
                && !current.solvedAt().plus(terms.autoCloseAfter()).isAfter(at)) {
            // breaches that came before the solve are recorded first, by the check of the solved case
            Step before = checked(current, terms, at, List.of());
            SupportCase solved = before.after();
            CaseSla sla = solved.sla().with(solved.sla().targets(),
                    solved.sla().pausesAfter(SupportCase.Status.SOLVED, SupportCase.Status.CLOSED, at),
                    solved.sla().breaches(), null, null);
            base = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                    current.channel(), current.category(), current.priority(), current.subject(),
                    current.description(), current.assignee(), current.orderRef(), SupportCase.Status.CLOSED,
                    current.solvedAt(), current.firstResponseAt(), current.createdAt(), at, current.version(), sla);
            entries.addAll(before.entries());
            entries.addAll(changes(current, base, at, Map.of("reason", "auto_close")));
        }
        Step s = checked(base, terms, at, entries);
        if (s.entries().isEmpty()) {
            return new Step(current.withSla(s.after().sla()), List.of());
        }
        SupportCase after = s.after();
        SupportCase bumped = new SupportCase(after.tenant(), after.id(), after.number(), after.contactId(),
                after.channel(), after.category(), after.priority(), after.subject(), after.description(),
                after.assignee(), after.orderRef(), after.status(), after.solvedAt(), after.firstResponseAt(),
                after.createdAt(), at, current.version() + 1, after.sla());
        return new Step(bumped, s.entries());
    }

    /**
     * The SLA check of {@code c} at {@code at}: records the breached metrics not recorded yet (an
     * {@code sla_breached} entry each, at its dueAt) and computes the instants the store indexes.
     */
    static Step checked(SupportCase c, SlaTerms terms, Instant at, List<HistoryEntry> entries) {
        CaseSla sla = c.sla();
        Map<CaseSla.Metric, SlaClock.Figures> figures = sla.figures(c, terms.calendar(), at);
        Set<CaseSla.Metric> breaches = sla.breaches().isEmpty() ? EnumSet.noneOf(CaseSla.Metric.class)
                : EnumSet.copyOf(sla.breaches());
        List<HistoryEntry> out = new ArrayList<>(entries);
        Instant lastBreach = sla.lastBreachAt();
        for (CaseSla.Metric m : CaseSla.Metric.values()) {
            SlaClock.Figures f = figures.get(m);
            if (f.breached() && breaches.add(m)) {
                lastBreach = lastBreach == null || f.dueAt().isAfter(lastBreach) ? f.dueAt() : lastBreach;
                out.add(new HistoryEntry(breachEntryId(c, m), f.dueAt(), HistoryEntry.SLA_BREACHED,
                        Map.of("metric", m.wire(), "dueAt", f.dueAt().toString())));
            }
        }
        Instant nextDue = null;
        Instant nextCheck = null;
        boolean[] running = {CaseSla.respondedAt(c) == null, CaseSla.stoppedAt(c) == null};
        for (CaseSla.Metric m : CaseSla.Metric.values()) {
            if (!running[m.ordinal()]) {
                continue;
            }
            Instant due = figures.get(m).dueAt();
            nextDue = earliest(nextDue, due);
            // a paused resolution clock cannot breach until the case resumes, which is a write
            boolean canBreach = m != CaseSla.Metric.RESOLUTION || !sla.resolutionPaused();
            if (!breaches.contains(m) && canBreach) {
                nextCheck = earliest(nextCheck, due);
            }
        }
        if (c.status() == SupportCase.Status.SOLVED && c.solvedAt() != null) {
            nextCheck = earliest(nextCheck, c.solvedAt().plus(terms.autoCloseAfter()));
        }
        return new Step(c.withSla(new CaseSla(sla.targets(), sla.pauses(), breaches, nextDue, nextCheck, lastBreach)), out);
    }

    /**
     * One id per case and metric: two writers that both find the breach write the same history item, and
     * the store's condition lets only one of them record it.
     */
    static String breachEntryId(SupportCase c, CaseSla.Metric m) {
        return HistoryEntry.ID_PREFIX + "sla_" + m.wire();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static HistoryEntry entry(Instant at, String kind, Map<String, Object> fields) {
        return new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), at, kind, fields);
    }

    /** The history entries of a change from {@code before} to {@code after}: status and assignment changes. */
    private static List<HistoryEntry> changes(SupportCase before, SupportCase after, Instant at,
            Map<String, Object> statusExtra) {
        List<HistoryEntry> out = new ArrayList<>();
        if (before.status() != after.status()) {
            Map<String, Object> f = new LinkedHashMap<>(statusExtra);
            f.put("from", SupportCase.wire(before.status()));
            f.put("to", SupportCase.wire(after.status()));
            out.add(entry(at, HistoryEntry.STATUS_CHANGED, f));
        }
        if (!Objects.equals(before.assignee(), after.assignee())) {
            Map<String, Object> f = new LinkedHashMap<>();
            if (before.assignee() != null) {
                f.put("from", before.assignee());
            }
            if (after.assignee() != null) {
                f.put("to", after.assignee());
            }
            out.add(entry(at, HistoryEntry.ASSIGNED, f));
        }
        return out;
    }
}
