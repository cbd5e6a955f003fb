package dev.crm.shared.tenant;

import dev.crm.shared.crypto.Hashes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-tenant secrets, generated at provisioning and never returned by any route: keys that sign the
 * tenant's links, tokens and cursors (newest first; older ones still verify, so rotation never
 * breaks a link in flight), and the key of the pseudonyms kept after an erasure.
 *
 * <p>{@code keyedEmailGuards} says which key the tenant's email uniqueness guards are under: true for
 * the keyed pseudonym ({@link #EMAIL_GUARD_PURPOSE}); false for a tenant provisioned before that,
 * whose guards are still under the unkeyed sha256 of the address (see docs/data-model.md, "Email
 * guard"). Stored secrets without the marker are such a tenant's.
 */
public record TenantSecrets(List<SigningKey> signingKeys, byte[] pseudonymKey, boolean keyedEmailGuards) {
    public static final String EMAIL_GUARD_PURPOSE = "email-guard";

    public record SigningKey(String kid, byte[] secret) {}

    /** Secrets with keyed email guards, as every tenant provisioned now has. */
    public TenantSecrets(List<SigningKey> signingKeys, byte[] pseudonymKey) {
        this(signingKeys, pseudonymKey, true);
    }

    public static TenantSecrets generate() {
        return new TenantSecrets(List.of(newSigningKey()), randomBytes(32), true);
    }

    public static SigningKey newSigningKey() {
        return new SigningKey(Ids.random("k", 8), randomBytes(32));
    }

    /**
     * A keyed pseudonym of a personal value (an IP address, an email address) for one purpose, for
     * use in keys: HMAC-SHA256 under the tenant's pseudonym key, so neither a dictionary of addresses
     * nor the small IPv4 space reverses it, and the same value pseudonymised for two tenants or two
     * purposes gives unrelated keys. 32 hex digits (128 bits).
     */
    public String pseudonym(String purpose, String value) {
        return Hashes.hmacHex(pseudonymKey, purpose + "|" + value).substring(0, 32);
    }

    public SigningKey current() {
        return signingKeys.get(0);
    }

    public SigningKey find(String kid) {
        for (SigningKey k : signingKeys) {
            if (k.kid().equals(kid)) {
                return k;
            }
        }
        return null;
    }

    /** A new current key; the previous ones keep verifying until retired. */
    public TenantSecrets rotate(int keep) {
        List<SigningKey> keys = new ArrayList<>();
        keys.add(newSigningKey());
        for (int i = 0; i < signingKeys.size() && keys.size() < keep; i++) {
            keys.add(signingKeys.get(i));
        }
        return new TenantSecrets(keys, pseudonymKey, keyedEmailGuards);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        Ids.secureRandom().nextBytes(b);
        return b;
    }

    public Map<String, Object> toStored() {
        List<Object> keys = new ArrayList<>();
        for (SigningKey k : signingKeys) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kid", k.kid());
            m.put("secret", Hashes.base64Url(k.secret()));
            keys.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signingKeys", keys);
        out.put("pseudonymKey", Hashes.base64Url(pseudonymKey));
        if (keyedEmailGuards) {
            out.put("emailGuards", "keyed");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static TenantSecrets fromStored(Map<String, Object> m) {
        List<SigningKey> keys = new ArrayList<>();
        for (Object o : (List<Object>) m.get("signingKeys")) {
            Map<String, Object> k = (Map<String, Object>) o;
            keys.add(new SigningKey((String) k.get("kid"), Hashes.fromBase64Url((String) k.get("secret"))));
        }
        return new TenantSecrets(keys, Hashes.fromBase64Url((String) m.get("pseudonymKey")),
                "keyed".equals(m.get("emailGuards")));
    }
}
