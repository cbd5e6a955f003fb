package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import java.util.List;

/**
 * The consent changes the product makes on the contact's behalf (and on its own), as functions of the
 * state. Double opt-in: a subscription makes what is not yet opted in {@code pending}; the confirmation
 * turns exactly those pending statuses into {@code opted_in}. A status the contact has since changed (an
 * opt-out in the preference centre) is a later, explicit choice, and a confirmation link never overrides it.
 */
public final class ConsentActions {
    /** Topics one subscription may ask for (they travel inside the signed confirmation link). */
    public static final int MAX_SUBSCRIBE_TOPICS = 10;

    private ConsentActions() {}

    /**
     * The channel and each topic that is not opted in becomes pending (an opted-out channel too: asking
     * again is a new request for consent). A topic beyond the channel's
     * {@link Preferences#MAX_TOPICS_PER_CHANNEL} is left out rather than failing the whole subscription.
     */
    public static Preferences subscribe(Preferences p, Channel channel, List<String> topics) {
        Preferences next = p;
        if (next.channelStatus(channel) != ConsentStatus.OPTED_IN) {
            next = next.withChannelStatus(channel, ConsentStatus.PENDING);
        }
        for (String topic : topics) {
            ConsentStatus s = next.topicStatus(channel, topic);
            if (s == ConsentStatus.OPTED_IN || s == ConsentStatus.PENDING) {
                continue;
            }
            if (s == null && next.channel(channel).topics().size() >= Preferences.MAX_TOPICS_PER_CHANNEL) {
                continue;
            }
            next = next.withTopicStatus(channel, topic, ConsentStatus.PENDING);
        }
        return next;
    }

    /** Whether the state still waits for the confirmation of any part of this subscription. */
    public static boolean awaitsConfirmation(Preferences p, Channel channel, List<String> topics) {
        if (p.channelStatus(channel) == ConsentStatus.PENDING) {
            return true;
        }
        for (String topic : topics) {
            if (p.topicStatus(channel, topic) == ConsentStatus.PENDING) {
                return true;
            }
        }
        return false;
    }

    /** Pending becomes opted in, for the channel and the subscription's topics only. */
    public static Preferences confirm(Preferences p, Channel channel, List<String> topics) {
        Preferences next = p;
        if (next.channelStatus(channel) == ConsentStatus.PENDING) {
            next = next.withChannelStatus(channel, ConsentStatus.OPTED_IN);
        }
        for (String topic : topics) {
            if (Preferences.isTopicKey(topic) && next.topicStatus(channel, topic) == ConsentStatus.PENDING) {
                next = next.withTopicStatus(channel, topic, ConsentStatus.OPTED_IN);
            }
        }
        return next;
    }

    /** A permanent bounce or a complaint: the channel is opted out (suppressed); topics keep their statuses. */
    public static Preferences suppress(Preferences p, Channel channel) {
        return p.withChannelStatus(channel, ConsentStatus.OPTED_OUT);
    }

    /** The one-click unsubscribe: the topic (or, with no topic, the channel) is opted out; nothing else changes. */
    public static Preferences unsubscribe(Preferences p, Channel channel, String topic) {
        if (topic == null) {
            return p.withChannelStatus(channel, ConsentStatus.OPTED_OUT);
        }
        if (p.topicStatus(channel, topic) == null
                && p.channel(channel).topics().size() >= Preferences.MAX_TOPICS_PER_CHANNEL) {
            return p; // no status to withdraw, and no room to record a refusal; no consent is no consent
        }
        return p.withTopicStatus(channel, topic, ConsentStatus.OPTED_OUT);
    }
}
