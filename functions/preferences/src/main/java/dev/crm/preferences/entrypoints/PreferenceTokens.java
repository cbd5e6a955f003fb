package dev.crm.preferences.entrypoints;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.MarketingLinks;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed tokens of this function's links, all with the contact id as subject and bound to the tenant
 * and a purpose ({@link SignedTokens}). Lifetimes: a preference-centre link lasts 90 days (it can change
 * everything, so it should not live in a mailbox forever), an unsubscribe link a year (an old newsletter's
 * link must still work; it can only opt out), a confirmation link 7 days and only once.
 */
final class PreferenceTokens {
    static final Duration PREFERENCES_TTL = MarketingLinks.PREFERENCES_TTL;
    static final Duration UNSUBSCRIBE_TTL = MarketingLinks.UNSUBSCRIBE_TTL;
    static final Duration CONFIRM_TTL = Duration.ofDays(7);

    private static final String CHANNEL = MarketingLinks.CHANNEL_CLAIM;
    private static final String TOPIC = MarketingLinks.TOPIC_CLAIM;
    private static final String WORDING = "wv";
    /** A confirmation's topics, comma-joined, in chunks that fit a claim value: t0, t1, … */
    private static final String TOPICS = "t";
    private static final int MAX_TOPIC_CHUNKS = SignedTokens.MAX_CLAIMS - 2;

    private PreferenceTokens() {}

    static String preferences(Tenant tenant, String contactId, Instant now) {
        return MarketingLinks.preferencesToken(tenant, contactId, now);
    }

    static String unsubscribeAll(Tenant tenant, String contactId, Channel channel, Instant now) {
        return MarketingLinks.unsubscribeAllToken(tenant, contactId, channel, now);
    }

    static String unsubscribeTopic(Tenant tenant, String contactId, Channel channel, String topic, Instant now) {
        return MarketingLinks.unsubscribeTopicToken(tenant, contactId, channel, topic, now);
    }

    /** @param wordingVersion the consent wording shown when the contact subscribed; may be null */
    static String confirmation(Tenant tenant, String contactId, Channel channel, List<String> topics,
            String wordingVersion, Instant now) {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put(CHANNEL, channel.wire());
        if (wordingVersion != null) {
            claims.put(WORDING, wordingVersion);
        }
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String topic : topics) {
            if (chunk.length() > 0 && chunk.length() + 1 + topic.length() > SignedTokens.MAX_CLAIM_VALUE_LENGTH) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
            chunk.append(chunk.length() > 0 ? "," : "").append(topic);
        }
        if (chunk.length() > 0) {
            chunks.add(chunk.toString());
        }
        if (chunks.size() > MAX_TOPIC_CHUNKS) {
            throw new IllegalArgumentException("too many topics for one confirmation link");
        }
        for (int i = 0; i < chunks.size(); i++) {
            claims.put(TOPICS + i, chunks.get(i));
        }
        return SignedTokens.issue(tenant.id(), tenant.secrets(), TokenPurpose.CONFIRM_SUBSCRIPTION, contactId, claims,
                now, CONFIRM_TTL);
    }

    /** The channel a verified token names; a token of ours always names a known one. */
    static Channel channel(Token token) {
        Channel c = Channel.fromWire(token.claim(CHANNEL));
        if (c == null) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        return c;
    }

    static String topic(Token token) {
        String topic = token.claim(TOPIC);
        if (topic != null && !Preferences.isTopicKey(topic)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        return topic;
    }

    static String wordingVersion(Token token) {
        return token.claim(WORDING);
    }

    static List<String> topics(Token token) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < MAX_TOPIC_CHUNKS && token.claim(TOPICS + i) != null; i++) {
            for (String topic : token.claim(TOPICS + i).split(",")) {
                if (!Preferences.isTopicKey(topic)) {
                    throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
                }
                out.add(topic);
            }
        }
        return out;
    }
}
