package dev.crm.shared.idempotency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyRepository} does, held against the in-memory fake and the DynamoDB adapter alike. */
public abstract class IdempotencyRepositoryContract {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00.250Z");
    private static final Duration LOCK = Duration.ofSeconds(60);
    private static final Duration RETENTION = Duration.ofHours(24);

    private IdempotencyRepository records;

    protected abstract IdempotencyRepository repository();

    @BeforeEach
    void setUp() {
        records = repository();
    }

    private static IdempotencyKey key() {
        return IdempotencyKey.ofTenant(TenantId.generate(), null, Ids.random("h", 40));
    }

    private boolean acquire(IdempotencyKey key, String fingerprint, Instant now) {
        return records.acquire(key, fingerprint, now, now.plus(LOCK), now.plus(RETENTION));
    }

    @Test
    void theFirstAcquireHoldsTheKeyInProgress() {
        IdempotencyKey k = key();
        assertNull(records.find(k));
        assertTrue(acquire(k, "fp1", NOW));
        assertFalse(acquire(k, "fp1", NOW.plusSeconds(1)));
        assertFalse(acquire(k, "fp2", NOW.plusSeconds(1)));
        IdempotencyRecord r = records.find(k);
        assertEquals("fp1", r.fingerprint());
        assertFalse(r.completed());
        assertEquals(NOW.plus(LOCK), r.lockUntil());
        assertNull(r.sealedResponse());
    }

    @Test
    void anExpiredRecordCountsAsAbsent() {
        IdempotencyKey k = key();
        assertTrue(acquire(k, "fp1", NOW));
        records.complete(k, new byte[] {1});
        assertFalse(acquire(k, "fp2", NOW.plus(RETENTION)), "not yet expired");
        assertTrue(acquire(k, "fp2", NOW.plus(RETENTION).plusSeconds(1)));
        assertEquals("fp2", records.find(k).fingerprint());
        assertFalse(records.find(k).completed());
    }

    @Test
    void completingKeepsTheSealedResponseAndClearsTheLock() {
        IdempotencyKey k = key();
        acquire(k, "fp1", NOW);
        byte[] sealed = "sealed response".getBytes(StandardCharsets.UTF_8);
        records.complete(k, sealed);
        IdempotencyRecord r = records.find(k);
        assertTrue(r.completed());
        assertEquals("fp1", r.fingerprint());
        assertArrayEquals(sealed, r.sealedResponse());
        assertNull(r.lockUntil());
        records.release(k, NOW.plus(LOCK));
        assertTrue(records.find(k).completed(), "a completed record is not released");
    }

    @Test
    void releasingFreesAKeyInProgress() {
        IdempotencyKey k = key();
        acquire(k, "fp1", NOW);
        records.release(k, NOW.plus(LOCK));
        assertNull(records.find(k));
        records.release(k, NOW.plus(LOCK)); // nothing to release: no failure
        assertTrue(acquire(k, "fp2", NOW));
    }

    @Test
    void anAttemptWhoseLockWasTakenOverCannotReleaseTheRetrysRecord() {
        IdempotencyKey k = key();
        acquire(k, "fp1", NOW);
        Instant later = NOW.plus(LOCK).plusMillis(1);
        assertTrue(records.takeOver(k, "fp1", later, later.plus(LOCK)));
        // the slow first attempt fails at last and releases what it believes is its record
        records.release(k, NOW.plus(LOCK));
        assertNotNull(records.find(k), "the retry's record is not the first attempt's to release");
        assertEquals(later.plus(LOCK), records.find(k).lockUntil(), "the retry still holds it");
        records.release(k, later.plus(LOCK));
        assertNull(records.find(k));
    }

    @Test
    void anAbandonedLockIsTakenOverOnceItRunsOut() {
        IdempotencyKey k = key();
        acquire(k, "fp1", NOW);
        assertFalse(records.takeOver(k, "fp1", NOW.plus(LOCK), NOW.plus(LOCK).plus(LOCK)), "still locked");
        Instant later = NOW.plus(LOCK).plusMillis(1);
        assertFalse(records.takeOver(k, "fp2", later, later.plus(LOCK)), "another request");
        assertTrue(records.takeOver(k, "fp1", later, later.plus(LOCK)));
        assertEquals(later.plus(LOCK), records.find(k).lockUntil());
        assertFalse(records.takeOver(k, "fp1", later.plusMillis(1), later.plus(LOCK)), "taken over already");
        records.complete(k, new byte[] {2});
        Instant muchLater = later.plus(LOCK).plus(LOCK);
        assertFalse(records.takeOver(k, "fp1", muchLater, muchLater.plus(LOCK)), "completed");
        assertFalse(records.takeOver(key(), "fp1", muchLater, muchLater.plus(LOCK)), "absent");
    }

    @Test
    void tenantsSubjectsAndTheOperatorHaveSeparateKeys() {
        TenantId a = TenantId.generate();
        TenantId b = TenantId.generate();
        String hash = Ids.random("h", 40);
        IdempotencyKey[] keys = {IdempotencyKey.ofTenant(a, null, hash), IdempotencyKey.ofTenant(b, null, hash),
                IdempotencyKey.ofTenant(a, "srv_1", hash), IdempotencyKey.ofTenant(a, "srv_2", hash),
                IdempotencyKey.ofOperator(hash)};
        for (int i = 0; i < keys.length; i++) {
            assertTrue(acquire(keys[i], "fp" + i, NOW), "key " + i);
        }
        for (int i = 0; i < keys.length; i++) {
            assertEquals("fp" + i, records.find(keys[i]).fingerprint());
        }
    }
}
