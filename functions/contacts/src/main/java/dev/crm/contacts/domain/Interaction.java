package dev.crm.contacts.domain;

import dev.crm.shared.contact.Money;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A touch point on the contact's timeline. The client chooses its id, so a retried request stores
 * nothing new.
 */
public record Interaction(String id, InteractionType type, InteractionChannel channel, Instant occurredAt, Money value,
        String summary, String source) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Clocks differ; an interaction dated further ahead than this is a mistake. */
    public static final Duration MAX_FUTURE = Duration.ofDays(1);
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    public static Interaction read(JsonObject body, Instant now, String defaultCurrency) {
        body.allowOnly("id", "type", "channel", "occurredAt", "value", "summary", "source");
        String id = body.requiredLine("id", 1, 64);
        if (id != null && !ID.matcher(id).matches()) {
            body.violations().pointer("/id", "must be 1 to 64 letters, digits or . _ : -");
        }
        InteractionType type = body.requiredEnum("type", InteractionType.class);
        InteractionChannel channel = body.optionalEnum("channel", InteractionChannel.class);
        Instant occurredAt = body.optionalInstant("occurredAt");
        if (occurredAt != null && (occurredAt.isAfter(now.plus(MAX_FUTURE)) || occurredAt.isBefore(EARLIEST))) {
            body.violations().pointer("/occurredAt", "must not be more than a day in the future nor before 1970");
        }
        Money value = Money.read(body, "value", defaultCurrency);
        if (type == InteractionType.PURCHASE && value == null && !body.violations().items().stream()
                .anyMatch(v -> String.valueOf(v.get("pointer")).startsWith("/value"))) {
            body.violations().pointer("/value", "required for purchases (zero is allowed)");
        }
        String summary = body.optionalString("summary", 1, 2000);
        String source = body.optionalLine("source", 1, 100);
        return new Interaction(id, type, channel, occurredAt == null ? now : occurredAt, value, summary, source);
    }

    /** What identifies the content of a touch point, to tell a replay from a clash of ids. */
    public String fingerprint() {
        return Hashes.sha256Hex(Json.write(toJson()));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type.wire());
        m.put("channel", channel == null ? null : channel.wire());
        m.put("occurredAt", occurredAt);
        m.put("value", value == null ? null : value.toJson());
        m.put("summary", summary);
        m.put("source", source);
        return m;
    }
}
