package dev.crm.preferences.domain;

import dev.crm.shared.consent.Preferences;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A subject a tenant sends marketing about ({@code newsletter}, {@code offers}); contacts consent per
 * channel and topic. The key is what consent refers to and never changes; name and description are
 * what a preference centre shows.
 */
public record Topic(String key, String name, String description, Instant createdAt) {
    /** A tenant may define at most this many topics (enforced by a counter in the topic's transaction). */
    public static final int MAX_PER_TENANT = 100;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    public Topic {
        if (!Preferences.isTopicKey(key)) {
            throw new IllegalArgumentException("not a topic key");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Reads a {@code POST /v1/topics} body; problems go to the body's violations and the result is then null. */
    public static Topic parse(JsonObject body, Instant now) {
        int before = body.violations().items().size();
        body.allowOnly("key", "name", "description");
        String key = body.requiredLine("key", 1, Preferences.MAX_TOPIC_KEY_LENGTH);
        if (key != null && !Preferences.isTopicKey(key)) {
            body.violations().pointer(body.pointer("key"), "must be lower-case letters, digits, _ and -, starting with"
                    + " a letter or digit, at most " + Preferences.MAX_TOPIC_KEY_LENGTH + " characters");
        }
        String name = body.requiredLine("name", 1, MAX_NAME_LENGTH);
        String description = body.optionalString("description", 1, MAX_DESCRIPTION_LENGTH);
        if (body.violations().items().size() > before) {
            return null;
        }
        return new Topic(key, name, description, now);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("name", name);
        m.put("description", description);
        m.put("createdAt", Times.format(createdAt));
        return m;
    }
}
