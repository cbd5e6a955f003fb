package dev.crm.shared.idempotency;

import java.time.Instant;
import java.util.Objects;

/**
 * The completed state of a keyed request's record, for a repository to write in the same transaction
 * as the request's effect: the effect and the record that answers its replays are stored together or
 * not at all. The write holds only while the record is still in progress under {@code lockUntil}, so
 * an attempt that lost its lock to a retry writes nothing.
 *
 * @param sealedResponse the response, sealed under a key only the client's Idempotency-Key yields
 */
public record IdempotencyCompletion(IdempotencyKey key, Instant lockUntil, byte[] sealedResponse) {
    public IdempotencyCompletion {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lockUntil, "lockUntil");
        Objects.requireNonNull(sealedResponse, "sealedResponse");
    }
}
