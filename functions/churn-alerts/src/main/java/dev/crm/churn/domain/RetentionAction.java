package dev.crm.churn.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The suggested retention action names a channel the contact's own preferences allow for a
 * marketing message (channel opted in, not paused), preferring personal channels, or says that
 * none is allowed — then staff must not reach out by marketing at all.
 */
public final class RetentionAction {
    static final List<String> PREFERENCE_ORDER = List.of("phone", "email", "sms", "post", "push", "in_app");

    private RetentionAction() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> suggest(Map<String, Object> preferences, java.time.Instant now) {
        Map<String, Object> action = new LinkedHashMap<>();
        if (preferences != null && preferences.get("pausedUntil") instanceof String paused
                && java.time.Instant.parse(paused).isAfter(now)) {
            action.put("channel", null);
            action.put("detail", "the customer has paused all contact until " + paused + "; no outreach is allowed");
            return action;
        }
        Map<String, Object> channels = preferences != null && preferences.get("channels") instanceof Map<?, ?> c
                ? (Map<String, Object>) c : Map.of();
        for (String channel : PREFERENCE_ORDER) {
            if (channels.get(channel) instanceof Map<?, ?> ch && "opted_in".equals(ch.get("status"))) {
                action.put("channel", channel);
                action.put("detail", "reach out by " + channel.replace('_', ' ')
                        + " with a retention offer; check POST /v1/contacts/{id}/contact-decisions for the time");
                return action;
            }
        }
        action.put("channel", null);
        action.put("detail", "no channel is opted in for marketing; no outreach is allowed without the customer's consent");
        return action;
    }
}
