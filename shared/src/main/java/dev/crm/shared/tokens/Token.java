package dev.crm.shared.tokens;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A verified token's content.
 *
 * @param subject   what the token is about, e.g. a contact id
 * @param claims    extra bound values (topic, channel, survey id …); sorted, unmodifiable
 * @param issuedAt  whole seconds
 * @param expiresAt whole seconds; the token is valid strictly before this instant
 * @param nonce     random and unique per token (a JWT "jti"), so single-use tokens can be recorded as used
 * @param kid       the id of the tenant signing key that signed it
 */
public record Token(TenantId tenantId, String subject, TokenPurpose purpose, Map<String, String> claims,
        Instant issuedAt, Instant expiresAt, String nonce, String kid) {

    public Token {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(kid, "kid");
        claims = claims == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(claims));
    }

    /** @return the claim's value, or null when the token does not carry it */
    public String claim(String name) {
        return claims.get(name);
    }
}
