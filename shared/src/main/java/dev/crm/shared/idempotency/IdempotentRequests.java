package dev.crm.shared.idempotency;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.crypto.Sealed;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Principal;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Idempotency-Key handling as the conventions define it: the first request with a key runs and its
 * 2xx response is kept 24 h; a replay gets that response back with {@code Idempotent-Replayed: true};
 * the same key with another request is 422; a replay while the first still runs is 409. Responses
 * other than 2xx release the key, so a corrected retry may reuse it.
 *
 * <p>The stored response is sealed (AES-GCM) under a key derived from the client's Idempotency-Key,
 * which itself is stored only as a hash: the store never holds a readable copy of, say, a freshly
 * minted API key.
 */
public final class IdempotentRequests {
    public static final Duration RETENTION = Duration.ofHours(24);
    /** How long a crashed first attempt blocks replays before a retry may take over. */
    public static final Duration LOCK = Duration.ofSeconds(60);
    /** How often a completion that fails is written before the request is answered without it. */
    static final int COMPLETE_ATTEMPTS = 4;

    private final IdempotencyRepository records;
    private final Clock clock;
    private final Backoff backoff;

    public IdempotentRequests(IdempotencyRepository records, Clock clock) {
        this(records, clock, Backoff.exponential(50, 400));
    }

    public IdempotentRequests(IdempotencyRepository records, Clock clock, Backoff backoff) {
        this.records = records;
        this.clock = clock;
        this.backoff = backoff;
    }

    /** A keyed request's work, given what it may ask of its record ({@link Attempt}). */
    @FunctionalInterface
    public interface Action {
        ApiResponse run(Attempt attempt);
    }

    /**
     * One run of a request: ids for what it creates, and the record's completion for routes that write
     * it in the same transaction as their effect. A request without an Idempotency-Key runs with an
     * attempt that has no record (random ids, no completion).
     */
    public static final class Attempt {
        private final IdempotencyKey id;
        private final byte[] sealKey;
        private final String idSeed;
        private final Instant lockUntil;
        private final boolean rerun;
        private boolean completionHandedOut;

        private Attempt(IdempotencyKey id, byte[] sealKey, String idSeed, Instant lockUntil, boolean rerun) {
            this.id = id;
            this.sealKey = sealKey;
            this.idSeed = idSeed;
            this.lockUntil = lockUntil;
            this.rerun = rerun;
        }

        static Attempt unkeyed() {
            return new Attempt(null, null, null, null, false);
        }

        /**
         * Whether an earlier attempt of this very request (same key, same content) ran and left no
         * answer: it may have done its work, so what this run finds in the way may be that work.
         */
        public boolean isRerun() {
            return rerun;
        }

