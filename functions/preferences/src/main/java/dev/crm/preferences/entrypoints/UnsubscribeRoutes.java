package dev.crm.preferences.entrypoints;

import dev.crm.shared.consent.Channel;
import dev.crm.preferences.domain.ConsentEvidence;
import dev.crm.preferences.domain.PreferencesService;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tokens.InvalidTokenException;
import dev.crm.shared.tokens.Token;
import dev.crm.shared.tokens.TokenPurpose;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code POST /v1/public/unsubscribe}: the one-click unsubscribe of RFC 8058. */
final class UnsubscribeRoutes {
    static final String ONE_CLICK_FIELD = "List-Unsubscribe";
    static final String ONE_CLICK_VALUE = "One-Click";

    private final PreferencesService service;
    private final PublicTokens tokens;

    UnsubscribeRoutes(PreferencesService service, PublicTokens tokens) {
        this.service = service;
        this.tokens = tokens;
    }

    /**
     * The POST a mail client sends for {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}: a topic
     * token opts out of that topic only, a channel token out of the channel; nothing else changes.
     * Repeating it changes nothing more and answers 200 again.
     */
    ApiResponse unsubscribe(ApiRequest request) {
        Map<String, String> form = Forms.read(request, Set.of(ONE_CLICK_FIELD, "token"));
        String oneClick = form.get(ONE_CLICK_FIELD);
        if (oneClick != null && !ONE_CLICK_VALUE.equals(oneClick)) {
            throw ApiProblem.validation("/" + ONE_CLICK_FIELD, "must be " + ONE_CLICK_VALUE);
        }
        Token token = tokens.verifyEither(request, PublicTokens.tokenFrom(request, form), TokenPurpose.UNSUBSCRIBE_TOPIC,
                TokenPurpose.UNSUBSCRIBE_ALL);
        Channel channel = PreferenceTokens.channel(token);
        String topic = token.purpose() == TokenPurpose.UNSUBSCRIBE_TOPIC ? PreferenceTokens.topic(token) : null;
        if (token.purpose() == TokenPurpose.UNSUBSCRIBE_TOPIC && topic == null) {
            throw PublicTokens.invalidToken(new InvalidTokenException(InvalidTokenException.Reason.MALFORMED));
        }
        ConsentEvidence evidence = ConsentEvidence.contact(ConsentEvidence.SOURCE_ONE_CLICK_UNSUBSCRIBE, null,
                request.sourceIp(), request.userAgent());
        try {
            service.unsubscribe(token.tenantId(), token.subject(), channel, topic, evidence);
        } catch (StoreException.NotFound e) {
            throw ApiProblem.notFound("the contact");
        } catch (StoreException.Contention e) {
            throw PublicTokens.busy();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "opted_out");
        out.put("channel", channel.wire());
        out.put("topic", topic);
        return ApiResponse.ok(out);
    }
}
