package dev.crm.webhooks.domain;

import dev.crm.shared.json.JsonWritable;
import dev.crm.shared.json.Times;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One event's delivery to one endpoint (docs/data-model.md, "Webhook deliveries"). It holds no copy of
 * the payload: the stored event is the one copy, so erasing a contact leaves nothing here to send.
 *
 * @param attemptCount  scheduled attempts used (a manual retry or a replay starts the schedule again)
 * @param nextAttemptAt when the next attempt is due, while {@code pending}
 * @param expiresAt     the event's time + 30 days: the record goes with the event it points to
 */
public record Delivery(TenantId tenant, String endpointId, String eventId, String eventType, String personalDataOf,
        Status status, List<Attempt> attempts, int attemptCount, Instant nextAttemptAt, Instant expiresAt)
        implements JsonWritable {

    /** As long as the event it points to is kept (docs/events.md). */
    public static final java.time.Duration RETENTION = java.time.Duration.ofDays(30);
    /** The attempts a record keeps (the newest). */
    public static final int KEPT_ATTEMPTS = 20;

    public enum Status {
        PENDING, DELIVERED, FAILED, EXHAUSTED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String s) {
            return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** One try: the receiver's status code, or why there was none; never a header or a body. */
    public record Attempt(Instant at, Integer statusCode, String error, long durationMs) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", Times.format(at));
            m.put("statusCode", statusCode);
            m.put("error", error);
            m.put("durationMs", durationMs);
            return m;
        }
    }

    public Delivery {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(status, "status");
        attempts = List.copyOf(attempts);
    }

    /** A new delivery, due at once. */
    public static Delivery pending(TenantId tenant, String endpointId, String eventId, String eventType,
            String personalDataOf, Instant now, Instant expiresAt) {
        return new Delivery(tenant, endpointId, eventId, eventType, personalDataOf, Status.PENDING, List.of(), 0, now,
                expiresAt);
    }

    /** The attempts with one more, the oldest dropped beyond {@link #KEPT_ATTEMPTS}. */
    public List<Attempt> attemptsWith(Attempt a) {
        List<Attempt> out = new ArrayList<>(attempts);
        out.add(a);
        while (out.size() > KEPT_ATTEMPTS) {
            out.remove(0);
        }
        return out;
    }

    /** Where to find it. */
    public DeliveryRef ref() {
        return new DeliveryRef(tenant, endpointId, eventId);
    }

    /** The API form ({@code GET /v1/webhooks/{id}/deliveries}): the message id is the event id. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", eventId);
        m.put("eventType", eventType);
        m.put("status", status.wire());
        m.put("attempts", attempts.stream().map(Attempt::toJson).toList());
        m.put("nextAttemptAt", status == Status.PENDING && nextAttemptAt != null ? Times.format(nextAttemptAt) : null);
        return m;
    }
}
