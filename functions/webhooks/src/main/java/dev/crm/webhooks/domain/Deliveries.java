package dev.crm.webhooks.domain;

import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventRepository;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.log.Log;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Sends webhooks (docs/architecture.md, "Webhooks"): one attempt per claimed delivery, signed by the
 * Standard Webhooks scheme, its outcome and the next step recorded on the delivery; and the API's
 * deliveries, retries, replays and test messages.
 */
public final class Deliveries {
    /** How long a claim keeps others off one delivery: well past the sender's 15 s timeout. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    /** Requests one invocation keeps in flight to one endpoint at most. */
    public static final int IN_FLIGHT_PER_ENDPOINT = 2;
    /** An endpoint failing every attempt this long is disabled. */
    public static final Duration FAILING_LIMIT = Duration.ofDays(5);
    /** Deliveries one replay call re-sends at most; the answer says where to resume. */
    public static final int REPLAY_LIMIT = 500;
    static final String ENDPOINT_DISABLED = "endpoint disabled";
    static final String EVENT_GONE = "the event's data was erased or has expired";
    private static final int POOL = 16;

    /** How one attempt ended. */
    public enum Outcome {
        DELIVERED, RETRYING, FAILED, EXHAUSTED,
        /** Not claimable now (not pending, not due, or someone else holds it): nothing done. */
        SKIPPED
    }

    /** @param answered whether the receiver answered at all (a timeout or refused connection did not) */
    public record Result(Outcome outcome, boolean answered) {}

