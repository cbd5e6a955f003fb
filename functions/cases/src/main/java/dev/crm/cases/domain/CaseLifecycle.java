package dev.crm.cases.domain;

import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What happens to a case, as pure functions of the case before and the instant it happens. The live API
 * and the history import both go through these, so an imported history obeys the same workflow and gets
 * the same derived figures (first response, solved time) as a live one. Nothing here reads a clock or
 * writes: callers pass the instant and store the {@link Step}.
 */
public final class CaseLifecycle {
    private CaseLifecycle() {}

    /** The case after something happened, and the history entries that record it (oldest first). */
    public record Step(SupportCase after, List<HistoryEntry> entries) {
        public Step {
            entries = List.copyOf(entries);
        }
    }

    /** A new case, status {@code new}, version 1; its number is handed out when it is stored. */
    public static Step open(TenantId tenant, String id, Cases.NewCase c, Instant at) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", SupportCase.wire(SupportCase.Status.NEW));
        if (c.assignee() != null) {
            fields.put("assignee", c.assignee());
        }
        SupportCase opened = new SupportCase(tenant, id, 0, c.contactId(), c.channel(), c.category(), c.priority(),
                c.subject(), c.description(), c.assignee(), c.orderRef(), SupportCase.Status.NEW, null, null, at, at, 1);
        return new Step(opened, List.of(entry(at, HistoryEntry.CREATED, fields)));
    }

    /**
     * Applies {@code change} to {@code current}.
     *
     * @throws CaseWorkflow.InvalidTransition when the status change is not allowed
     */
    public static Step change(SupportCase current, Cases.Change c, Instant at) {
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
        SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                current.channel(), c.category() != null ? c.category() : current.category(),
                c.priority() != null ? c.priority() : current.priority(),
                c.subject() != null ? c.subject() : current.subject(),
                c.setsDescription() ? c.description() : current.description(),
                c.setsAssignee() ? c.assignee() : current.assignee(),
                c.setsOrderRef() ? c.orderRef() : current.orderRef(), status, solvedAt, current.firstResponseAt(),
                current.createdAt(), at, current.version() + 1);
        return new Step(updated, changes(current, updated, at));
    }

    /**
     * A message on the case. A customer's message reopens a pending or solved case; the first public
     * agent message is the first response.
     */
    public static Step message(SupportCase current, String messageId, Cases.NewMessage m, Instant at) {
        SupportCase.Status status = current.status();
        if (m.author() == Cases.Author.CUSTOMER
                && (status == SupportCase.Status.PENDING || status == SupportCase.Status.SOLVED)) {
            status = SupportCase.Status.OPEN;
        }
        Instant firstResponse = current.firstResponseAt();
        if (firstResponse == null && m.author() == Cases.Author.AGENT && m.visibility() == Cases.Visibility.PUBLIC) {
            firstResponse = at;
        }
        SupportCase updated = new SupportCase(current.tenant(), current.id(), current.number(), current.contactId(),
                current.channel(), current.category(), current.priority(), current.subject(), current.description(),
                current.assignee(), current.orderRef(), status, current.solvedAt(), firstResponse,
                current.createdAt(), at, current.version() + 1);
        List<HistoryEntry> entries = new ArrayList<>();
        entries.add(new HistoryEntry(messageId, at, HistoryEntry.MESSAGE, Map.of("messageId", messageId,
                "author", SupportCase.wire(m.author()), "visibility", SupportCase.wire(m.visibility()),
                "body", m.body())));
        entries.addAll(changes(current, updated, at));
        return new Step(updated, entries);
    }

    private static HistoryEntry entry(Instant at, String kind, Map<String, Object> fields) {
        return new HistoryEntry(Ids.random(HistoryEntry.ID_PREFIX, 20), at, kind, fields);
    }

    /** The history entries of a change from {@code before} to {@code after}: status and assignment changes. */
    private static List<HistoryEntry> changes(SupportCase before, SupportCase after, Instant at) {
        List<HistoryEntry> out = new ArrayList<>();
        if (before.status() != after.status()) {
            out.add(entry(at, HistoryEntry.STATUS_CHANGED, Map.of("from", SupportCase.wire(before.status()), "to",
                    SupportCase.wire(after.status()))));
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
