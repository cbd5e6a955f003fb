package dev.crm.webhooks.outbound;

import dev.crm.shared.json.Json;
import dev.crm.shared.outbound.LocalEventLog;
import dev.crm.webhooks.domain.EventBus;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bus on one machine: the local event log the runner shows at GET /_local/events. */
public final class LocalEventBus implements EventBus {
    @Override
    @SuppressWarnings("unchecked")
    public void publish(String source, String detailType, String envelopeJson) {
        Map<String, Object> detail = new LinkedHashMap<>((Map<String, Object>) Json.parse(envelopeJson));
        LocalEventLog.INSTANCE.publish(source, detailType, detail);
    }
}
