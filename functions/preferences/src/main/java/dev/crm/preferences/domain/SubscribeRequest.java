package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated {@code POST /v1/public/t/{tenantSlug}/subscribe} body:
 * {@code {"email": "…", "topics": ["newsletter"], "channel": "email"}}. {@code channel} defaults to email,
 * the one channel a double opt-in can be confirmed on (by the link in the confirmation email);
 * {@code topics} may be empty (the channel alone) and must be the tenant's.
 */
public record SubscribeRequest(String email, Channel channel, List<String> topics) {
    public static final int MAX_EMAIL_LENGTH = 254;

    public SubscribeRequest {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(channel, "channel");
        topics = List.copyOf(topics);
    }

    /** @return the request, or null when the body has problems; they are all added to its violations */
    public static SubscribeRequest parse(JsonObject body, Set<String> tenantTopics) {
        int before = body.violations().items().size();
        body.allowOnly("email", "topics", "channel");
        String email = body.requiredLine("email", 3, MAX_EMAIL_LENGTH);
        if (email != null && !EmailAddress.isValid(email)) {
            body.violations().pointer(body.pointer("email"), "must be an email address");
        }
        Channel channel = Channel.EMAIL;
        if (body.has("channel") && !body.isNull("channel")) {
            channel = body.optionalEnum("channel", Channel.class);
            if (channel != null && channel != Channel.EMAIL) {
                body.violations().pointer(body.pointer("channel"),
                        "only email can be subscribed to here: the confirmation link arrives by email");
            }
        }
        if (body.isNull("topics")) {
            // the contract has no null here: absent means "the channel alone", and null must not pass for it
            body.violations().pointer(body.pointer("topics"), "must be an array of topic keys; leave it out for none");
        }
        List<String> topics = body.optionalStringSet("topics", ConsentActions.MAX_SUBSCRIBE_TOPICS, Preferences.MAX_TOPIC_KEY_LENGTH);
        if (topics != null) {
            for (int i = 0; i < topics.size(); i++) {
                if (!tenantTopics.contains(topics.get(i))) {
                    body.violations().pointer(body.pointer("topics") + "/" + i, "not one of the topics offered");
                }
            }
        }
        if (body.violations().items().size() > before) {
            return null;
        }
        return new SubscribeRequest(email.trim(), channel, topics == null ? List.of() : topics);
    }
}
