package dev.crm.shared.consent;

import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.TokenPurpose;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The links every marketing message carries (the preference centre, the one-click unsubscribe and its
 * RFC 8058 headers), as the preferences function hands them out ({@code GET …/links}) and a journey's
 * send step puts them into its messages. Tokens are signed with the tenant's secrets and bound to the
 * contact and a purpose ({@link SignedTokens}).
 */
public final class MarketingLinks {
    /** A preference-centre link can change everything, so it should not live in a mailbox for ever. */
    public static final Duration PREFERENCES_TTL = Duration.ofDays(90);
    /** An old newsletter's unsubscribe link must still work; it can only opt out. */
    public static final Duration UNSUBSCRIBE_TTL = Duration.ofDays(365);
    public static final String CHANNEL_CLAIM = "ch";
    public static final String TOPIC_CLAIM = "tp";
    /** The one-click target (RFC 8058): an API route, so it works without any page. */
    public static final String UNSUBSCRIBE_PATH = "/v1/public/unsubscribe";
    /** The preference-centre page of the web app, which calls GET/PUT /v1/public/preferences with the token. */
    public static final String PREFERENCE_CENTRE_PAGE = "/preferences.html";

    private MarketingLinks() {}

    public static String preferencesToken(Tenant tenant, String contactId, Instant now) {
        return SignedTokens.issue(tenant.id(), tenant.secrets(), TokenPurpose.PREFERENCES, contactId, null, now,
                PREFERENCES_TTL);
    }

    public static String unsubscribeAllToken(Tenant tenant, String contactId, Channel channel, Instant now) {
        return SignedTokens.issue(tenant.id(), tenant.secrets(), TokenPurpose.UNSUBSCRIBE_ALL, contactId,
                Map.of(CHANNEL_CLAIM, channel.wire()), now, UNSUBSCRIBE_TTL);
    }

    public static String unsubscribeTopicToken(Tenant tenant, String contactId, Channel channel, String topic,
            Instant now) {
        return SignedTokens.issue(tenant.id(), tenant.secrets(), TokenPurpose.UNSUBSCRIBE_TOPIC, contactId,
                Map.of(CHANNEL_CLAIM, channel.wire(), TOPIC_CLAIM, topic), now, UNSUBSCRIBE_TTL);
    }

    public static String unsubscribeUrl(String base, String token) {
        return base + UNSUBSCRIBE_PATH + "?token=" + encode(token);
    }

    public static String preferenceCentreUrl(String base, String token) {
        return base + PREFERENCE_CENTRE_PAGE + "?token=" + encode(token);
    }

    /** RFC 8058: an HTTPS URI the mail client POSTs "List-Unsubscribe=One-Click" to, without a page. */
    public static Map<String, String> listUnsubscribeHeaders(String unsubscribeUrl) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + unsubscribeUrl + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return headers;
    }

    private static String encode(String token) {
        return URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