        /**
         * The id of a record this request creates: with an Idempotency-Key, derived from it and the
         * request (so a re-run after a lost completion names the record the first run created, and
         * its conditional create finds it instead of making a second one); without, random.
         */
        public String newId(String prefix) {
            if (idSeed == null) {
                return Ids.random(prefix, 20);
            }
            return Ids.derived(prefix, Hashes.sha256((idSeed + "|" + prefix).getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * The completed record answering with {@code response}, for the repository to write in the
         * effect's own transaction (null without an Idempotency-Key). Asking for it is a promise: the
         * action either writes it with its effect or fails.
         */
        public IdempotencyCompletion completion(ApiResponse response) {
            if (id == null) {
                return null;
            }
            completionHandedOut = true;
            return new IdempotencyCompletion(id, lockUntil, seal(sealKey, response));
        }
    }

    /**
     * Runs {@code action} at most once per Idempotency-Key of the caller: keys are scoped to the
     * caller's tenant (or to the operator), as the authorizer established it.
     */
    public ApiResponse execute(ApiRequest request, Supplier<ApiResponse> action) {
        return execute(request, attempt -> action.get());
    }

    /** As {@link #execute(ApiRequest, Supplier)}, for an action that derives ids or writes its completion. */
    public ApiResponse execute(ApiRequest request, Action action) {
        Principal caller = request.caller();
        if (caller == null) {
            throw new IllegalStateException("a public route names the tenant its keys belong to");
        }
        if (caller.isOperator()) {
            return execute(request, IdempotencyKey::ofOperator, action);
        }
        TenantId tenant = caller.tenantId();
        return execute(request, h -> IdempotencyKey.ofTenant(tenant, null, h), action);
    }

    /**
     * Runs {@code action} at most once per Idempotency-Key on a public route, where the route itself
     * resolved the tenant (from a slug or an id the product issued).
     *
     * @param subject narrows the keys' scope within the tenant (a survey's submissions), or null
     */
    public ApiResponse execute(ApiRequest request, TenantId tenant, String subject, Supplier<ApiResponse> action) {
        return execute(request, tenant, subject, attempt -> action.get());
    }

    /** As {@link #execute(ApiRequest, TenantId, String, Supplier)}, for an action that derives ids or writes its completion. */
    public ApiResponse execute(ApiRequest request, TenantId tenant, String subject, Action action) {
        return execute(request, h -> IdempotencyKey.ofTenant(tenant, subject, h), action);
    }

    private ApiResponse execute(ApiRequest request, Function<String, IdempotencyKey> scope, Action action) {
        String key = request.idempotencyKey();
        if (key == null) {
            return action.run(Attempt.unkeyed());
        }
        String route = request.method() + " " + request.resource();
        IdempotencyKey id = scope.apply(Hashes.sha256Hex("idem|" + route + "|" + key));
        byte[] sealKey = Hashes.sha256(("seal|" + route + "|" + key).getBytes(StandardCharsets.UTF_8));
        String fingerprint = fingerprint(request);
        // Ids derive from the key's scope, the route, the key and the request itself: a key reused for
        // another request after its record expired names other records.
        String idSeed = "id|" + (id.isOperators() ? "operator" : id.tenant().value() + "|" + id.subject())
                + "|" + route + "|" + key + "|" + fingerprint;
        Instant now = clock.instant();

        if (!acquire(id, fingerprint, now)) {
            IdempotencyRecord existing = records.find(id);
            if (existing == null) {
                // Released between our write and read: one more attempt, then report the race.
                now = clock.instant();
                if (!acquire(id, fingerprint, now)) {
                    throw inProgress();
                }
            } else {
                return replayOrReject(id, existing, fingerprint, sealKey, idSeed, now, action);
            }
        }
        return runAndRecord(new Attempt(id, sealKey, idSeed, now.plus(LOCK), false), action);
    }

    private boolean acquire(IdempotencyKey id, String fingerprint, Instant now) {
        return records.acquire(id, fingerprint, now, now.plus(LOCK), now.plus(RETENTION));
    }

    private ApiResponse replayOrReject(IdempotencyKey id, IdempotencyRecord existing, String fingerprint,
            byte[] sealKey, String idSeed, Instant now, Action action) {
        if (!fingerprint.equals(existing.fingerprint())) {
            throw ApiProblem.of(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used with a different request");
        }
        if (existing.completed()) {
            byte[] sealed = existing.sealedResponse();
            String json = sealed == null ? null : Sealed.open(sealKey, sealed);
            if (json == null) {
                throw ApiProblem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with a different request");
            }
            return replay(json);
        }
        // In progress: a crashed first attempt is taken over once its lock runs out.
        if (existing.lockExpiredAt(now) && records.takeOver(id, fingerprint, now, now.plus(LOCK))) {
            return runAndRecord(new Attempt(id, sealKey, idSeed, now.plus(LOCK), true), action);
        }
        throw inProgress();
    }

    private static ApiProblem inProgress() {
        return ApiProblem.of(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                "a request with this Idempotency-Key is still being processed; retry shortly").header("Retry-After", "1");
    }

    private ApiResponse runAndRecord(Attempt attempt, Action action) {
        IdempotencyKey id = attempt.id;
        ApiResponse response;
        try {
            response = action.run(attempt);
        } catch (StoreException.Contention e) {
            if (attempt.completionHandedOut) {
                // The effect's transaction carried the completion and was cancelled, perhaps because a
                // retry took the lock over: the record may be that retry's now, not ours to release.
                // Nothing was written; a retry replays or runs.
                throw inProgress();
            }
            records.release(id, attempt.lockUntil);
            throw e;
        } catch (RuntimeException e) {
            records.release(id, attempt.lockUntil);
            throw e;
        }
        if (response.status() >= 200 && response.status() < 300) {
            if (!attempt.completionHandedOut) {
                complete(id, seal(attempt.sealKey, response));
            }
        } else {
            records.release(id, attempt.lockUntil);
        }
        return response;
    }

    /**
     * Marks the record completed, retrying a failed write a few times. If it still fails the work is
     * done and is answered; a retry after the lock runs out then runs the request again, which the
     * routes make harmless: what they create has an id derived from the key ({@link Attempt#newId}),
     * so the re-run finds the first run's record and answers with it.
     */
    private void complete(IdempotencyKey id, byte[] sealed) {
        for (int attempt = 1; ; attempt++) {
            try {
                records.complete(id, sealed);
                return;
            } catch (RuntimeException e) {
                if (attempt >= COMPLETE_ATTEMPTS) {
                    Log.warn("idempotency record not completed", Log.describe(e));
                    return;
                }
                backoff.pause(attempt);
            }
        }
    }

    private static byte[] seal(byte[] sealKey, ApiResponse response) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("status", response.status());
        stored.put("headers", response.headers());
        stored.put("body", response.body());
        return Sealed.seal(sealKey, Json.write(stored));
    }

    @SuppressWarnings("unchecked")
    private static ApiResponse replay(String json) {
        Map<String, Object> stored = (Map<String, Object>) Json.parse(json);
        Map<String, Object> headers = (Map<String, Object>) stored.get("headers");
        String contentType = headers == null ? null : (String) headers.get("Content-Type");
        ApiResponse r = ApiResponse.text(((Number) stored.get("status")).intValue(), contentType, (String) stored.get("body"));
        if (headers != null) {
            for (var e : headers.entrySet()) {
                r.header(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return r.header("Idempotent-Replayed", "true");
    }

    /** Same route, path and body (JSON compared by content, not by formatting) means the same request. */
    static String fingerprint(ApiRequest request) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append(' ').append(request.path()).append('\n');
        String body = request.body();
        if (body != null && !body.isBlank()) {
            try {
                sb.append(Json.write(canonical(Json.parse(body))));
            } catch (Json.SyntaxException e) {
                sb.append(body);
            }
        }
        return Hashes.sha256Hex(sb.toString());
    }

    @SuppressWarnings("unchecked")
    private static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            for (var e : ((Map<String, Object>) m).entrySet()) {
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            return sorted;
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(IdempotentRequests::canonical).toList();
        }
        return v;
    }
}
