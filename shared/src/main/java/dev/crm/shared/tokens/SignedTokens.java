package dev.crm.shared.tokens;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Compact signed tokens for links the product sends (preference centre, unsubscribe, double opt-in
 * confirmation, survey invitations): {@code <kid>.<base64url(payload JSON)>.<base64url(HMAC-SHA256)>}.
 *
 * <p>The payload names the tenant in clear so a public route can find that tenant's secrets before
 * verifying; that reveals nothing a forger could use, since the signature still needs the tenant's
 * key. Tokens are signed with the tenant's current key and verified with whichever key the tenant
 * still holds under the token's kid, so a key rotation never breaks a link already in a mailbox.
 *
 * <p>Payload members (short, because tokens travel in URLs): {@code t} tenant id, {@code s} subject,
 * {@code p} purpose, {@code c} claims, {@code iat}/{@code exp} epoch seconds, {@code jti} nonce.
 */
public final class SignedTokens {
    /** Longer tokens are rejected before any decoding; {@link #issue} never produces one. */
    public static final int MAX_LENGTH = 2048;
    public static final int MAX_SUBJECT_LENGTH = 200;
    public static final int MAX_CLAIMS = 8;
    public static final int MAX_CLAIM_VALUE_LENGTH = 200;

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CLAIM_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,31}");
    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    /** Domain separation: a MAC made for a token can never be mistaken for a cursor's ("cursor|…"). */
    private static final String MAC_CONTEXT = "token|v1|";

    private SignedTokens() {}

    /**
     * @param claims extra values bound into the token (names {@code [a-zA-Z][a-zA-Z0-9_]{0,31}}); may be null
     * @param ttl    at least one second; the expiry is {@code now + ttl} rounded down to the second
     * @throws IllegalArgumentException for arguments that would not make a valid token (including one
     *                                  longer than {@link #MAX_LENGTH})
     */
    public static String issue(TenantId tenant, TenantSecrets secrets, TokenPurpose purpose, String subject,
            Map<String, String> claims, Instant now, Duration ttl) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(ttl, "ttl");
        if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("the subject must be 1 to " + MAX_SUBJECT_LENGTH + " characters");
        }
        Map<String, String> sortedClaims = new TreeMap<>();
        if (claims != null) {
            if (claims.size() > MAX_CLAIMS) {
                throw new IllegalArgumentException("at most " + MAX_CLAIMS + " claims");
            }
            for (var e : claims.entrySet()) {
                if (e.getKey() == null || !CLAIM_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("not a claim name: " + e.getKey());
                }
                if (e.getValue() == null || e.getValue().length() > MAX_CLAIM_VALUE_LENGTH) {
                    throw new IllegalArgumentException("the claim " + e.getKey() + " must have a value of at most "
                            + MAX_CLAIM_VALUE_LENGTH + " characters");
                }
                sortedClaims.put(e.getKey(), e.getValue());
            }
        }
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("the time to live must be at least one second");
        }
        TenantSecrets.SigningKey key = secrets.current();
        if (!KID.matcher(key.kid()).matches()) {
            throw new IllegalStateException("the tenant's current signing key has an unusable id");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        Ids.secureRandom().nextBytes(nonce);

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("t", tenant.value());
        payload.put("s", subject);
        payload.put("p", purpose.wire());
        payload.put("c", sortedClaims);
        payload.put("iat", issuedAt.getEpochSecond());
        payload.put("exp", expiresAt.getEpochSecond());
        payload.put("jti", Hashes.base64Url(nonce));
        String body = Hashes.base64Url(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        String mac = Hashes.base64Url(Hashes.hmac(key.secret(), macInput(key.kid(), tenant.value(), body)));
        String token = key.kid() + "." + body + "." + mac;
        if (token.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the token would be longer than " + MAX_LENGTH + " characters");
        }
        return token;
    }

    /**
     * Checks, in this order: shape and length, the tenant (via {@code secretsLookup}), the key id, the
     * signature, then purpose and expiry, so nothing about a token's content is judged before its
     * signature is known to be good.
     *
     * @param secretsLookup the tenant's secrets, or null when no such tenant exists; an exception it
     *                      throws (a store failure) propagates unchanged
     * @param now           the token is valid while {@code now < expiresAt}
     * @throws InvalidTokenException for every token that must not be honoured, whatever its content
     */
    public static Token verify(String token, TokenPurpose expected, Function<TenantId, TenantSecrets> secretsLookup,
            Instant now) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(secretsLookup, "secretsLookup");
        Objects.requireNonNull(now, "now");
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !KID.matcher(parts[0]).matches() || parts[1].isEmpty()) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        String kid = parts[0];
        String body = parts[1];
        byte[] mac = Hashes.fromBase64Url(parts[2]);
        byte[] payloadBytes = Hashes.fromBase64Url(body);
        if (mac == null || mac.length != MAC_BYTES || payloadBytes == null) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        Map<String, Object> payload = parsePayload(payloadBytes);
        // The tenant is read before the signature is checked: its secrets are what the check needs.
        Object tenantField = payload.get("t");
        if (!(tenantField instanceof String t) || !TenantId.isValid(t)) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        TenantId tenant = new TenantId(t);
        TenantSecrets secrets = secretsLookup.apply(tenant);
        if (secrets == null) {
            throw new InvalidTokenException(Reason.UNKNOWN_TENANT);
        }
        TenantSecrets.SigningKey key = secrets.find(kid);
        if (key == null) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY);
        }
        if (!Hashes.equal(mac, Hashes.hmac(key.secret(), macInput(kid, tenant.value(), body)))) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE);
        }
        Token verified = readToken(tenant, kid, payload);
        if (verified.purpose() != expected) {
            throw new InvalidTokenException(Reason.WRONG_PURPOSE);
        }
        if (!now.isBefore(verified.expiresAt())) {
            throw new InvalidTokenException(Reason.EXPIRED);
        }
        return verified;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parsePayload(byte[] bytes) {
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        return (Map<String, Object>) m;
    }

    /** Reads a payload whose signature is good; a shape we never issue is still refused, not trusted. */
    private static Token readToken(TenantId tenant, String kid, Map<String, Object> payload) {
        if (payload.size() != 7
                || !(payload.get("s") instanceof String subject) || subject.isEmpty()
                || !(payload.get("p") instanceof String purposeWire)
                || !(payload.get("c") instanceof Map<?, ?> rawClaims)
                || !(payload.get("iat") instanceof Long iat)
                || !(payload.get("exp") instanceof Long exp)
                || !(payload.get("jti") instanceof String nonce) || nonce.isEmpty()) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        TokenPurpose purpose = TokenPurpose.fromWire(purposeWire);
        if (purpose == null) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        Map<String, String> claims = new TreeMap<>();
        for (var e : rawClaims.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)) {
                throw new InvalidTokenException(Reason.MALFORMED);
            }
            claims.put(name, value);
        }
        try {
            return new Token(tenant, subject, purpose, claims, Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp),
                    nonce, kid);
        } catch (RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
    }

    private static byte[] macInput(String kid, String tenant, String body) {
        return (MAC_CONTEXT + kid + "|" + tenant + "|" + body).getBytes(StandardCharsets.UTF_8);
    }
}
