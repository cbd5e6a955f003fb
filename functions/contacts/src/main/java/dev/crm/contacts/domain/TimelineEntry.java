package dev.crm.contacts.domain;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a contact's timeline: a touch point, a consent change or a survey response, as its
 * owner wrote it ({@code data} is the owner's API representation of the entry).
 */
public record TimelineEntry(String kind, String id, Instant occurredAt, Map<String, Object> data) {
    public TimelineEntry {
        data = data == null ? Map.of() : data;
    }

    /** The entry as the timeline and the 360° view show it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("id", id);
        m.put("occurredAt", occurredAt == null ? null : Times.format(occurredAt));
        m.putAll(data);
        m.put("kind", kind);
        return m;
    }
}
