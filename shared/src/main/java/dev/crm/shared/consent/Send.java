package dev.crm.shared.consent;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A marketing message a sender reports as sent ({@code POST /v1/contacts/{id}/sends}); recorded sends are
 * what frequency caps count. The client names each send, so a retried report records it once.
 *
 * @param topic informational; caps count every send on the channel whatever its topic
 * @param at    when it was sent, to the millisecond (the precision the store orders sends by)
 */
public record Send(String id, Channel channel, String topic, Instant at) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** A send is reported after the fact; a little clock skew between the sender and us is tolerated. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    /** Older sends can never fall inside a cap's window, so recording them would only cost storage. */
    public static final Duration MAX_AGE = Duration.ofDays(FrequencyCap.MAX_PERIOD_DAYS);

    public Send {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a send id");
        }
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        at = at.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Reads a body {@code {"id", "channel", "topic"?, "at"?}}; problems go to the violations, the result is then null. */
    public static Send parse(JsonObject body, Instant now) {
        int before = body.violations().items().size();
        body.allowOnly("id", "channel", "topic", "at");
        String id = body.requiredLine("id", 1, 64);
        if (id != null && !ID.matcher(id).matches()) {
            body.violations().pointer(body.pointer("id"), "must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        Channel channel = body.requiredEnum("channel", Channel.class);
        String topic = body.optionalLine("topic", 1, Preferences.MAX_TOPIC_KEY_LENGTH);
        if (topic != null && !Preferences.isTopicKey(topic)) {
            body.violations().pointer(body.pointer("topic"), "not a topic key");
        }
        Instant at = body.optionalInstant("at");
        if (at != null && at.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            body.violations().pointer(body.pointer("at"), "must not be in the future (a send is recorded once it happened)");
        } else if (at != null && !at.isAfter(now.minus(MAX_AGE))) {
            body.violations().pointer(body.pointer("at"), "must be within the last " + FrequencyCap.MAX_PERIOD_DAYS
                    + " days (older sends count toward no cap)");
        }
        if (body.violations().items().size() > before) {
            return null;
        }
        return new Send(id, channel, topic, at == null ? now : at);
    }

    /**
     * What a replay must repeat: the same id with another channel or topic is a conflict. The instant is
     * left out because a retry that omits {@code at} defaults it to a later now; the first report's
     * instant is the one kept.
     */
    public String fingerprint() {
        return Hashes.sha256Hex("send|" + channel.wire() + "|" + (topic == null ? "" : topic));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("channel", channel.wire());
        m.put("topic", topic);
        m.put("at", Times.format(at));
        return m;
    }
}
