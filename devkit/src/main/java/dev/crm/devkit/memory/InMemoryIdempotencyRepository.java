package dev.crm.devkit.memory;

import dev.crm.shared.idempotency.IdempotencyCompletion;
import dev.crm.shared.idempotency.IdempotencyKey;
import dev.crm.shared.idempotency.IdempotencyRecord;
import dev.crm.shared.idempotency.IdempotencyRepository;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link IdempotencyRepository} in memory, held to the DynamoDB adapter's behaviour by its contract. */
public final class InMemoryIdempotencyRepository implements IdempotencyRepository {
    private record Stored(IdempotencyRecord record, Instant expiresAt) {}

    private final Map<IdempotencyKey, Stored> records = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean acquire(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil,
            Instant expiresAt) {
        Stored s = records.get(key);
        // As the store's TTL: whole seconds, and an expired record counts as absent.
        if (s != null && (s.expiresAt() == null || s.expiresAt().getEpochSecond() >= now.getEpochSecond())) {
            return false;
        }
        records.put(key, new Stored(new IdempotencyRecord(fingerprint, false, millis(lockUntil), null), expiresAt));
        return true;
    }

    @Override
    public IdempotencyRecord find(IdempotencyKey key) {
        Stored s = records.get(key);
        return s == null ? null : s.record();
    }

    @Override
    public synchronized boolean takeOver(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil) {
        Stored s = records.get(key);
        if (s == null || s.record().completed() || s.record().lockUntil() == null
                || s.record().lockUntil().toEpochMilli() >= now.toEpochMilli()
                || !fingerprint.equals(s.record().fingerprint())) {
            return false;
        }
        records.put(key, new Stored(new IdempotencyRecord(fingerprint, false, millis(lockUntil), null), s.expiresAt()));
        return true;
    }

    @Override
    public synchronized void complete(IdempotencyKey key, byte[] sealedResponse) {
        Stored s = records.get(key);
        String fingerprint = s == null ? null : s.record().fingerprint();
        records.put(key, new Stored(new IdempotencyRecord(fingerprint, true, null, sealedResponse.clone()),
                s == null ? null : s.expiresAt()));
    }

    /**
     * What another repository's transaction does with an {@link IdempotencyCompletion}: completes the
     * record if it is still in progress under the completion's lock.
     *
     * @return false (writing nothing) when the lock changed hands or the record is gone
     */
    public synchronized boolean completeHeld(IdempotencyCompletion completion) {
        Stored s = records.get(completion.key());
        if (s == null || s.record().completed() || s.record().lockUntil() == null
                || s.record().lockUntil().toEpochMilli() != completion.lockUntil().toEpochMilli()) {
            return false;
        }
        records.put(completion.key(), new Stored(new IdempotencyRecord(s.record().fingerprint(), true, null,
                completion.sealedResponse().clone()), s.expiresAt()));
        return true;
    }

    @Override
    public synchronized void release(IdempotencyKey key, Instant lockUntil) {
        Stored s = records.get(key);
        if (s != null && !s.record().completed() && s.record().lockUntil() != null
                && s.record().lockUntil().toEpochMilli() == lockUntil.toEpochMilli()) {
            records.remove(key);
        }
    }

    private static Instant millis(Instant i) {
        return Instant.ofEpochMilli(i.toEpochMilli());
    }
}
