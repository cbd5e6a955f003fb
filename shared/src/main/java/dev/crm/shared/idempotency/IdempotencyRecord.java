package dev.crm.shared.idempotency;

import java.time.Instant;

/**
 * What is kept of a request made with an Idempotency-Key: the fingerprint of the request, whether it
 * completed, and then its response, sealed under a key only the client's Idempotency-Key yields.
 *
 * @param lockUntil while in progress, when a retry may take a crashed first attempt over
 * @param sealedResponse the sealed response once completed, else null
 */
public record IdempotencyRecord(String fingerprint, boolean completed, Instant lockUntil, byte[] sealedResponse) {
    public boolean lockExpiredAt(Instant now) {
        return lockUntil == null || lockUntil.isBefore(now);
    }
}
