package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.Decision;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.ContactDecisions;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.MessageClass;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated {@code POST /v1/contacts/{id}/contact-decisions} body:
 * {@code {"channel": "email", "topic": "newsletter", "messageClass": "marketing", "at": "…"}}.
 * {@code topic} is optional (the channel alone); {@code at} defaults to now. The topic is not checked
 * against the tenant's topics: a topic the contact has no status for is simply {@code no_consent}.
 */
public record ContactDecisionRequest(Channel channel, String topic, MessageClass messageClass, Instant at) {
    public ContactDecisionRequest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(at, "at");
    }

    /** @return the request, or null when the body has problems; they are all added to {@code violations} */
    public static ContactDecisionRequest parse(Object body, Instant now, Violations violations) {
        int problemsBefore = violations.items().size();
        JsonObject o = JsonObject.of(body, violations);
        o.allowOnly("channel", "topic", "messageClass", "at");
        Channel channel = o.requiredEnum("channel", Channel.class);
        String topic = o.optionalLine("topic", 1, Preferences.MAX_TOPIC_KEY_LENGTH);
        if (topic != null && !Preferences.isTopicKey(topic)) {
            violations.pointer(o.pointer("topic"), "not a topic key: lower-case letters, digits, _ and -,"
                    + " starting with a letter or digit");
        }
        MessageClass messageClass = o.requiredEnum("messageClass", MessageClass.class);
        Instant at = o.optionalInstant("at");
        if (violations.items().size() > problemsBefore) {
            return null;
        }
        return new ContactDecisionRequest(channel, topic, messageClass, at == null ? now : at);
    }

    /** {@link ContactDecisions#decide} for this request. */
    public Decision decide(Preferences preferences, ZoneId zone, Map<Channel, FrequencyCap> tenantDefaultCaps,
            List<Instant> sends) {
        return ContactDecisions.decide(channel, topic, messageClass, at, preferences, zone, tenantDefaultCaps, sends);
    }
}
