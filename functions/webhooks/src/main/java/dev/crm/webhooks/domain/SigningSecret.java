package dev.crm.webhooks.domain;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: {@code whsec_} + base64 of 32 random bytes. Shown to the client
 * once (at creation and rotation), stored with the endpoint, never returned by a read.
 *
 * @param value     the {@code whsec_…} text
 * @param retiresAt null for the current secret; for the previous one after a rotation, when it stops signing
 */
public record SigningSecret(String value, Instant retiresAt) {
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    public SigningSecret {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret is whsec_ + base64");
        }
    }

    public static SigningSecret generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new SigningSecret(PREFIX + Base64.getEncoder().encodeToString(key), null);
    }

    /** The HMAC key: the base64 after the prefix, decoded. */
    public byte[] key() {
        return Base64.getDecoder().decode(value.substring(PREFIX.length()));
    }

    public SigningSecret retiringAt(Instant at) {
        return new SigningSecret(value, at);
    }

    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}
