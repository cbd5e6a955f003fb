package dev.crm.shared.consent;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a message may go to a contact at an instant, and if not, the earliest instant it may. A pure
 * function of its inputs: the caller loads the state, the contact's zone, the tenant's default caps and
 * the recorded sends, and supplies the instant.
 *
 * <p>Transactional messages are always allowed: they are not marketing, so neither consent nor the
 * contact's marketing comfort settings (pause, caps, quiet hours) apply to them. A password reset at
 * 23:00 is wanted at 23:00; a sender that wants manners for its service notices applies them itself.
 *
 * <p>Marketing is judged rule by rule in {@link DecisionReason} order and the first rule that refuses
 * is the reason:
 * <ol>
 *   <li>{@code no_consent}: the channel has no status, or a topic is asked for and has no status while
 *       the channel is not opted out (an opted-out channel is the better reason then);</li>
 *   <li>{@code opted_out_channel}, {@code opted_out_topic};</li>
 *   <li>{@code pending_double_opt_in}: the channel or the topic awaits confirmation;</li>
 *   <li>{@code paused}: {@code pausedUntil > at};</li>
 *   <li>{@code frequency_cap}: at least {@code max} recorded sends in {@code (at − period, at]} (the
 *       contact's cap for the channel, else the tenant's default, else no limit);</li>
 *   <li>{@code quiet_hours}: the contact's local time of {@code at} is in {@code [start, end)}.</li>
 * </ol>
 */
public final class ContactDecisions {
    private ContactDecisions() {}

    /**
     * @param topic             null to ask about the channel alone
     * @param zone              the contact's time zone (the tenant's default when the contact has none)
     * @param tenantDefaultCaps may be null or empty
     * @param sends             the recorded sends on this channel, in any order; sends after {@code at}
     *                          do not count for {@code at} but do for the later instants
     *                          {@code nextAllowedAt} considers, since they will be in those windows
     */
    public static Decision decide(Channel channel, String topic, MessageClass messageClass, Instant at,
            Preferences preferences, ZoneId zone, Map<Channel, FrequencyCap> tenantDefaultCaps, List<Instant> sends) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(preferences, "preferences");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(sends, "sends");
        if (messageClass == MessageClass.TRANSACTIONAL) {
            return Decision.allow(at);
        }
        DecisionReason consent = consentReason(preferences, channel, topic);
        if (consent != null) {
            return Decision.deny(consent, null);
        }
        TimingRules timing = new TimingRules(preferences, zone, preferences.capFor(channel, tenantDefaultCaps), sends);
        DecisionReason now = timing.reasonAt(at);
        if (now == null) {
            return Decision.allow(at);
        }
        return Decision.deny(now, timing.nextAllowedFrom(at));
    }

    static DecisionReason consentReason(Preferences preferences, Channel channel, String topic) {
        ConsentStatus channelStatus = preferences.channelStatus(channel);
        ConsentStatus topicStatus = topic == null ? null : preferences.topicStatus(channel, topic);
        if (channelStatus == null || (topic != null && topicStatus == null && channelStatus != ConsentStatus.OPTED_OUT)) {
            return DecisionReason.NO_CONSENT;
        }
        if (channelStatus == ConsentStatus.OPTED_OUT) {
            return DecisionReason.OPTED_OUT_CHANNEL;
        }
        if (topicStatus == ConsentStatus.OPTED_OUT) {
            return DecisionReason.OPTED_OUT_TOPIC;
        }
        if (channelStatus == ConsentStatus.PENDING || topicStatus == ConsentStatus.PENDING) {
            return DecisionReason.PENDING_DOUBLE_OPT_IN;
        }
        return null;
    }

    /** The rules that time alone lifts: pause, cap, quiet hours. */
    private static final class TimingRules {
        private final Instant pausedUntil;
        private final QuietHours quietHours;
        private final ZoneId zone;
        private final FrequencyCap cap;
        private final Instant[] sends; // ascending

        TimingRules(Preferences preferences, ZoneId zone, FrequencyCap cap, List<Instant> sends) {
            this.pausedUntil = preferences.pausedUntil();
            this.quietHours = preferences.quietHours();
            this.zone = zone;
            this.cap = cap;
            this.sends = sends.toArray(new Instant[0]);
            Arrays.sort(this.sends);
        }

        DecisionReason reasonAt(Instant t) {
            if (pausedUntil != null && pausedUntil.isAfter(t)) {
                return DecisionReason.PAUSED;
            }
            if (cap != null && sendsInWindow(t) >= cap.max()) {
                return DecisionReason.FREQUENCY_CAP;
            }
            if (quietHours != null && quietHours.isQuietAt(t, zone)) {
                return DecisionReason.QUIET_HOURS;
            }
            return null;
        }

        /**
         * Moves forward from {@code t} to where the first refusing rule lets go, until no rule refuses.
         * Every step moves strictly forward and ends: once past the pause and past the last send plus the
         * period, only quiet hours remain, and they end within a day or two.
         */
        Instant nextAllowedFrom(Instant t) {
            for (DecisionReason r = reasonAt(t); r != null; r = reasonAt(t)) {
                t = switch (r) {
                    case PAUSED -> pausedUntil;
                    case FREQUENCY_CAP -> capLiftsAfter(t);
                    case QUIET_HOURS -> quietHours.endAfter(t, zone);
                    default -> throw new IllegalStateException("not a timing rule: " + r);
                };
            }
            return t;
        }

        /** Sends in {@code (t − period, t]}. */
        private int sendsInWindow(Instant t) {
            return firstAfter(t) - firstAfter(t.minus(cap.period()));
        }

        /**
         * The instant at which enough of the sends in {@code t}'s window have left it to make room for one
         * more: a send {@code s} leaves the window at {@code s + period} (the window's open end).
         */
        private Instant capLiftsAfter(Instant t) {
            int oldest = firstAfter(t.minus(cap.period()));
            int inWindow = firstAfter(t) - oldest;
            return sends[oldest + inWindow - cap.max()].plus(cap.period());
        }

        /** The index of the first send strictly after {@code t} (the number of sends at or before it). */
        private int firstAfter(Instant t) {
            int lo = 0;
            int hi = sends.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sends[mid].isAfter(t)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }
}
