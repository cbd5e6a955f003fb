package dev.crm.webhooks.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signing: {@code v1,} + base64 HMAC-SHA256 over {@code {id}.{timestamp}.{body}}
 * with each signing secret, space separated, so a consumer verifies with whichever secret it holds.
 */
public final class WebhookSignature {
    public static final String USER_AGENT = "serverless-crm-webhooks/1.0";

    private WebhookSignature() {}

    public static String sign(List<SigningSecret> secrets, String id, long timestamp, String body) {
        StringBuilder out = new StringBuilder();
        byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        for (SigningSecret s : secrets) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("v1,").append(Base64.getEncoder().encodeToString(hmac(s.key(), content)));
        }
        return out.toString();
    }

    /** Every header a delivery carries: nothing else is sent (never a key, a cookie or a token). */
    public static Map<String, String> headers(List<SigningSecret> secrets, String id, long timestamp, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("webhook-id", id);
        h.put("webhook-timestamp", Long.toString(timestamp));
        h.put("webhook-signature", sign(secrets, id, timestamp, body));
        h.put("content-type", "application/json");
        h.put("user-agent", USER_AGENT);
        return h;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
