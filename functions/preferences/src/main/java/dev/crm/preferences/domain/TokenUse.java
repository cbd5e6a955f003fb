package dev.crm.preferences.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A single-use token's nonce and when it expires (its used-marker is kept that long).
 *
 * @param liftsSuppression the pseudonym of an address whose suppression the token's use lifts (a
 *                         confirmation by the address's owner), or null; the lift is part of the same
 *                         write as the token's use, so a spent token never leaves the address suppressed
 */
public record TokenUse(String nonce, Instant expiresAt, String liftsSuppression) {
    public TokenUse {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public TokenUse(String nonce, Instant expiresAt) {
        this(nonce, expiresAt, null);
    }

    public TokenUse liftingSuppressionOf(String addressPseudonym) {
        return new TokenUse(nonce, expiresAt, addressPseudonym);
    }
}
