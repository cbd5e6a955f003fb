package dev.crm.shared.consent;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One channel's consent: the channel's own status and each topic's, every one optional (null or not
 * in the map = absent = no consent). Topics are kept sorted so output and comparisons are deterministic.
 */
public record ChannelPreferences(ConsentStatus status, Map<String, ConsentStatus> topics) {
    public static final ChannelPreferences EMPTY = new ChannelPreferences(null, Map.of());

    public ChannelPreferences {
        Objects.requireNonNull(topics, "topics");
        if (topics.size() > Preferences.MAX_TOPICS_PER_CHANNEL) {
            throw new IllegalArgumentException("at most " + Preferences.MAX_TOPICS_PER_CHANNEL + " topics per channel");
        }
        TreeMap<String, ConsentStatus> sorted = new TreeMap<>();
        for (var e : topics.entrySet()) {
            if (!Preferences.isTopicKey(e.getKey())) {
                throw new IllegalArgumentException("not a topic key");
            }
            sorted.put(e.getKey(), Objects.requireNonNull(e.getValue(), "a topic's status (absent topics are left out)"));
        }
        topics = Collections.unmodifiableMap(sorted);
    }

    public boolean isEmpty() {
        return status == null && topics.isEmpty();
    }

    public ConsentStatus topic(String topic) {
        return topics.get(topic);
    }

    /** @param status null removes the topic's status (absent) */
    public ChannelPreferences withTopic(String topic, ConsentStatus status) {
        TreeMap<String, ConsentStatus> t = new TreeMap<>(topics);
        if (status == null) {
            t.remove(topic);
        } else {
            t.put(topic, status);
        }
        return new ChannelPreferences(this.status, t);
    }

    /** @param status null removes the channel's own status (absent); its topics stay */
    public ChannelPreferences withStatus(ConsentStatus status) {
        return new ChannelPreferences(status, topics);
    }
}
