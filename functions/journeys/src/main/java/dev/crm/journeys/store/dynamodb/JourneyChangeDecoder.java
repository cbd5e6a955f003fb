package dev.crm.journeys.store.dynamodb;

import dev.crm.journeys.domain.Enrolment;
import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the journeys function's items mean as events (docs/events.md, "Journeys"), all decoded from
 * enrolment items: an inserted enrolment is {@code journey.enrolled}; a write whose {@code sent} count
 * grew is {@code journey.message_sent}; a write that moves the status from active to exited is
 * {@code journey.exited}. Ids only (no personal data), so the events live outside the contact's partition.
 */
public final class JourneyChangeDecoder implements ChangeDecoder {
    @Override
    public List<Event> events(TableChange change) {
        if (change.isRemove() || !DynamoDbJourneyRepository.ENROLMENT.equals(change.newS(Table.ENTITY))) {
            return List.of();
        }
        Enrolment now = DynamoDbJourneyRepository.enrolment(change.newImage());
        TenantId tenant = new TenantId(change.newS("tenantId"));
        List<Event> out = new ArrayList<>();
        if (change.isInsert()) {
            out.add(event(change, EventTypes.JOURNEY_ENROLLED, now.enteredAt(), tenant, now, null));
            return out;
        }
        Enrolment before = change.oldImage().isEmpty() ? null : DynamoDbJourneyRepository.enrolment(change.oldImage());
        if (before == null) {
            return out;
        }
        Enrolment.StepRecord last = now.history().get(now.history().size() - 1);
        if (now.sent() > before.sent()) {
            out.add(event(change, EventTypes.JOURNEY_MESSAGE_SENT, last.at(), tenant, now, last));
        }
        if (before.isActive() && now.status() == Enrolment.Status.EXITED) {
            out.add(event(change, EventTypes.JOURNEY_EXITED, last.at(), tenant, now, last));
        }
        return out;
    }

    private static Event event(TableChange change, String type, Instant at, TenantId tenant, Enrolment e,
            Enrolment.StepRecord step) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("journeyId", e.journeyId());
        data.put("enrolmentId", e.id());
        data.put("contactId", e.contactId());
        data.put("definitionVersion", e.definitionVersion());
        if (type.equals(EventTypes.JOURNEY_ENROLLED)) {
            data.put("triggerEventId", e.triggerEventId());
            data.put("enteredAt", dev.crm.shared.json.Times.format(e.enteredAt()));
        } else if (type.equals(EventTypes.JOURNEY_EXITED)) {
            data.put("reason", e.reason());
            data.put("step", step.toJson().get("step"));
        } else {
            data.put("step", step.toJson().get("step"));
            data.put("sendId", "j:" + e.id() + ":" + step.step());
        }
        return new Event(EventIds.derive(at, change.changeId(), type), type, EventTypes.sourceOf(type), at, tenant,
                null, data);
    }
}
