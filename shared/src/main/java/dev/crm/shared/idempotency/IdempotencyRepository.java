package dev.crm.shared.idempotency;

import java.time.Instant;

/**
 * Records of requests made with an Idempotency-Key ({@link IdempotentRequests} decides what they
 * mean). Every write is conditional, so two concurrent requests with one key never both run.
 */
public interface IdempotencyRepository {

    /**
     * Records the request as in progress, locked until {@code lockUntil}, if no live record exists (one
     * past {@code expiresAt} counts as absent even before the store removes it).
     *
     * @return false when another record holds the key
     */
    boolean acquire(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil, Instant expiresAt);

    /** @return the record (strongly consistent), or null */
    IdempotencyRecord find(IdempotencyKey key);

    /**
     * Takes over an in-progress record with the same fingerprint whose lock ran out before {@code now},
     * locking it again until {@code lockUntil}.
     *
     * @return false when the record completed, was released, changed hands or is still locked
     */
    boolean takeOver(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil);

    /** Marks the record completed with the sealed response and clears its lock. */
    void complete(IdempotencyKey key, byte[] sealedResponse);

    /**
     * Deletes the record if it is still in progress under the lock {@code lockUntil} (the releasing
     * attempt's own): a completed record stays, and so does one a retry has taken over meanwhile.
     */
    void release(IdempotencyKey key, Instant lockUntil);
}
