package dev.crm.preferences.domain;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ChannelPreferences;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.QuietHours;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Violations;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated {@code PUT /v1/contacts/{id}/preferences} body: the complete new state and the request
 * metadata (legal basis, source) that every consent change it makes is recorded with.
 *
 * <p>The rules, beyond the field formats:
 * <ul>
 *   <li>{@code channels} is required (it may be {@code {}}): an accidental omission must not silently
 *       withdraw every consent. {@code frequencyCaps}, {@code quietHours} and {@code pausedUntil}
 *       omitted or null mean none. Within a channel, an omitted or null {@code status} or topic is absent.</li>
 *   <li>{@code pending} cannot be set: only the double opt-in flow sets it. Sending back a
 *       {@code pending} that is already the current status is accepted (so a GET can be PUT back).</li>
 *   <li>A topic must be one of the tenant's topics, or one the contact already has a status for on
 *       that channel (so a topic the tenant has since removed can still be PUT back or opted out of).</li>
 *   <li>{@code legalBasis} and {@code source} are required only when the PUT changes a consent status:
 *       a PUT that only moves quiet hours has nothing to record in the ledger.</li>
 *   <li>Read-only {@code version} and {@code contactId} may be sent back unchanged.</li>
 * </ul>
 *
 * @param preferences the new state, carrying the current version (the store assigns the next one)
 * @param legalBasis  null when the PUT changes no consent status and none was given
 * @param source      null when the PUT changes no consent status and none was given
 */
public record PreferencesUpdate(Preferences preferences, LegalBasis legalBasis, String source) {
    public static final int MAX_SOURCE_LENGTH = 100;

    private static final List<String> FIELDS = List.of("channels", "frequencyCaps", "quietHours", "pausedUntil",
            "legalBasis", "source", "version", "contactId");

    public PreferencesUpdate {
        Objects.requireNonNull(preferences, "preferences");
    }

    /** The consent changes this update makes to {@code current}, in {@link ConsentChanges} order. */
    public List<ConsentChange> changesFrom(Preferences current) {
        return ConsentChanges.between(current, preferences);
    }

    /**
     * @param body         the parsed JSON body
     * @param current      the stored state ({@link Preferences#empty()} when never written)
     * @param contactId    the contact the route addresses, for the read-only {@code contactId} field
     * @param tenantTopics the keys of the tenant's topics
     * @return the update, or null when the body has problems; they are all added to {@code violations}
     */
    public static PreferencesUpdate parse(Object body, Preferences current, String contactId,
            Set<String> tenantTopics, Violations violations) {
        int problemsBefore = violations.items().size();
        JsonObject root = JsonObject.of(body, violations);
        root.allowOnly(FIELDS);
        root.readOnly("version", current.version());
        root.readOnly("contactId", contactId);

        Map<Channel, ChannelPreferences> channels = parseChannels(root, current, tenantTopics);
        Map<Channel, FrequencyCap> caps = parseCaps(root);
        JsonObject quietJson = root.optionalObject("quietHours");
        QuietHours quietHours = quietJson == null ? null : QuietHours.parse(quietJson);
        Instant pausedUntil = root.optionalInstant("pausedUntil");
        LegalBasis legalBasis = root.optionalEnum("legalBasis", LegalBasis.class);
        String source = root.optionalLine("source", 1, MAX_SOURCE_LENGTH);
        if (violations.items().size() > problemsBefore) {
            return null;
        }

        Preferences next = new Preferences(channels, caps, quietHours, pausedUntil, current.version());
        if (!ConsentChanges.between(current, next).isEmpty()) {
            if (legalBasis == null) {
                violations.pointer(root.pointer("legalBasis"), "required when the request changes a consent status;"
                        + " one of " + LegalBasis.wireNames());
            }
            if (source == null) {
                violations.pointer(root.pointer("source"), "required when the request changes a consent status"
                        + " (where the change came from, e.g. crm-ui)");
            }
            if (legalBasis == null || source == null) {
                return null;
            }
        }
        return new PreferencesUpdate(next, legalBasis, source);
    }