    public static final class UnknownEndpoint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownEndpoint() {
            super("no such endpoint", null, false, false);
        }
    }

    public static final class UnknownMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownMessage() {
            super("no such message", null, false, false);
        }
    }

    private final DeliveryRepository deliveries;
    private final EndpointRepository endpoints;
    private final EventRepository events;
    private final UrlPolicy policy;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final ExecutorService pool;

    public Deliveries(DeliveryRepository deliveries, EndpointRepository endpoints, EventRepository events,
            UrlPolicy policy, WebhookSender sender, RetrySchedule schedule, Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.events = events;
        this.policy = policy;
        this.sender = sender;
        this.schedule = schedule;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(POOL, r -> {
            Thread t = new Thread(r, "webhook-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    // ---------------------------------------------------------------- sending

    /** One attempt of one delivery, if it can be claimed now. */
    public Result attempt(DeliveryRef ref) {
        Instant now = clock.instant();
        Optional<DeliveryRepository.Claim> claimed = deliveries.claim(ref, now, LEASE);
        if (claimed.isEmpty()) {
            return new Result(Outcome.SKIPPED, true);
        }
        DeliveryRepository.Claim claim = claimed.get();
        Delivery d = claim.delivery();
        Optional<WebhookEndpoint> found = endpoints.find(ref.tenant(), ref.endpointId());
        if (found.isEmpty() || !found.get().enabled()) {
            return record(claim, new Delivery.Attempt(now, null, ENDPOINT_DISABLED, 0), false, Delivery.Status.FAILED,
                    null, true);
        }
        WebhookEndpoint endpoint = found.get();
        Optional<String> envelope = events.envelope(ref.tenant(), ref.eventId(), d.personalDataOf());
        if (envelope.isEmpty()) {
            // nothing is sent: not the payload (it is gone), not even the id of an erased contact's event
            return record(claim, new Delivery.Attempt(now, null, EVENT_GONE, 0), false, Delivery.Status.FAILED, null, true);
        }
        UrlPolicy.Verdict verdict = policy.check(endpoint.url());
        if (!verdict.allowed()) {
            return failed(claim, endpoint, new Delivery.Attempt(now, null, "refused: " + verdict.reason(), 0), null, false);
        }
        Instant sentAt = clock.instant();
        String body = envelope.get();
        Map<String, String> headers = WebhookSignature.headers(endpoint.signingSecrets(sentAt), ref.eventId(),
                sentAt.getEpochSecond(), body);
        WebhookSender.Response response = sender.send(verdict.uri(), verdict.addresses(), headers, body);
        Integer status = response.statusCode();
        Delivery.Attempt attempt = new Delivery.Attempt(sentAt, status, status == null ? response.error()
                : status >= 300 && status < 400 ? "redirects are not followed" : null, response.durationMs());
        if (status != null && status >= 200 && status < 300) {
            Result r = record(claim, attempt, true, Delivery.Status.DELIVERED, null, true);
            if (endpoint.failingSince() != null) {
                endpoints.deliveredTo(ref.tenant(), ref.endpointId());
            }
            return r;
        }
        if (status != null && status == 410) {
            Result r = record(claim, attempt, true, Delivery.Status.FAILED, null, true);
            if (endpoints.disable(ref.tenant(), ref.endpointId(), "gone", clock.instant())) {
                Log.info("webhook endpoint disabled", Map.of("endpointId", ref.endpointId(), "reason", "gone"));
            }
            return r;
        }
        Duration retryAfter = status != null && (status == 429 || status == 503)
                ? RetrySchedule.retryAfter(response.retryAfter(), clock.instant()) : null;
        return failed(claim, endpoint, attempt, retryAfter, status != null);
    }

    private Result failed(DeliveryRepository.Claim claim, WebhookEndpoint endpoint, Delivery.Attempt attempt,
            Duration retryAfter, boolean answered) {
        DeliveryRef ref = claim.delivery().ref();
        Instant now = clock.instant();
        Instant since = endpoints.failedAt(ref.tenant(), ref.endpointId(), attempt.at());
        if (since != null && !since.isAfter(now.minus(FAILING_LIMIT))) {
            if (endpoints.disable(ref.tenant(), ref.endpointId(), "failing", now)) {
                Log.info("webhook endpoint disabled", Map.of("endpointId", ref.endpointId(), "reason", "failing"));
            }
            return record(claim, attempt, true, Delivery.Status.FAILED, null, answered);
        }
        int used = claim.delivery().attemptCount() + 1;
        Optional<Instant> next = schedule.next(used, now, retryAfter);
        if (next.isEmpty()) {
            return record(claim, attempt, true, Delivery.Status.EXHAUSTED, null, answered);
        }
        return record(claim, attempt, true, Delivery.Status.PENDING, next.get(), answered);
    }

    private Result record(DeliveryRepository.Claim claim, Delivery.Attempt attempt, boolean scheduled,
            Delivery.Status next, Instant nextAttemptAt, boolean answered) {
        if (!deliveries.recordAttempt(claim, attempt, scheduled, next, nextAttemptAt)) {
            // our lease ended and another deliverer took it: its outcome is the one recorded
            Log.warn("webhook delivery lease lost", Map.of("endpointId", claim.delivery().endpointId(),
                    "eventId", claim.delivery().eventId()));
            return new Result(Outcome.SKIPPED, answered);
        }
        Outcome o = switch (next) {
            case DELIVERED -> Outcome.DELIVERED;
            case PENDING -> Outcome.RETRYING;
            case FAILED -> Outcome.FAILED;
            case EXHAUSTED -> Outcome.EXHAUSTED;
        };
        return new Result(o, answered);
    }

    /**
     * Attempts every delivery: different endpoints in parallel, at most {@link #IN_FLIGHT_PER_ENDPOINT}
     * requests in flight per endpoint, so a slow endpoint holds only its own lanes. After an endpoint
     * did not answer, its remaining deliveries are left for the retry schedule (they stay due), so one
     * dead endpoint costs this invocation one timeout per lane, not one per delivery.
     *
     * @param timeLeft false once no new attempt should start (the invocation is about to end)
     */
    public Map<Outcome, Integer> attemptAll(Collection<DeliveryRef> refs, BooleanSupplier timeLeft) {
        Map<String, List<List<DeliveryRef>>> lanes = new LinkedHashMap<>();
        for (DeliveryRef ref : new java.util.LinkedHashSet<>(refs)) {
            List<List<DeliveryRef>> l = lanes.computeIfAbsent(ref.tenant().value() + "|" + ref.endpointId(),
                    k -> new ArrayList<>());
            if (l.size() < IN_FLIGHT_PER_ENDPOINT) {
                l.add(new ArrayList<>(List.of(ref)));
            } else {
                l.stream().min(java.util.Comparator.comparingInt(List::size)).orElseThrow().add(ref);
            }
        }
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        Map<Outcome, Integer> counts = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        // interleaved, so every endpoint's first lane starts before any endpoint's second
        for (int i = 0; i < IN_FLIGHT_PER_ENDPOINT; i++) {
            for (var e : lanes.entrySet()) {
                if (i >= e.getValue().size()) {
                    continue;
                }
                List<DeliveryRef> lane = e.getValue().get(i);
                String endpoint = e.getKey();
                running.add(pool.submit(() -> {
                    for (DeliveryRef ref : lane) {
                        if (!timeLeft.getAsBoolean() || unanswered.contains(endpoint)) {
                            return;
                        }
                        Result r;
                        try {
                            r = attempt(ref);
                        } catch (RuntimeException ex) {
                            // a store failure: the delivery stays pending (its lease runs out) for the schedule
                            Log.warn("webhook attempt failed", Log.describe(ex));
                            continue;
                        }
                        counts.merge(r.outcome(), 1, Integer::sum);
                        if (!r.answered()) {
                            unanswered.add(endpoint);
                        }
                    }
                }));
            }
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException ex) {
                Log.warn("webhook lane failed", Log.describe(ex.getCause()));
            }
        }
        // Counted here, on the invocation's thread, so they join its one metrics document.
        counts.forEach((outcome, n) -> {
            if (outcome != Outcome.SKIPPED) {
                Metrics.count(MetricNames.webhookDeliveries(outcome.name()), n);
            }
        });
        return counts;
    }

    /** The retry schedule's run: every due delivery (at most {@code limit}), attempted as {@link #attemptAll}. */
    public Map<Outcome, Integer> attemptDue(int limit, BooleanSupplier timeLeft) {
        return attemptAll(deliveries.due(clock.instant(), limit), timeLeft);
    }

    // ---------------------------------------------------------------- the API

    private WebhookEndpoint endpoint(TenantId tenant, String endpointId) {
        return endpoints.find(tenant, endpointId).orElseThrow(UnknownEndpoint::new);
    }

    public Slice<Delivery> list(TenantId tenant, String endpointId, Cursor after, int limit) {
        endpoint(tenant, endpointId);
        return deliveries.list(tenant, endpointId, after, limit);
    }

    /** Sends one message again now (same id), with a fresh schedule. */
    public Delivery retry(TenantId tenant, String endpointId, String messageId) {
        endpoint(tenant, endpointId);
        DeliveryRef ref = new DeliveryRef(tenant, endpointId, messageId);
        deliveries.resend(ref, clock.instant());
        return deliveries.find(ref).orElseThrow(UnknownMessage::new);
    }

    /** Sends the endpoint's messages of events at or after {@code since} again (same ids), {@link #REPLAY_LIMIT} per call. */
    public DeliveryRepository.Replay replay(TenantId tenant, String endpointId, Instant since, String after) {
        endpoint(tenant, endpointId);
        return deliveries.resendSince(tenant, endpointId, since, after, clock.instant(), REPLAY_LIMIT);
    }

    /** Stores a {@code webhook.test} event for this endpoint only and delivers it. */
    public Delivery test(TenantId tenant, String endpointId) {
        WebhookEndpoint endpoint = endpoint(tenant, endpointId);
        Instant now = clock.instant();
        String id = EventIds.derive(now, EventTypes.WEBHOOK_TEST, tenant.value(), endpointId, Ids.random("", 16));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpointId", endpoint.id());
        data.put("message", "a test message sent by POST /v1/webhooks/{id}/test");
        events.record(new Event(id, EventTypes.WEBHOOK_TEST, EventTypes.sourceOf(EventTypes.WEBHOOK_TEST), now, tenant,
                null, data));
        Delivery d = Delivery.pending(tenant, endpointId, id, EventTypes.WEBHOOK_TEST, null, now,
                now.plus(Delivery.RETENTION));
        deliveries.createPending(d);
        return d;
    }
}
