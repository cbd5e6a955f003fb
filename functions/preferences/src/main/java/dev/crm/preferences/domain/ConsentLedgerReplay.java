package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ChannelPreferences;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a contact's consent (channel and topic statuses) from the ledger alone, which is how a test,
 * an audit or a repair proves that the stored state is exactly what the recorded changes imply.
 */
public final class ConsentLedgerReplay {
    private ConsentLedgerReplay() {}

    /**
     * Applies the entries in the order given, which must be the order they were appended (the ledger's
     * own order, not their timestamps: clocks of concurrent writers may disagree by a little).
     *
     * @return the statuses the ledger implies, in the shape of {@link Preferences#channels()}, so that
     *         {@code state.channels().equals(replay(ledger))} is the check
     * @throws IllegalArgumentException when the entries are of more than one contact, or an entry's old
     *                                  status is not what the entries before it left: the ledger does not
     *                                  explain the state, which is exactly what a replay exists to catch
     */
    public static Map<Channel, ChannelPreferences> replay(List<LedgerEntry> entries) {
        Preferences state = Preferences.empty();
        String contactId = null;
        for (LedgerEntry e : entries) {
            if (contactId == null) {
                contactId = e.contactId();
            } else if (!contactId.equals(e.contactId())) {
                throw new IllegalArgumentException("the entries are of more than one contact");
            }
            ConsentStatus current = e.topic() == null ? state.channelStatus(e.channel())
                    : state.topicStatus(e.channel(), e.topic());
            if (current != e.oldStatus()) {
                throw new IllegalArgumentException("ledger entry " + e.entryId() + " changes " + describe(e)
                        + " from " + e.oldStatus() + " but the entries before it left " + current);
            }
            state = e.topic() == null ? state.withChannelStatus(e.channel(), e.newStatus())
                    : state.withTopicStatus(e.channel(), e.topic(), e.newStatus());
        }
        return state.channels();
    }

    private static String describe(LedgerEntry e) {
        return e.channel().wire() + (e.topic() == null ? "" : "/" + e.topic());
    }
}
