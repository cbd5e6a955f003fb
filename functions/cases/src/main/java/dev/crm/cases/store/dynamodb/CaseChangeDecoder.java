package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What case items mean as events (docs/events.md, "Cases"). Each event is decoded from exactly one kind
 * of item, so a write that changes the case and appends history announces each thing once:
 * <ul>
 * <li>the case item: INSERT is {@code case.created}; a MODIFY whose status differs is
 *     {@code case.status_changed} (and {@code case.solved} when the new status is solved), whose assignee
 *     differs {@code case.assigned}. Payload: the case as GET shows it, without the SLA figures (they
 *     depend on when one looks), with {@code previousStatus} / {@code previousAssignee}.</li>
 * <li>history entries (INSERT only; they are never changed): {@code message} is
 *     {@code case.message_added}, {@code sla_breached} is {@code case.sla_breached}. Payload: the entry as
 *     the history shows it, with {@code caseId} and {@code number}. The other kinds repeat what the case
 *     item's change already announced and announce nothing.</li>
 * </ul>
 * Items a history import writes (marked {@code importJob}) announce nothing: an imported case and its
 * history are the past. Later live writes of an imported case announce as any other's do.
 * A breach entry is written only with the case's conditional record of that breach, so one breach is
 * one entry is one event; a redelivered stream record gives the same event id.
 */
public final class CaseChangeDecoder implements ChangeDecoder {

    @Override
    public List<Event> events(TableChange change) {
        String entity = change.newS(Table.ENTITY);
        if (change.isRemove() || change.newS("tenantId") == null) {
            return List.of();
        }
        if (change.isInsert() && change.newS(DynamoDbCaseImportRepository.IMPORT_JOB) != null) {
            return List.of(); // a history import: the past, not news (docs/events.md, "Cases")
        }
        if (DynamoDbCaseRepository.ENTITY.equals(entity)) {
            return caseEvents(change);
        }
        if (DynamoDbCaseRepository.HISTORY_ENTITY.equals(entity) && change.isInsert()) {
            return entryEvents(change);
        }
        return List.of();
    }

    private static List<Event> caseEvents(TableChange change) {
        SupportCase after = DynamoDbCaseRepository.supportCase(change.newImage());
        if (change.isInsert()) {
            return List.of(event(change, EventTypes.CASE_CREATED, after, after.createdAt(), after.toJson()));
        }
        if (!change.isModify()) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        String before = change.oldS("status");
        if (before != null && !before.equals(change.newS("status"))) {
            Map<String, Object> data = after.toJson();
            data.put("previousStatus", before);
            out.add(event(change, EventTypes.CASE_STATUS_CHANGED, after, after.updatedAt(), data));
            if (after.status() == SupportCase.Status.SOLVED) {
                out.add(event(change, EventTypes.CASE_SOLVED, after, after.updatedAt(), after.toJson()));
            }
        }
        String beforeAssignee = change.oldS("assignee");
        if (!Objects.equals(beforeAssignee, change.newS("assignee"))) {
            Map<String, Object> data = after.toJson();
            if (beforeAssignee != null) {
                data.put("previousAssignee", beforeAssignee);
            }
            out.add(event(change, EventTypes.CASE_ASSIGNED, after, after.updatedAt(), data));
        }
        return out;
    }

    private static List<Event> entryEvents(TableChange change) {
        HistoryEntry e = DynamoDbCaseRepository.entry(change.newImage());
        String type = switch (e.kind()) {
            case HistoryEntry.MESSAGE -> EventTypes.CASE_MESSAGE_ADDED;
            case HistoryEntry.SLA_BREACHED -> EventTypes.CASE_SLA_BREACHED;
            default -> null;
        };
        if (type == null) {
            return List.of();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("caseId", change.newS("caseId"));
        data.put("number", SupportCase.displayNumber(Attr.num(change.newImage(), "number", 0)));
        data.putAll(e.toJson());
        return List.of(new Event(EventIds.derive(e.at(), change.changeId(), type), type, EventTypes.sourceOf(type),
                e.at(), new dev.crm.shared.tenant.TenantId(change.newS("tenantId")), change.newS("contactId"), data));
    }

    private static Event event(TableChange change, String type, SupportCase c, Instant at, Map<String, Object> data) {
        Instant when = at != null ? at : change.approximateAt();
        // subject, description and messages may name the contact: stored with the contact, erased with it
        return new Event(EventIds.derive(when, change.changeId(), type), type, EventTypes.sourceOf(type), when,
                c.tenant(), c.contactId(), data);
    }
}
