package dev.crm.webhooks.store.dynamodb;

import dev.crm.shared.events.ChangeDecoder;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.webhooks.domain.WebhookEndpoint;
import java.time.Instant;
import java.util.List;

/**
 * What endpoint items mean as events (docs/events.md, "Webhooks"): the product disabling an endpoint
 * (it answered 410, or failed every attempt for 5 days) is {@code webhook.endpoint_disabled}, its data
 * the endpoint's public form (never a secret). A client disabling its own endpoint announces nothing.
 */
public final class WebhookChangeDecoder implements ChangeDecoder {
    @Override
    public List<Event> events(TableChange change) {
        if (!change.isModify() || !DynamoDbEndpointRepository.ENTITY.equals(change.newS(Table.ENTITY))
                || change.newS("tenantId") == null) {
            return List.of();
        }
        boolean wasEnabled = bool(change, true);
        boolean isEnabled = bool(change, false);
        if (!wasEnabled || isEnabled || change.newS("disabledReason") == null) {
            return List.of();
        }
        WebhookEndpoint endpoint = DynamoDbEndpointRepository.endpoint(change.newImage());
        Instant at = endpoint.disabledAt() != null ? endpoint.disabledAt() : change.approximateAt();
        String type = EventTypes.WEBHOOK_ENDPOINT_DISABLED;
        return List.of(new Event(EventIds.derive(at, change.changeId(), type), type, EventTypes.sourceOf(type), at,
                endpoint.tenant(), null, endpoint.toJson()));
    }

    private static boolean bool(TableChange change, boolean old) {
        var v = (old ? change.oldImage() : change.newImage()).get("enabled");
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
