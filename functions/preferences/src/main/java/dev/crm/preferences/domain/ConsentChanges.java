package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ChannelPreferences;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The consent differences between two states, one {@link ConsentChange} per status that differs. */
public final class ConsentChanges {
    private ConsentChanges() {}

    /**
     * Every channel and topic status that differs, in a deterministic order: channels in enum order;
     * within a channel its own status first, then its topics in key order. Caps, quiet hours and the
     * pause are not consent and produce no change.
     */
    public static List<ConsentChange> between(Preferences before, Preferences after) {
        List<ConsentChange> out = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            ChannelPreferences b = before.channel(channel);
            ChannelPreferences a = after.channel(channel);
            if (b.status() != a.status()) {
                out.add(new ConsentChange(channel, null, b.status(), a.status()));
            }
            TreeSet<String> topics = new TreeSet<>(b.topics().keySet());
            topics.addAll(a.topics().keySet());
            for (String topic : topics) {
                ConsentStatus old = b.topic(topic);
                ConsentStatus now = a.topic(topic);
                if (old != now) {
                    out.add(new ConsentChange(channel, topic, old, now));
                }
            }
        }
        return out;
    }
}
