package dev.crm.webhooks.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook deliveries (docs/data-model.md, "Webhook deliveries"): one record per (endpoint, event), the
 * pending ones findable by when they are due. Every change that should send at once (a new record, a
 * retry, a replay) is marked so the table stream starts the deliverer; the due index is the safety net.
 */
public interface DeliveryRepository {
    /** What a claim holds: the record as claimed and the token that proves the claim. */
    record Claim(Delivery delivery, String token, Instant leaseUntil) {}

    /** Stores a new pending record unless one exists for the same endpoint and event; true when stored. */
    boolean createPending(Delivery delivery);

    Optional<Delivery> find(DeliveryRef ref);

    /**
     * Takes the record for one attempt if it is pending, due at {@code now} and not held by another
     * claim (or that claim's lease ended): nobody else claims it until {@code now + lease}.
     */
    Optional<Claim> claim(DeliveryRef ref, Instant now, Duration lease);

    /**
     * Records the attempt and the next state, if the claim still holds (false otherwise: the lease
     * ended and someone else took it). {@code nextAttemptAt} only for {@code pending};
     * {@code scheduled} counts the attempt against the schedule.
     */
    boolean recordAttempt(Claim claim, Delivery.Attempt attempt, boolean scheduled, Delivery.Status next,
            Instant nextAttemptAt);

    /** The endpoint's deliveries, newest event first. */
    Slice<Delivery> list(TenantId tenant, String endpointId, Cursor after, int limit);

    /** Pending deliveries due at {@code now} (their lease, if any, ended), across tenants: the retry schedule's work. */
    List<DeliveryRef> due(Instant now, int limit);

    /**
     * Makes the delivery pending and due now with a fresh schedule, and sends it at once. False when
     * there is no such delivery, or an attempt is in flight (it is being sent anyway).
     */
    boolean resend(DeliveryRef ref, Instant now);

    /** What a bounded replay did, and where the next call resumes (null when it reached the end). */
    record Replay(int resent, String resumeAfter) {}

    /**
     * {@link #resend} for the endpoint's deliveries of events at or after {@code since} (and after the
     * event id {@code after}, when given), oldest first, at most {@code limit}.
     */
    Replay resendSince(TenantId tenant, String endpointId, Instant since, String after, Instant now, int limit);
}
