package dev.crm.shared.idempotency;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.crypto.Sealed;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.tenant.Principal;
import dev.crm.shared.tenant.TenantId;
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

    private final IdempotencyRepository records;
    private final Clock clock;

    public IdempotentRequests(IdempotencyRepository records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /**
     * Runs {@code action} at most once per Idempotency-Key of the caller: keys are scoped to the
     * caller's tenant (or to the operator), as the authorizer established it.
     */
    public ApiResponse execute(ApiRequest request, Supplier<ApiResponse> action) {
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
        return execute(request, h -> IdempotencyKey.ofTenant(tenant, subject, h), action);
    }

    private ApiResponse execute(ApiRequest request, Function<String, IdempotencyKey> scope, Supplier<ApiResponse> action) {
        String key = request.idempotencyKey();
        if (key == null) {
            return action.get();
        }
        String route = request.method() + " " + request.resource();
        IdempotencyKey id = scope.apply(Hashes.sha256Hex("idem|" + route + "|" + key));
        byte[] sealKey = Hashes.sha256(("seal|" + route + "|" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String fingerprint = fingerprint(request);
        Instant now = clock.instant();

        if (!acquire(id, fingerprint, now)) {
            IdempotencyRecord existing = records.find(id);
            if (existing == null) {
                // Released between our write and read: one more attempt, then report the race.
                if (!acquire(id, fingerprint, clock.instant())) {
                    throw inProgress();
                }
            } else {
                return replayOrReject(id, existing, fingerprint, sealKey, now, action);
            }
        }
        return runAndRecord(id, sealKey, action);
    }

    private boolean acquire(IdempotencyKey id, String fingerprint, Instant now) {
        return records.acquire(id, fingerprint, now, now.plus(LOCK), now.plus(RETENTION));
    }

    private ApiResponse replayOrReject(IdempotencyKey id, IdempotencyRecord existing, String fingerprint,
            byte[] sealKey, Instant now, Supplier<ApiResponse> action) {
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
            return runAndRecord(id, sealKey, action);
        }
        throw inProgress();
    }

    private static ApiProblem inProgress() {
        return ApiProblem.of(ProblemType.IDEMPOTENCY_IN_PROGRESS,
                "a request with this Idempotency-Key is still being processed; retry shortly").header("Retry-After", "1");
    }

    private ApiResponse runAndRecord(IdempotencyKey id, byte[] sealKey, Supplier<ApiResponse> action) {
        ApiResponse response;
        try {
            response = action.get();
        } catch (RuntimeException e) {
            records.release(id);
            throw e;
        }
        if (response.status() >= 200 && response.status() < 300) {
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("status", response.status());
            stored.put("headers", response.headers());
            stored.put("body", response.body());
            byte[] sealed = Sealed.seal(sealKey, Json.write(stored));
            try {
                records.complete(id, sealed);
            } catch (RuntimeException e) {
                // The work is done: answer with its result. Only a replay after the lock expires
                // can run it again, and the routes that use this make that harmless (unique guards,
                // deterministic ids).
                Log.warn("idempotency record not completed", Log.describe(e));
            }
        } else {
            records.release(id);
        }
        return response;
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
