package dev.crm.shared.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.memory.InMemoryIdempotencyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The Idempotency-Key rules over the in-memory repository (and one that fails). */
class IdempotentRequestsTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final InMemoryIdempotencyRepository records = new InMemoryIdempotencyRepository();
    private final IdempotentRequests idempotency = new IdempotentRequests(records, clock);
    private final TenantId tenant = TenantId.generate();
    private final AtomicInteger runs = new AtomicInteger();

    private static ApiRequest request(String key, String body) {
        var e = ApiEvents.request("POST", "/v1/things").json(body);
        if (key != null) {
            e.header("Idempotency-Key", key);
        }
        return new ApiRequest(e.build());
    }

    private Supplier<ApiResponse> created() {
        return () -> ApiResponse.created("/v1/things/" + runs.incrementAndGet(), Map.of("run", runs.get()));
    }

    private ApiResponse execute(ApiRequest request, Supplier<ApiResponse> action) {
        return idempotency.execute(request, tenant, null, action);
    }

    private static void assertProblem(ProblemType type, Runnable call) {
        assertEquals(type, assertThrows(ApiProblem.class, call::run).type());
    }

    @Test
    void withoutAKeyEveryRequestRuns() {
        execute(request(null, "{\"a\":1}"), created());
        execute(request(null, "{\"a\":1}"), created());
        assertEquals(2, runs.get());
    }

    @Test
    void aReplayGetsTheFirstResponseBack() {
        ApiResponse first = execute(request("k1", "{\"a\":1,\"b\":2}"), created());
        // the same JSON, formatted differently, is the same request
        ApiResponse replay = execute(request("k1", "{ \"b\": 2, \"a\": 1 }"), created());
        assertEquals(1, runs.get());
        assertEquals(201, replay.status());
        assertEquals(first.body(), replay.body());
        assertEquals("/v1/things/1", replay.headers().get("Location"));
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertNull(first.headers().get("Idempotent-Replayed"));
    }

    @Test
    void theSameKeyWithAnotherRequestIs422() {
        execute(request("k1", "{\"a\":1}"), created());
        assertProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, () -> execute(request("k1", "{\"a\":2}"), created()));
        assertEquals(1, runs.get());
    }

    @Test
    void keysAreScopedToTheTenantAndSubject() {
        execute(request("k1", "{}"), created());
        idempotency.execute(request("k1", "{}"), TenantId.generate(), null, created());
        idempotency.execute(request("k1", "{}"), tenant, "srv_1", created());
        assertEquals(3, runs.get());
    }

    @Test
    void aReplayWhileTheFirstRunsIs409WithRetryAfter() {
        ApiRequest r = request("k1", "{}");
        ApiProblem inner = assertThrows(ApiProblem.class, () -> execute(r, () -> execute(r, created())));
        assertEquals(ProblemType.IDEMPOTENCY_IN_PROGRESS, inner.type());
        assertEquals("1", inner.headers().get("Retry-After"));
        assertEquals(0, runs.get());
    }

    @Test
    void aCrashedFirstAttemptIsTakenOverOnceItsLockRunsOut() {
        ApiRequest r = request("k1", "{}");
        // an Error is no answer: the first attempt "dies" and its record stays in progress
        assertThrows(StackOverflowError.class, () -> execute(r, () -> {
            throw new StackOverflowError();
        }));
        assertProblem(ProblemType.IDEMPOTENCY_IN_PROGRESS, () -> execute(r, created()));
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        assertProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, () -> execute(request("k1", "{\"other\":1}"), created()));
        assertEquals(201, execute(r, created()).status());
        assertEquals(1, runs.get());
        assertEquals("true", execute(r, created()).headers().get("Idempotent-Replayed"));
    }

    @Test
    void aResponseOtherThan2xxReleasesTheKey() {
        ApiRequest r = request("k1", "{\"a\":1}");
        assertEquals(400, execute(r, () -> ApiResponse.json(400, Map.of("bad", true))).status());
        // a corrected retry may reuse the key
        assertEquals(201, execute(request("k1", "{\"a\":2}"), created()).status());
        assertEquals(1, runs.get());
    }

    @Test
    void aFailingActionReleasesTheKey() {
        ApiRequest r = request("k1", "{}");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> execute(r, () -> {
            throw boom;
        })));
        assertProblem(ProblemType.NOT_FOUND, () -> execute(r, () -> {
            throw ApiProblem.notFound("the thing");
        }));
        assertEquals(201, execute(r, created()).status());
    }

    @Test
    void theRecordExpiresAfterItsRetention() {
        ApiRequest r = request("k1", "{}");
        execute(r, created());
        clock.advance(IdempotentRequests.RETENTION.plus(Duration.ofSeconds(2)));
        assertNull(execute(r, created()).headers().get("Idempotent-Replayed"));
        assertEquals(2, runs.get());
    }

    /** The repository's failures: a store that is busy, and one that cannot record the response. */
    private static final class FailingRecords implements IdempotencyRepository {
        private final IdempotencyRepository delegate = new InMemoryIdempotencyRepository();
        int busyAcquires;
        boolean failComplete;
        int failCompletes;
        int completes;

        @Override
        public boolean acquire(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil, Instant expiresAt) {
            if (busyAcquires > 0) {
                busyAcquires--;
                throw new StoreException.Busy();
            }
            return delegate.acquire(key, fingerprint, now, lockUntil, expiresAt);
        }

        @Override
        public IdempotencyRecord find(IdempotencyKey key) {
            return delegate.find(key);
        }

        @Override
        public boolean takeOver(IdempotencyKey key, String fingerprint, Instant now, Instant lockUntil) {
            return delegate.takeOver(key, fingerprint, now, lockUntil);
        }

        @Override
        public void complete(IdempotencyKey key, byte[] sealedResponse) {
            completes++;
            if (failCompletes > 0) {
                failCompletes--;
                throw new StoreException.Busy();
            }
            if (failComplete) {
                throw new StoreException.Busy();
            }
            delegate.complete(key, sealedResponse);
        }

        @Override
        public void release(IdempotencyKey key, Instant lockUntil) {
            delegate.release(key, lockUntil);
        }
    }

    @Test
    void aBusyStoreFailsTheRequestBeforeItRuns() {
        FailingRecords failing = new FailingRecords();
        failing.busyAcquires = 1;
        var service = new IdempotentRequests(failing, clock);
        assertThrows(StoreException.Busy.class, () -> service.execute(request("k1", "{}"), tenant, null, created()));
        assertEquals(0, runs.get());
        assertEquals(201, service.execute(request("k1", "{}"), tenant, null, created()).status());
    }

    @Test
    void aResponseThatCannotBeRecordedIsStillAnswered() {
        FailingRecords failing = new FailingRecords();
        failing.failComplete = true;
        var service = new IdempotentRequests(failing, clock);
        ApiRequest r = request("k1", "{}");
        assertEquals(201, service.execute(r, tenant, null, created()).status());
        // the record stays in progress until its lock runs out; then a retry runs again
        assertProblem(ProblemType.IDEMPOTENCY_IN_PROGRESS, () -> service.execute(r, tenant, null, created()));
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        failing.failComplete = false;
        assertEquals(201, service.execute(r, tenant, null, created()).status());
        assertEquals(2, runs.get());
    }

    @Test
    void aCompletionThatFailsIsWrittenAgainBeforeTheAnswer() {
        FailingRecords failing = new FailingRecords();
        failing.failCompletes = IdempotentRequests.COMPLETE_ATTEMPTS - 1;
        AtomicInteger pauses = new AtomicInteger();
        var service = new IdempotentRequests(failing, clock, attempt -> pauses.incrementAndGet());
        ApiRequest r = request("k1", "{}");
        assertEquals(201, service.execute(r, tenant, null, created()).status());
        assertEquals(IdempotentRequests.COMPLETE_ATTEMPTS, failing.completes);
        assertEquals(IdempotentRequests.COMPLETE_ATTEMPTS - 1, pauses.get());
        assertEquals("true", service.execute(r, tenant, null, created()).headers().get("Idempotent-Replayed"));
        assertEquals(1, runs.get());
    }

    private IdempotentRequests.Action createdWithId(java.util.List<String> ids) {
        return attempt -> {
            String id = attempt.newId("thing_");
            ids.add(id);
            return ApiResponse.created("/v1/things/" + id, Map.of("id", id));
        };
    }

    @Test
    void aReRunAfterALostCompletionDerivesTheSameIds() {
        FailingRecords failing = new FailingRecords();
        failing.failComplete = true;
        var service = new IdempotentRequests(failing, clock, attempt -> { });
        java.util.List<String> ids = new java.util.ArrayList<>();
        service.execute(request("k1", "{\"a\":1}"), tenant, null, createdWithId(ids));
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        service.execute(request("k1", "{\"a\":1}"), tenant, null, createdWithId(ids));
        assertEquals(2, ids.size());
        assertEquals(ids.get(0), ids.get(1));
        assertTrue(dev.crm.shared.tenant.Ids.isValid("thing_", ids.get(0)));

        // another key, another tenant, or no key at all: another id
        service.execute(request("k2", "{\"a\":1}"), tenant, null, createdWithId(ids));
        service.execute(request("k1", "{\"a\":1}"), TenantId.generate(), null, createdWithId(ids));
        service.execute(request(null, "{\"a\":1}"), tenant, null, createdWithId(ids));
        assertEquals(5, ids.size());
        assertEquals(4, new java.util.HashSet<>(ids).size(), ids.toString());
    }

    @Test
    void aCompletionWrittenWithTheEffectIsNotWrittenAgain() {
        FailingRecords failing = new FailingRecords();
        var service = new IdempotentRequests(failing, clock, attempt -> { });
        ApiRequest r = request("k1", "{}");
        IdempotencyCompletion[] handedOut = new IdempotencyCompletion[1];
        ApiResponse first = service.execute(r, tenant, null, attempt -> {
            ApiResponse response = ApiResponse.created("/v1/things/1", Map.of("run", runs.incrementAndGet()));
            handedOut[0] = attempt.completion(response);
            // the effect's transaction writes it: here, the fake's own completion of a held record
            assertTrue(((InMemoryIdempotencyRepository) failing.delegate).completeHeld(handedOut[0]));
            return response;
        });
        assertEquals(201, first.status());
        assertEquals(0, failing.completes);
        ApiResponse replay = service.execute(r, tenant, null, created());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals(first.body(), replay.body());
        assertEquals(1, runs.get());
    }

    @Test
    void anEffectCancelledWithItsCompletionIsInProgressAndKeepsTheRecord() {
        // The effect's transaction carried the completion and was cancelled (the lock may be a
        // retry's now): nothing was written, and the record is not this attempt's to release.
        var service = new IdempotentRequests(records, clock, attempt -> { });
        ApiRequest r = request("k1", "{}");
        assertProblem(ProblemType.IDEMPOTENCY_IN_PROGRESS, () -> service.execute(r, tenant, null, attempt -> {
            attempt.completion(ApiResponse.created("/v1/things/1", Map.of()));
            throw new StoreException.Contention();
        }));
        assertProblem(ProblemType.IDEMPOTENCY_IN_PROGRESS, () -> service.execute(r, tenant, null, created()));
        assertEquals(0, runs.get());
    }
}
