package dev.crm.preferences.entrypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.tokens.SignedTokens;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormsAndTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void urlencodedFormsDecodeAndRejectRepeatsAndBadEscapes() {
        assertEquals(Map.of("List-Unsubscribe", "One-Click", "token", "a.b c"),
                Forms.urlencoded("List-Unsubscribe=One-Click&token=a.b+c&"));
        assertEquals(Map.of("flag", ""), Forms.urlencoded("flag"));
        assertEquals(400, assertThrows(ApiProblem.class, () -> Forms.urlencoded("a=1&a=2")).status());
        assertEquals(400, assertThrows(ApiProblem.class, () -> Forms.urlencoded("a=%zz")).status());
    }

    @Test
    void multipartFormsAsMailProvidersSendThem() {
        String body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ--\r\n";
        assertEquals(Map.of("List-Unsubscribe", "One-Click", "token", "abc"),
                Forms.multipart("multipart/form-data; boundary=XyZ", body));
        assertEquals(Map.of("List-Unsubscribe", "One-Click"), Forms.multipart("multipart/form-data; boundary=\"XyZ\"",
                "--XyZ\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\n\nOne-Click\n--XyZ--"));
        assertEquals(400, assertThrows(ApiProblem.class, () -> Forms.multipart("multipart/form-data", body)).status());
        assertEquals(400, assertThrows(ApiProblem.class, () -> Forms.multipart("multipart/form-data; boundary=XyZ",
                "--XyZ\r\nno headers here--XyZ--")).status());
        assertEquals(400, assertThrows(ApiProblem.class, () -> Forms.multipart("multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n")).status(), "no close delimiter");
    }

    @Test
    void aConfirmationCarriesUpToTenLongTopicsInsideTheTokensLimits() {
        TenantId id = TenantId.generate();
        Tenant tenant = new Tenant(id, "Acme", "acme", Tenant.Status.ACTIVE, TenantSettings.defaults(),
                TenantSecrets.generate(), NOW, NOW, 1);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            topics.add(String.valueOf((char) ('a' + i)).repeat(64));
        }
        String raw = PreferenceTokens.confirmation(tenant, "c_0123456789abcdefghjk", Channel.EMAIL, topics, "2026-01", NOW);
        assertTrue(raw.length() <= SignedTokens.MAX_LENGTH);
        Token token = SignedTokens.verify(raw, TokenPurpose.CONFIRM_SUBSCRIPTION, t -> tenant.secrets(), NOW);
        assertEquals(topics, PreferenceTokens.topics(token));
        assertEquals(Channel.EMAIL, PreferenceTokens.channel(token));
        assertEquals("2026-01", PreferenceTokens.wordingVersion(token));
        assertEquals(NOW.plus(PreferenceTokens.CONFIRM_TTL), token.expiresAt());

        Token none = SignedTokens.verify(PreferenceTokens.confirmation(tenant, "c_0123456789abcdefghjk", Channel.EMAIL,
                List.of(), null, NOW), TokenPurpose.CONFIRM_SUBSCRIPTION, t -> tenant.secrets(), NOW);
        assertEquals(List.of(), PreferenceTokens.topics(none));
        Token topic = SignedTokens.verify(PreferenceTokens.unsubscribeTopic(tenant, "c_0123456789abcdefghjk", Channel.SMS,
                "offers", NOW), TokenPurpose.UNSUBSCRIBE_TOPIC, t -> tenant.secrets(), NOW);
        assertEquals("offers", PreferenceTokens.topic(topic));
        assertEquals(NOW.plus(PreferenceTokens.UNSUBSCRIBE_TTL), topic.expiresAt());
    }

    @Test
    void pagesEscapeWhatTheyShow() {
        assertEquals("&lt;b&gt;&amp;&quot;&#39;", Pages.escape("<b>&\"'"));
        String html = Pages.confirmation("Acme <Shop>", List.of("News & more"), "tok\"en").body();
        assertTrue(html.contains("Acme &lt;Shop&gt;") && html.contains("News &amp; more") && html.contains("tok&quot;en"));
    }
}
