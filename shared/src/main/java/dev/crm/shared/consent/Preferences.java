package dev.crm.shared.consent;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A contact's permission-marketing state: consent per channel and per (channel, topic), the contact's
 * own frequency caps (overriding the tenant's defaults channel by channel), quiet hours and a pause.
 * Immutable; channels with no status and no topics are dropped, so two equal states are equal objects.
 *
 * <p>Preferences that were never written are {@link #empty()} with version 0 (the API conventions'
 * "exists implicitly" rule). The legal basis and source of a change are not state: they belong to the
 * request that makes the change and go to the consent ledger ((the preferences function's {@code PreferencesUpdate})).
 *
 * @param pausedUntil no marketing before this instant; null for no pause. Kept to the millisecond,
 *                    the precision the API writes timestamps with.
 */
public record Preferences(Map<Channel, ChannelPreferences> channels, Map<Channel, FrequencyCap> frequencyCaps,
        QuietHours quietHours, Instant pausedUntil, long version) {

    /** A contact can hold a status for at most this many topics on one channel. */
    public static final int MAX_TOPICS_PER_CHANNEL = 50;
    public static final int MAX_TOPIC_KEY_LENGTH = 64;
    private static final Pattern TOPIC_KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_TOPIC_KEY_LENGTH - 1) + "}");

    public Preferences {
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(frequencyCaps, "frequencyCaps");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        EnumMap<Channel, ChannelPreferences> c = new EnumMap<>(Channel.class);
        for (var e : channels.entrySet()) {
            ChannelPreferences p = Objects.requireNonNull(e.getValue(), "channel preferences");
            if (!p.isEmpty()) {
                c.put(Objects.requireNonNull(e.getKey(), "channel"), p);
            }
        }
        EnumMap<Channel, FrequencyCap> f = new EnumMap<>(Channel.class);
        for (var e : frequencyCaps.entrySet()) {
            f.put(Objects.requireNonNull(e.getKey(), "channel"), Objects.requireNonNull(e.getValue(), "cap"));
        }
        channels = Collections.unmodifiableMap(c);
        frequencyCaps = Collections.unmodifiableMap(f);
        pausedUntil = pausedUntil == null ? null : pausedUntil.truncatedTo(ChronoUnit.MILLIS);
    }

    public static Preferences empty() {
        return new Preferences(Map.of(), Map.of(), null, null, 0);
    }

    /** Topic keys as tenants define them: {@code ^[a-z0-9][a-z0-9_-]{0,63}$}. */
    public static boolean isTopicKey(String key) {
        return key != null && TOPIC_KEY.matcher(key).matches();
    }

    public ChannelPreferences channel(Channel channel) {
        return channels.getOrDefault(channel, ChannelPreferences.EMPTY);
    }

    /** @return the channel's own status, or null when absent */
    public ConsentStatus channelStatus(Channel channel) {
        return channel(channel).status();
    }

    /** @return the topic's status on that channel, or null when absent */
    public ConsentStatus topicStatus(Channel channel, String topic) {
        return channel(channel).topic(topic);
    }

    /** @param status null makes the channel's own status absent */
    public Preferences withChannelStatus(Channel channel, ConsentStatus status) {
        return withChannel(channel, channel(channel).withStatus(status));
    }

    /**
     * @param status null makes the topic's status absent
     * @throws IllegalArgumentException for a malformed topic key or over {@link #MAX_TOPICS_PER_CHANNEL}
     */
    public Preferences withTopicStatus(Channel channel, String topic, ConsentStatus status) {
        return withChannel(channel, channel(channel).withTopic(topic, status));
    }

    private Preferences withChannel(Channel channel, ChannelPreferences p) {
        Map<Channel, ChannelPreferences> c = new EnumMap<>(Channel.class);
        c.putAll(channels);
        c.put(channel, p);
        return new Preferences(c, frequencyCaps, quietHours, pausedUntil, version);
    }

    public Preferences withVersion(long newVersion) {
        return new Preferences(channels, frequencyCaps, quietHours, pausedUntil, newVersion);
    }

    /** The cap that applies on a channel: the contact's own, else the tenant's default, else none (null). */
    public FrequencyCap capFor(Channel channel, Map<Channel, FrequencyCap> tenantDefaults) {
        FrequencyCap own = frequencyCaps.get(channel);
        if (own != null || tenantDefaults == null) {
            return own;
        }
        return tenantDefaults.get(channel);
    }

    public boolean isPausedAt(Instant at) {
        return pausedUntil != null && pausedUntil.isAfter(at);
    }

    /**
     * The GET shape, which a client can PUT back unchanged: every channel with a status or topics (in
     * enum order, {@code "status": null} when only topics are set), caps, quiet hours (null for none),
     * the pause (null for none) and the version.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> channelsJson = new LinkedHashMap<>();
        for (var e : channels.entrySet()) {
            Map<String, Object> topics = new LinkedHashMap<>();
            for (var t : e.getValue().topics().entrySet()) {
                topics.put(t.getKey(), t.getValue().wire());
            }
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("status", e.getValue().status() == null ? null : e.getValue().status().wire());
            ch.put("topics", topics);
            channelsJson.put(e.getKey().wire(), ch);
        }
        Map<String, Object> caps = new LinkedHashMap<>();
        for (var e : frequencyCaps.entrySet()) {
            caps.put(e.getKey().wire(), e.getValue().toJson());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channelsJson);
        m.put("frequencyCaps", caps);
        m.put("quietHours", quietHours == null ? null : quietHours.toJson());
        m.put("pausedUntil", pausedUntil == null ? null : Times.format(pausedUntil));
        m.put("version", version);
        return m;
    }

    /**
     * Reads what {@link #toJson()} wrote (e.g. stored as a map attribute). Stored data is trusted to have
     * that shape; anything else is a bug and fails loudly.
     *
     * @throws IllegalArgumentException when the map is not in the {@link #toJson()} shape
     */
    @SuppressWarnings("unchecked")
    public static Preferences fromStored(Map<String, Object> m) {
        try {
            Map<Channel, ChannelPreferences> channels = new EnumMap<>(Channel.class);
            for (var e : ((Map<String, Object>) m.getOrDefault("channels", Map.of())).entrySet()) {
                Map<String, Object> ch = (Map<String, Object>) e.getValue();
                Map<String, ConsentStatus> topics = new LinkedHashMap<>();
                for (var t : ((Map<String, Object>) ch.getOrDefault("topics", Map.of())).entrySet()) {
                    topics.put(t.getKey(), storedEnum(ConsentStatus.fromWire((String) t.getValue())));
                }
                String status = (String) ch.get("status");
                channels.put(storedEnum(Channel.fromWire(e.getKey())),
                        new ChannelPreferences(status == null ? null : storedEnum(ConsentStatus.fromWire(status)), topics));
            }
            Map<Channel, FrequencyCap> caps = new EnumMap<>(Channel.class);
            for (var e : ((Map<String, Object>) m.getOrDefault("frequencyCaps", Map.of())).entrySet()) {
                Map<String, Object> cap = (Map<String, Object>) e.getValue();
                Integer days = FrequencyCap.parsePeriod((String) cap.get("period"));
                caps.put(storedEnum(Channel.fromWire(e.getKey())),
                        new FrequencyCap(((Number) cap.get("max")).intValue(), Objects.requireNonNull(days, "period")));
            }
            Map<String, Object> quiet = (Map<String, Object>) m.get("quietHours");
            String paused = (String) m.get("pausedUntil");
            Object version = m.get("version");
            return new Preferences(channels, caps,
                    quiet == null ? null : QuietHours.of((String) quiet.get("start"), (String) quiet.get("end")),
                    paused == null ? null : Objects.requireNonNull(Times.parse(paused), "pausedUntil"),
                    version == null ? 0 : ((Number) version).longValue());
        } catch (ClassCastException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("stored preferences are not in the expected shape", e);
        }
    }

    private static <E> E storedEnum(E value) {
        return Objects.requireNonNull(value, "an unknown enum value");
    }
}
