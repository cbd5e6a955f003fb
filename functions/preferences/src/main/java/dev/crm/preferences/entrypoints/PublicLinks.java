package dev.crm.preferences.entrypoints;

import dev.crm.shared.config.Settings;
import dev.crm.shared.http.ApiRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The public URLs this function hands out, built on {@code PUBLIC_BASE_URL} (the template's
 * {@code PublicBaseUrl}; the local runner passes its own URL). When it is empty on AWS, the API's own
 * stage URL is used: {@code https://{Host}/{stage}}.
 */
final class PublicLinks {
    /** The one-click target (RFC 8058): an API route, so it works without any page. */
    static final String UNSUBSCRIBE_PATH = dev.crm.shared.consent.MarketingLinks.UNSUBSCRIBE_PATH;
    /** The confirmation page (a GET that changes nothing; its button POSTs to the same path). */
    static final String CONFIRM_PATH = "/v1/public/confirm";
    /** The preference-centre page of the web app, which calls GET/PUT /v1/public/preferences with the token. */
    static final String PREFERENCE_CENTRE_PAGE = dev.crm.shared.consent.MarketingLinks.PREFERENCE_CENTRE_PAGE;

    private final String configuredBase;

    PublicLinks(Settings settings) {
        String base = settings.get("PUBLIC_BASE_URL");
        this.configuredBase = base == null ? null : strip(base.trim());
    }

    String base(ApiRequest request) {
        if (configuredBase != null) {
            return configuredBase;
        }
        String host = request.header("Host");
        var ctx = request.event().getRequestContext();
        String stage = ctx == null ? null : ctx.getStage();
        if (host == null || host.isBlank()) {
            throw new IllegalStateException("PUBLIC_BASE_URL is not set and the request names no Host");
        }
        return "https://" + host + (stage == null || stage.isBlank() ? "" : "/" + stage);
    }

    String unsubscribe(String base, String token) {
        return base + UNSUBSCRIBE_PATH + "?token=" + encode(token);
    }

    String confirm(String base, String token) {
        return base + CONFIRM_PATH + "?token=" + encode(token);
    }

    String preferenceCentre(String base, String token) {
        return base + PREFERENCE_CENTRE_PAGE + "?token=" + encode(token);
    }

    private static String encode(String token) {
        return URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private static String strip(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.isEmpty() ? null : u;
    }
}