    private static Map<Channel, ChannelPreferences> parseChannels(JsonObject root, Preferences current,
            Set<String> tenantTopics) {
        Map<Channel, ChannelPreferences> out = new EnumMap<>(Channel.class);
        JsonObject channels = root.requiredObject("channels");
        if (channels == null) {
            return out;
        }
        for (String key : channels.fields()) {
            Channel channel = Channel.fromWire(key);
            if (channel == null) {
                channels.violations().pointer(channels.pointer(key), "unknown channel; one of " + Channel.wireNames());
                continue;
            }
            JsonObject ch = channels.optionalObject(key);
            if (ch == null) {
                continue; // null: nothing set on this channel
            }
            ch.allowOnly("status", "topics");
            ChannelPreferences now = current.channel(channel);
            ConsentStatus status = status(ch, "status", now.status());
            Map<String, ConsentStatus> topics = new LinkedHashMap<>();
            JsonObject topicsJson = ch.optionalObject("topics");
            if (topicsJson != null) {
                if (topicsJson.fields().size() > Preferences.MAX_TOPICS_PER_CHANNEL) {
                    ch.violations().pointer(ch.pointer("topics"),
                            "must have at most " + Preferences.MAX_TOPICS_PER_CHANNEL + " topics");
                    continue;
                }
                for (String topic : topicsJson.fields()) {
                    if (!Preferences.isTopicKey(topic)) {
                        topicsJson.violations().pointer(topicsJson.pointer(topic), "not a topic key: lower-case"
                                + " letters, digits, _ and -, starting with a letter or digit, at most "
                                + Preferences.MAX_TOPIC_KEY_LENGTH + " characters");
                        continue;
                    }
                    ConsentStatus was = now.topic(topic);
                    if (!tenantTopics.contains(topic) && was == null) {
                        topicsJson.violations().pointer(topicsJson.pointer(topic),
                                "unknown topic; topics are created with POST /v1/topics");
                        continue;
                    }
                    ConsentStatus s = status(topicsJson, topic, was);
                    if (s != null) {
                        topics.put(topic, s);
                    }
                }
            }
            out.put(channel, new ChannelPreferences(status, topics));
        }
        return out;
    }

    /** A settable status: opted_in, opted_out, null (absent), or pending only where it already is. */
    private static ConsentStatus status(JsonObject o, String field, ConsentStatus current) {
        Object v = o.raw().get(field);
        if (v == null) {
            return null;
        }
        ConsentStatus s = v instanceof String text ? ConsentStatus.fromWire(text) : null;
        if (s == null) {
            o.violations().pointer(o.pointer(field), "must be opted_in, opted_out or null");
            return null;
        }
        if (s == ConsentStatus.PENDING && current != ConsentStatus.PENDING) {
            o.violations().pointer(o.pointer(field),
                    "pending cannot be set; it is set by the double opt-in flow only (use opted_in or opted_out)");
            return null;
        }
        return s;
    }

    private static Map<Channel, FrequencyCap> parseCaps(JsonObject root) {
        Map<Channel, FrequencyCap> out = new EnumMap<>(Channel.class);
        JsonObject caps = root.optionalObject("frequencyCaps");
        if (caps == null) {
            return out;
        }
        for (String key : caps.fields()) {
            Channel channel = Channel.fromWire(key);
            if (channel == null) {
                caps.violations().pointer(caps.pointer(key), "unknown channel; one of " + Channel.wireNames());
                continue;
            }
            JsonObject capJson = caps.optionalObject(key);
            FrequencyCap cap = capJson == null ? null : FrequencyCap.parse(capJson);
            if (cap != null) {
                out.put(channel, cap);
            }
        }
        return out;
    }
}
