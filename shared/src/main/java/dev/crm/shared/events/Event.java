package dev.crm.shared.events;

import dev.crm.shared.json.Json;
import dev.crm.shared.json.Times;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change a tenant cares about, as the catalogue (docs/events.md) describes it.
 *
 * @param id             {@code evt_…}, derived from the change ({@link EventIds}): a redelivered stream
 *                       record gives the same id
 * @param type           a catalogue type ({@link EventTypes})
 * @param source         the function that owns the changed resource ({@code crm.contacts}, …): the
 *                       EventBridge {@code source}
 * @param timestamp      when the change happened
 * @param tenant         whose change it is
 * @param personalDataOf the contact whose personal data {@code data} carries, or null: such an event is
 *                       stored in the contact's partition, so erasing the contact erases it too
 * @param data           the type's payload (docs/events/{type}.json)
 */
public record Event(String id, String type, String source, Instant timestamp, TenantId tenant,
        String personalDataOf, Map<String, Object> data) {

    /** The most an envelope may take, serialised (docs/events.md). */
    public static final int MAX_BYTES = 20 * 1024;

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        data = data == null ? Map.of() : data;
    }

    /** The envelope: what the bus carries as detail and a webhook as its body. */
    public Map<String, Object> envelope() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("timestamp", Times.format(timestamp));
        m.put("tenantId", tenant.value());
        m.put("data", data);
        return m;
    }

    /** The envelope as JSON, within {@link #MAX_BYTES}: an oversized {@code data} keeps its ids only. */
    public String envelopeJson() {
        String json = Json.write(envelope());
        if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return json;
        }
        Map<String, Object> ids = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if ((k.equals("id") || k.endsWith("Id")) && v instanceof String s && s.length() <= 200) {
                ids.put(k, s);
            }
        });
        ids.put("truncated", true);
        return Json.write(new Event(id, type, source, timestamp, tenant, personalDataOf, ids).envelope());
    }
}
