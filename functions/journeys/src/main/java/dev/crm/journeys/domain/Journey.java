package dev.crm.journeys.domain;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A journey: its name, status and current definition. {@code version} (the ETag) counts every change;
 * {@code definitionVersion} counts the definition's versions, the one new enrolments pin.
 */
public record Journey(String id, String name, Status status, long version, long definitionVersion,
        JourneyDefinition definition, Instant createdAt, Instant updatedAt) {
    public static final String ID_PREFIX = "jrn_";
    public static final int MAX_NAME = 200;

    public enum Status {
        DRAFT, ACTIVE, PAUSED, ARCHIVED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public Journey with(Status s, Instant now) {
        return new Journey(id, name, s, version + 1, definitionVersion, definition, createdAt, now);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("status", status.wire());
        m.putAll(definition.json());
        m.put("definitionVersion", definitionVersion);
        m.put("createdAt", Times.format(createdAt));
        m.put("updatedAt", Times.format(updatedAt));
        m.put("version", version);
        return m;
    }
}
