package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * What churn alert items mean as events (docs/events.md, "Churn alerts"): a new alert is
 * {@code churn_alert.raised}; a change of its status to acknowledged or resolved is
 * {@code churn_alert.acknowledged} / {@code churn_alert.resolved}. Any other change of an alert (an
 * anonymisation rewriting its contact card, a rerun finding it) announces nothing.
 */
public final class ChurnAlertChangeDecoder implements ChangeDecoder {
    static final String ENTITY = "CHURN_ALERT";

    @Override
    public List<Event> events(TableChange change) {
        if (!ENTITY.equals(change.newS(Table.ENTITY)) || change.newS("tenantId") == null) {
            return List.of();
        }
        ChurnAlert alert = ChurnItems.ALERT.mapToItem(change.newImage()).toAlert();
        if (change.isInsert()) {
            return List.of(event(change, EventTypes.CHURN_ALERT_RAISED, alert, alert.createdAt()));
        }
        if (!change.isModify() || alert.status().wire().equals(change.oldS("status"))) {
            return List.of();
        }
        return switch (alert.status()) {
            case ACKNOWLEDGED -> List.of(event(change, EventTypes.CHURN_ALERT_ACKNOWLEDGED, alert, alert.acknowledgedAt()));
            case RESOLVED -> List.of(event(change, EventTypes.CHURN_ALERT_RESOLVED, alert, alert.resolvedAt()));
            case OPEN -> List.of();
        };
    }

    private static Event event(TableChange change, String type, ChurnAlert alert, Instant at) {
        Instant when = at != null ? at : change.approximateAt();
        // the alert carries the contact's display fields: stored with the contact, erased with it
        return new Event(EventIds.derive(when, change.changeId(), type), type, EventTypes.sourceOf(type), when,
                new TenantId(change.newS("tenantId")), alert.contactId(), alert.toJson());
    }
}
