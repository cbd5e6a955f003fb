package dev.crm.webhooks.store.memory;

import dev.crm.shared.events.EventIds;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.Delivery;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.DeliveryRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link DeliveryRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code DeliveryRepositoryContract}: one sorted map per endpoint (the partition), {@code dueAt} the
 * next attempt or a claim's end, as the due index has it.
 */
public final class InMemoryDeliveryRepository implements DeliveryRepository {
    private static final class Row {
        Delivery delivery;
        Instant dueAt;
        String token;
        Instant leaseUntil;

        Row(Delivery d) {
            this.delivery = d;
        }
    }

    private final Map<String, TreeMap<String, Row>> partitions = new HashMap<>();
    /** How many changes marked "send now" each delivery had (what the deliverer's stream filter selects). */
    private final Map<DeliveryRef, Integer> sendMarks = new HashMap<>();

    private static String partition(TenantId t, String endpointId) {
        return t.value() + "|" + endpointId;
    }

    private Row row(DeliveryRef ref) {
        TreeMap<String, Row> p = partitions.get(partition(ref.tenant(), ref.endpointId()));
        return p == null ? null : p.get(ref.eventId());
    }

    public synchronized int sendMarks(DeliveryRef ref) {
        return sendMarks.getOrDefault(ref, 0);
    }

    @Override
    public synchronized boolean createPending(Delivery d) {
        TreeMap<String, Row> p = partitions.computeIfAbsent(partition(d.tenant(), d.endpointId()), k -> new TreeMap<>());
        if (p.containsKey(d.eventId())) {
            return false;
        }
        Row r = new Row(d);
        r.dueAt = d.nextAttemptAt();
        p.put(d.eventId(), r);
        sendMarks.merge(d.ref(), 1, Integer::sum);
        return true;
    }

    @Override
    public synchronized Optional<Delivery> find(DeliveryRef ref) {
        Row r = row(ref);
        return r == null ? Optional.empty() : Optional.of(r.delivery);
    }

    @Override
    public synchronized Optional<Claim> claim(DeliveryRef ref, Instant now, Duration lease) {
        Row r = row(ref);
        if (r == null || r.delivery.status() != Delivery.Status.PENDING || r.dueAt == null || r.dueAt.isAfter(now)) {
            return Optional.empty();
        }
        r.token = Ids.random("", 20);
        r.leaseUntil = now.plus(lease);
        r.dueAt = r.leaseUntil;
        return Optional.of(new Claim(r.delivery, r.token, r.leaseUntil));
    }

    @Override
    public synchronized boolean recordAttempt(Claim claim, Delivery.Attempt attempt, boolean scheduled,
            Delivery.Status next, Instant nextAttemptAt) {
        Row r = row(claim.delivery().ref());
        if (r == null || r.token == null || !r.token.equals(claim.token())) {
            return false;
        }
        Delivery d = claim.delivery();
        boolean pending = next == Delivery.Status.PENDING;
        r.delivery = new Delivery(d.tenant(), d.endpointId(), d.eventId(), d.eventType(), d.personalDataOf(), next,
                d.attemptsWith(attempt), d.attemptCount() + (scheduled ? 1 : 0), pending ? nextAttemptAt : null,
                d.expiresAt());
        r.dueAt = pending ? nextAttemptAt : null;
        r.token = null;
        r.leaseUntil = null;
        return true;
    }

    @Override
    public synchronized Slice<Delivery> list(TenantId tenant, String endpointId, Cursor after, int limit) {
        TreeMap<String, Row> p = partitions.getOrDefault(partition(tenant, endpointId), new TreeMap<>());
        var view = after == null ? p.descendingMap() : p.headMap(after.value(), false).descendingMap();
        List<Delivery> out = new ArrayList<>();
        String last = null;
        for (var e : view.entrySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(e.getValue().delivery);
            last = e.getKey();
        }
        // as a query with a limit: a full page has a next cursor, even when nothing follows
        return new Slice<>(out, out.size() == limit ? new Cursor(last) : null);
    }

    @Override
    public synchronized List<DeliveryRef> due(Instant now, int limit) {
        List<Row> rows = new ArrayList<>();
        for (TreeMap<String, Row> p : partitions.values()) {
            for (Row r : p.values()) {
                if (r.delivery.status() == Delivery.Status.PENDING && r.dueAt != null && !r.dueAt.isAfter(now)) {
                    rows.add(r);
                }
            }
        }
        rows.sort(Comparator.comparing(r -> r.dueAt));
        return rows.stream().limit(limit).map(r -> r.delivery.ref()).toList();
    }

    @Override
    public synchronized boolean resend(DeliveryRef ref, Instant now) {
        Row r = row(ref);
        if (r == null || (r.leaseUntil != null && !r.leaseUntil.isBefore(now))) {
            return false;
        }
        Delivery d = r.delivery;
        r.delivery = new Delivery(d.tenant(), d.endpointId(), d.eventId(), d.eventType(), d.personalDataOf(),
                Delivery.Status.PENDING, d.attempts(), 0, now, d.expiresAt());
        r.dueAt = now;
        r.token = null;
        r.leaseUntil = null;
        sendMarks.merge(ref, 1, Integer::sum);
        return true;
    }

    @Override
    public synchronized Replay resendSince(TenantId tenant, String endpointId, Instant since, String after, Instant now,
            int limit) {
        TreeMap<String, Row> p = partitions.getOrDefault(partition(tenant, endpointId), new TreeMap<>());
        String from = EventIds.lowerBound(since);
        var view = after != null && after.compareTo(from) >= 0 ? p.tailMap(after, false) : p.tailMap(from, true);
        int resent = 0;
        int seen = 0;
        String last = null;
        for (String id : new ArrayList<>(view.keySet())) {
            if (seen == limit) {
                break;
            }
            seen++;
            last = id;
            if (resend(new DeliveryRef(tenant, endpointId, id), now)) {
                resent++;
            }
        }
        return new Replay(resent, seen == limit ? last : null);
    }
}
