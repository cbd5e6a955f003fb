package dev.crm.shared.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tokens.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SignedTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-23T20:30:00Z");
    private static final Duration TTL = Duration.ofDays(30);

    private final TenantId tenantA = TenantId.generate();
    private final TenantId tenantB = TenantId.generate();
    private final TenantSecrets secretsA = TenantSecrets.generate();
    private final TenantSecrets secretsB = TenantSecrets.generate();
    private final Function<TenantId, TenantSecrets> lookup =
            id -> id.equals(tenantA) ? secretsA : id.equals(tenantB) ? secretsB : null;

    private String issueA(TokenPurpose purpose, Map<String, String> claims) {
        return SignedTokens.issue(tenantA, secretsA, purpose, "c_contact1", claims, NOW, TTL);
    }

    private static Reason reasonOf(String token, TokenPurpose expected, Function<TenantId, TenantSecrets> lookup,
            Instant now) {
        return assertThrows(InvalidTokenException.class, () -> SignedTokens.verify(token, expected, lookup, now))
                .reason();
    }

    private Reason reasonOf(String token) {
        return reasonOf(token, TokenPurpose.UNSUBSCRIBE_TOPIC, lookup, NOW);
    }

    /** Re-signs a payload with a key, as a holder of that key could. */
    private static String sign(String kid, byte[] secret, TenantId macTenant, String payloadJson) {
        String body = Hashes.base64Url(payloadJson.getBytes(StandardCharsets.UTF_8));
        String mac = Hashes.base64Url(Hashes.hmac(secret,
                ("token|v1|" + kid + "|" + macTenant.value() + "|" + body).getBytes(StandardCharsets.UTF_8)));
        return kid + "." + body + "." + mac;
    }

    private static String payloadJson(String token) {
        return new String(Hashes.fromBase64Url(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void roundTripCarriesEverythingBound() {
        String token = issueA(TokenPurpose.UNSUBSCRIBE_TOPIC, Map.of("topic", "newsletter", "channel", "email"));
        Token t = SignedTokens.verify(token, TokenPurpose.UNSUBSCRIBE_TOPIC, lookup, NOW);
        assertEquals(tenantA, t.tenantId());
        assertEquals("c_contact1", t.subject());
        assertEquals(TokenPurpose.UNSUBSCRIBE_TOPIC, t.purpose());
        assertEquals(Map.of("topic", "newsletter", "channel", "email"), t.claims());
        assertEquals("newsletter", t.claim("topic"));
        assertNull(t.claim("survey"));
        assertEquals(NOW, t.issuedAt());
        assertEquals(NOW.plus(TTL), t.expiresAt());
        assertEquals(secretsA.current().kid(), t.kid());
        assertTrue(token.startsWith(secretsA.current().kid() + "."));
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "URL-safe, unpadded");
    }

    @Test
    void everyPurposeRoundTripsAndClaimsAreOptional() {
        for (TokenPurpose p : TokenPurpose.values()) {
            Token t = SignedTokens.verify(issueA(p, null), p, lookup, NOW);
            assertEquals(p, t.purpose());
            assertEquals(Map.of(), t.claims());
            assertEquals(p, TokenPurpose.fromWire(p.wire()));
        }
        assertNull(TokenPurpose.fromWire("PREFERENCES"));
    }

    @Test
    void everyTokenHasItsOwnNonce() {
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            nonces.add(SignedTokens.verify(issueA(TokenPurpose.CONFIRM_SUBSCRIPTION, null),
                    TokenPurpose.CONFIRM_SUBSCRIPTION, lookup, NOW).nonce());
        }
        assertEquals(50, nonces.size());
    }

    @Test
    void theTenantIsReadableBeforeVerificationButTheKeyIsStillNeeded() {
        String token = issueA(TokenPurpose.PREFERENCES, null);
        assertTrue(payloadJson(token).contains(tenantA.value()));
        List<TenantId> asked = new ArrayList<>();
        assertEquals(Reason.UNKNOWN_TENANT, reasonOf(token, TokenPurpose.PREFERENCES, id -> {
            asked.add(id);
            return null;
        }, NOW));
        assertEquals(List.of(tenantA), asked);
    }

    @Test
    void aTamperedPayloadIsRejected() {
        String token = issueA(TokenPurpose.UNSUBSCRIBE_TOPIC, Map.of("topic", "newsletter"));
        String[] parts = token.split("\\.");
        String otherTopic = payloadJson(token).replace("newsletter", "offers");
        String forged = parts[0] + "." + Hashes.base64Url(otherTopic.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(forged));

        String otherSubject = payloadJson(token).replace("c_contact1", "c_contact2");
        forged = parts[0] + "." + Hashes.base64Url(otherSubject.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(forged));

        // one character changed in the encoded payload, wherever it is
        for (int i = 0; i < parts[1].length(); i++) {
            char c = parts[1].charAt(i);
            String changed = parts[1].substring(0, i) + (c == 'A' ? 'B' : 'A') + parts[1].substring(i + 1);
            String t = parts[0] + "." + changed + "." + parts[2];
            Reason r = reasonOf(t);
            // a changed tenant id may name no tenant at all; nothing verifies either way
            assertTrue(r == Reason.BAD_SIGNATURE || r == Reason.MALFORMED || r == Reason.UNKNOWN_TENANT,
                    "position " + i + ": " + r);
        }
    }

    @Test
    void aTamperedMacIsRejected() {
        String token = issueA(TokenPurpose.UNSUBSCRIBE_TOPIC, null);
        String[] parts = token.split("\\.");
        byte[] mac = Hashes.fromBase64Url(parts[2]);
        for (int bit = 0; bit < mac.length * 8; bit += 7) {
            byte[] flipped = mac.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Reason.BAD_SIGNATURE, reasonOf(parts[0] + "." + parts[1] + "." + Hashes.base64Url(flipped)));
        }
        // a truncated or extended MAC is not even a MAC
        assertEquals(Reason.MALFORMED, reasonOf(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20)));
        assertEquals(Reason.MALFORMED, reasonOf(parts[0] + "." + parts[1] + "." + parts[2] + "AAAA"));
    }

    @Test
    void aSwappedKidIsRejected() {
        TenantSecrets rotated = secretsA.rotate(2);
        String oldKid = secretsA.current().kid();
        String newKid = rotated.current().kid();
        String token = SignedTokens.issue(tenantA, rotated, TokenPurpose.PREFERENCES, "c_contact1", null, NOW, TTL);
        String swapped = oldKid + token.substring(newKid.length());
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(swapped, TokenPurpose.PREFERENCES, id -> rotated, NOW));
        assertEquals(Reason.UNKNOWN_KEY,
                reasonOf("kOTHER00" + token.substring(newKid.length()), TokenPurpose.PREFERENCES, id -> rotated, NOW));
    }

    @Test
    void aTokenOfOneTenantDoesNotVerifyWithAnotherTenantsSecrets() {
        String token = issueA(TokenPurpose.PREFERENCES, null);
        // the lookup answers tenant B's secrets (a confused caller): B holds no key with A's kid
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(token, TokenPurpose.PREFERENCES, id -> secretsB, NOW));

        // B holds a key with the same kid but its own secret
        TenantSecrets sameKidB = new TenantSecrets(
                List.of(new TenantSecrets.SigningKey(secretsA.current().kid(), secretsB.current().secret())),
                secretsB.pseudonymKey());
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(token, TokenPurpose.PREFERENCES, id -> sameKidB, NOW));

        // rewriting the payload to name tenant B, keeping A's signature
        String[] parts = token.split("\\.");
        String renamed = payloadJson(token).replace(tenantA.value(), tenantB.value());
        String forged = parts[0] + "." + Hashes.base64Url(renamed.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(forged, TokenPurpose.PREFERENCES, lookup, NOW));
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(forged, TokenPurpose.PREFERENCES, id -> sameKidB, NOW));
    }

    @Test
    void theMacBindsTheTenantEvenWhenAKeyIsShared() {
        // Two tenants that (by an operator's mistake) hold the same key: a token of A re-labelled as B's
        // must still fail, because the tenant is part of the MAC input and the payload.
        String token = issueA(TokenPurpose.PREFERENCES, null);
        TenantSecrets sharedKey = new TenantSecrets(List.of(secretsA.current()), secretsB.pseudonymKey());
        String renamedPayload = payloadJson(token).replace(tenantA.value(), tenantB.value());
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Hashes.base64Url(renamedPayload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(forged, TokenPurpose.PREFERENCES, id -> sharedKey, NOW));
    }

    @Test
    void aWrongPurposeIsRejectedEvenWhenTheSignatureIsGood() {
        String token = issueA(TokenPurpose.PREFERENCES, null);
        for (TokenPurpose other : TokenPurpose.values()) {
            if (other != TokenPurpose.PREFERENCES) {
                assertEquals(Reason.WRONG_PURPOSE, reasonOf(token, other, lookup, NOW));
            }
        }
    }

    @Test
    void expiryIsExclusiveAtTheBoundary() {
        String token = SignedTokens.issue(tenantA, secretsA, TokenPurpose.CONFIRM_SUBSCRIPTION, "c_contact1", null, NOW,
                Duration.ofHours(48));
        Instant expiry = NOW.plus(Duration.ofHours(48));
        assertEquals(expiry, SignedTokens.verify(token, TokenPurpose.CONFIRM_SUBSCRIPTION, lookup,
                expiry.minusNanos(1)).expiresAt());
        assertEquals(Reason.EXPIRED, reasonOf(token, TokenPurpose.CONFIRM_SUBSCRIPTION, lookup, expiry));
        assertEquals(Reason.EXPIRED, reasonOf(token, TokenPurpose.CONFIRM_SUBSCRIPTION, lookup, expiry.plusSeconds(1)));
    }

    @Test
    void timesAreWholeSecondsAndNeverOutliveTheTtl() {
        Instant now = NOW.plusMillis(999);
        Token t = SignedTokens.verify(SignedTokens.issue(tenantA, secretsA, TokenPurpose.PREFERENCES, "c_1", null, now,
                Duration.ofMinutes(10)), TokenPurpose.PREFERENCES, lookup, now);
        assertEquals(NOW, t.issuedAt());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), t.expiresAt());
        assertFalse(t.expiresAt().isAfter(now.plus(Duration.ofMinutes(10))));
    }

    @Test
    void rotationKeepsLinksInFlightUntilTheOldKeyIsRetired() {
        String issuedWithOldKey = issueA(TokenPurpose.UNSUBSCRIBE_ALL, null);
        TenantSecrets rotated = secretsA.rotate(2);
        assertNotEquals(secretsA.current().kid(), rotated.current().kid());
        Token t = SignedTokens.verify(issuedWithOldKey, TokenPurpose.UNSUBSCRIBE_ALL, id -> rotated, NOW);
        assertEquals(secretsA.current().kid(), t.kid());

        String issuedWithNewKey = SignedTokens.issue(tenantA, rotated, TokenPurpose.UNSUBSCRIBE_ALL, "c_contact1", null,
                NOW, TTL);
        assertTrue(issuedWithNewKey.startsWith(rotated.current().kid() + "."));

        TenantSecrets retired = rotated.rotate(2); // keeps the two newest: the old key is gone
        assertEquals(Reason.UNKNOWN_KEY, reasonOf(issuedWithOldKey, TokenPurpose.UNSUBSCRIBE_ALL, id -> retired, NOW));
        assertEquals(TokenPurpose.UNSUBSCRIBE_ALL,
                SignedTokens.verify(issuedWithNewKey, TokenPurpose.UNSUBSCRIBE_ALL, id -> retired, NOW).purpose());
    }

    @Test
    void garbageIsAlwaysAnInvalidTokenNeverAnotherException() {
        String good = issueA(TokenPurpose.UNSUBSCRIBE_TOPIC, Map.of("topic", "newsletter"));
        String[] parts = good.split("\\.");
        List<String> garbage = new ArrayList<>(List.of("", ".", "..", "...", "....", "a.b.c", "a..c", ".b.c", "a.b.",
                "k1.!!!.###", "k1.e30.", "k1.e30.AAAA", "k1.%%%." + parts[2], "k1 x.e30." + parts[2],
                good + ".", "." + good, good.replace('.', ','), parts[0] + "." + parts[2] + "." + parts[1],
                "x".repeat(SignedTokens.MAX_LENGTH + 1), ".".repeat(5000), good + "A".repeat(SignedTokens.MAX_LENGTH),
                "\u0000.\u0000.\u0000", "é.é.é", parts[0] + ".=.=", parts[0] + "." + parts[1] + "=." + parts[2]));
        garbage.add(null);
        // well-formed base64 of things that are not our payloads
        for (String json : new String[] {"[]", "null", "1", "\"t\"", "{\"t\": 5}", "{\"t\": \"t_short\"}", "{",
            "{\"t\": \"" + tenantA.value() + "\"}", "{\"t\": \"" + TenantId.generate().value() + "\"}",
            "[".repeat(100), "\u00ff\u00fe"}) {
            garbage.add(parts[0] + "." + Hashes.base64Url(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        }
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            char[] chars = good.toCharArray();
            for (int j = 0; j < 1 + random.nextInt(4); j++) {
                chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
            }
            garbage.add(new String(chars));
            garbage.add(good.substring(0, random.nextInt(good.length())));
        }
        for (String g : garbage) {
            if (g != null && g.equals(good)) {
                continue;
            }
            var e = assertThrows(InvalidTokenException.class,
                    () -> SignedTokens.verify(g, TokenPurpose.UNSUBSCRIBE_TOPIC, lookup, NOW), String.valueOf(g));
            assertEquals(e.reason().message(), e.getMessage());
            if (g != null && g.length() >= 8) {
                assertFalse(e.getMessage().contains(g), "the message never quotes the token");
            }
        }
        assertEquals(Reason.MALFORMED, reasonOf("x".repeat(SignedTokens.MAX_LENGTH + 1)));
    }

    @Test
    void aSignedPayloadOfAnUnexpectedShapeIsStillRefused() {
        byte[] secret = secretsA.current().secret();
        String kid = secretsA.current().kid();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("t", tenantA.value());
        payload.put("s", "c_1");
        payload.put("p", "delete_everything");
        payload.put("c", Map.of());
        payload.put("iat", NOW.getEpochSecond());
        payload.put("exp", NOW.plusSeconds(60).getEpochSecond());
        payload.put("jti", "n");
        assertEquals(Reason.MALFORMED, reasonOf(sign(kid, secret, tenantA, Json.write(payload)),
                TokenPurpose.PREFERENCES, lookup, NOW));
        payload.put("p", "preferences");
        payload.put("c", Map.of("topic", 5));
        assertEquals(Reason.MALFORMED, reasonOf(sign(kid, secret, tenantA, Json.write(payload)),
                TokenPurpose.PREFERENCES, lookup, NOW));
        payload.put("c", Map.of());
        payload.put("exp", Long.MAX_VALUE);
        assertEquals(Reason.MALFORMED, reasonOf(sign(kid, secret, tenantA, Json.write(payload)),
                TokenPurpose.PREFERENCES, lookup, NOW));
        payload.put("exp", NOW.plusSeconds(60).getEpochSecond());
        payload.put("admin", true);
        assertEquals(Reason.MALFORMED, reasonOf(sign(kid, secret, tenantA, Json.write(payload)),
                TokenPurpose.PREFERENCES, lookup, NOW));
        payload.remove("admin");
        assertEquals("c_1", SignedTokens.verify(sign(kid, secret, tenantA, Json.write(payload)),
                TokenPurpose.PREFERENCES, lookup, NOW).subject(), "the same shape as issued verifies");
    }

    @Test
    void issuingRefusesWhatCouldNotBeVerified() {
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "", null, NOW, TTL));
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "c_1", null, NOW, Duration.ofMillis(999)));
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "c_1", null, NOW, Duration.ofSeconds(-5)));
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "c_1", Map.of("bad name", "x"), NOW, TTL));
        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; i < SignedTokens.MAX_CLAIMS; i++) {
            big.put("claim" + i, "v".repeat(SignedTokens.MAX_CLAIM_VALUE_LENGTH));
        }
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "c_1", big, NOW, TTL), "over the length limit");
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i <= SignedTokens.MAX_CLAIMS; i++) {
            tooMany.put("c" + i, "v");
        }
        assertThrows(IllegalArgumentException.class, () -> SignedTokens.issue(tenantA, secretsA,
                TokenPurpose.PREFERENCES, "c_1", tooMany, NOW, TTL));
    }

    @Test
    void aLookupFailureIsNotDisguisedAsAnInvalidToken() {
        String token = issueA(TokenPurpose.PREFERENCES, null);
        assertThrows(IllegalStateException.class, () -> SignedTokens.verify(token, TokenPurpose.PREFERENCES, id -> {
            throw new IllegalStateException("store down");
        }, NOW));
    }
}
