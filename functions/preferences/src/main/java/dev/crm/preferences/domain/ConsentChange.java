package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import java.util.Objects;

/**
 * One consent status that changed: the unit the consent ledger records.
 *
 * @param topic     null when the channel's own status changed
 * @param oldStatus null when there was no status (absent)
 * @param newStatus null when the status was removed (absent)
 */
public record ConsentChange(Channel channel, String topic, ConsentStatus oldStatus, ConsentStatus newStatus) {
    public ConsentChange {
        Objects.requireNonNull(channel, "channel");
        if (topic != null && !Preferences.isTopicKey(topic)) {
            throw new IllegalArgumentException("not a topic key");
        }
        if (oldStatus == newStatus) {
            throw new IllegalArgumentException("a change must change the status");
        }
    }
}
