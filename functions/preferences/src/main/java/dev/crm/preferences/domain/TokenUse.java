package dev.crm.preferences.domain;

import java.time.Instant;
import java.util.Objects;

/** A single-use token's nonce and when it expires (its used-marker is kept that long). */
public record TokenUse(String nonce, Instant expiresAt) {
    public TokenUse {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
