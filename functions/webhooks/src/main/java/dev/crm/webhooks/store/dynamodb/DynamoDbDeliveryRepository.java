package dev.crm.webhooks.store.dynamodb;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import dev.crm.webhooks.domain.Delivery;
import dev.crm.webhooks.domain.DeliveryRef;
import dev.crm.webhooks.domain.DeliveryRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Deliveries on the single table (docs/data-model.md, "Webhook deliveries"), mapped by hand. A pending
 * delivery carries the due index's keys ({@code dueAt}: its next attempt, or while claimed its lease's
 * end); {@code send = now} marks a change that should go out at once, which the deliverer's stream
 * filter selects, and every claim removes it.
 */
public final class DynamoDbDeliveryRepository implements DeliveryRepository {
    public static final String ENTITY = "WEBHOOK_DELIVERY";
    /** The stream filter's mark: this change should be sent now. */
    public static final String SEND = "send";
    public static final String SEND_NOW = "now";

    private final Table table;

    public DynamoDbDeliveryRepository(Table table) {
        this.table = table;
    }

    private static Map<String, AttributeValue> key(DeliveryRef ref) {
        return Table.key(WebhookKeys.deliveries(ref.tenant(), ref.endpointId()), WebhookKeys.delivery(ref.eventId()));
    }

    @Override
    public boolean createPending(Delivery d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.ref()));
        String pk = item.get(Table.PK).s();
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(d.tenant().value()));
        item.put("endpointId", Attr.s(d.endpointId()));
        item.put("eventId", Attr.s(d.eventId()));
        item.put("eventType", Attr.s(d.eventType()));
        if (d.personalDataOf() != null) {
            item.put("personalDataOf", Attr.s(d.personalDataOf()));
        }
        item.put("status", Attr.s(Delivery.Status.PENDING.wire()));
        item.put("attempts", AttributeValue.fromL(List.of()));
        item.put("attemptCount", Attr.n(0));
        item.put("nextAttemptAt", Attr.instant(d.nextAttemptAt()));
        item.put(WebhookKeys.DUE_SHARD, Attr.s(WebhookKeys.dueShard(pk)));
        item.put(WebhookKeys.DUE_AT, Attr.n(d.nextAttemptAt().toEpochMilli()));
        item.put(SEND, Attr.s(SEND_NOW));
        item.put(Table.TTL, Attr.ttl(d.expiresAt()));
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(PK)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Delivery> find(DeliveryRef ref) {
        Map<String, AttributeValue> k = key(ref);
        Map<String, AttributeValue> item = table.get(k.get(Table.PK).s(), k.get(Table.SK).s());
        return item == null ? Optional.empty() : Optional.of(toDelivery(item));
    }

    @Override
    public Optional<Claim> claim(DeliveryRef ref, Instant now, Duration lease) {
        String token = Ids.random("", 20);
        Instant until = now.plus(lease);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", Attr.s(Delivery.Status.PENDING.wire()));
        values.put(":now", Attr.n(now.toEpochMilli()));
        values.put(":token", Attr.s(token));
        values.put(":until", Attr.n(until.toEpochMilli()));
        try {
            var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(ref))
                    // dueAt is the next attempt, or the end of someone's claim: one comparison says "due and free"
                    .conditionExpression("#status = :pending AND dueAt <= :now")
                    .updateExpression("SET leaseToken = :token, leaseUntil = :until, dueAt = :until REMOVE #send")
                    .expressionAttributeNames(Map.of("#status", "status", "#send", SEND))
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW).build());
            return Optional.of(new Claim(toDelivery(r.attributes()), token, until));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean recordAttempt(Claim claim, Delivery.Attempt attempt, boolean scheduled, Delivery.Status next,
            Instant nextAttemptAt) {
        Delivery d = claim.delivery();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":token", Attr.s(claim.token()));
        values.put(":status", Attr.s(next.wire()));
        values.put(":attempts", AttributeValue.fromL(d.attemptsWith(attempt).stream().map(DynamoDbDeliveryRepository::attempt).toList()));
        values.put(":count", Attr.n(d.attemptCount() + (scheduled ? 1 : 0)));
        String update = "SET #status = :status, attempts = :attempts, attemptCount = :count";
        if (next == Delivery.Status.PENDING) {
            values.put(":next", Attr.instant(nextAttemptAt));
            values.put(":shard", Attr.s(WebhookKeys.dueShard(WebhookKeys.deliveries(d.tenant(), d.endpointId()))));
            values.put(":due", Attr.n(nextAttemptAt.toEpochMilli()));
            update += ", nextAttemptAt = :next, dueShard = :shard, dueAt = :due REMOVE leaseToken, leaseUntil";
        } else {
            // out of the due index: it is settled
            update += " REMOVE leaseToken, leaseUntil, nextAttemptAt, dueShard, dueAt";
        }
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(d.ref()))
                    .conditionExpression("leaseToken = :token").updateExpression(update)
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Slice<Delivery> list(TenantId tenant, String endpointId, Cursor after, int limit) {
        var b = QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(WebhookKeys.deliveries(tenant, endpointId)),
                        ":prefix", Attr.s(WebhookKeys.DELIVERY_PREFIX)))
                .scanIndexForward(false).limit(limit).consistentRead(true);
        Map<String, AttributeValue> start = Cursors.startKey(after);
        if (start != null) {
            b.exclusiveStartKey(start);
        }
        QueryResponse r = table.client().query(b.build());
        List<Delivery> items = r.items().stream().map(DynamoDbDeliveryRepository::toDelivery).toList();
        return new Slice<>(items, r.hasLastEvaluatedKey() ? Cursors.of(r.lastEvaluatedKey()) : null);
    }

    @Override
    public List<DeliveryRef> due(Instant now, int limit) {
        List<DeliveryRef> out = new ArrayList<>();
        for (int shard = 0; shard < WebhookKeys.DUE_SHARDS && out.size() < limit; shard++) {
            QueryResponse r = table.client().query(QueryRequest.builder().tableName(table.name())
                    .indexName(WebhookKeys.DUE_DELIVERIES)
                    .keyConditionExpression("dueShard = :s AND dueAt <= :now")
                    .expressionAttributeValues(Map.of(":s", Attr.s(WebhookKeys.dueShard(shard)),
                            ":now", Attr.n(now.toEpochMilli())))
                    .limit(limit - out.size()).build());
            for (Map<String, AttributeValue> k : r.items()) {
                DeliveryRef ref = ref(Attr.str(k, Table.PK), Attr.str(k, Table.SK));
                if (ref != null) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    static DeliveryRef ref(String pk, String sk) {
        String[] parts = WebhookKeys.parseDeliveries(pk);
        if (parts == null || sk == null || !sk.startsWith(WebhookKeys.DELIVERY_PREFIX)) {
            return null;
        }
        return new DeliveryRef(new TenantId(parts[0]), parts[1], sk.substring(WebhookKeys.DELIVERY_PREFIX.length()));
    }

    @Override
    public boolean resend(DeliveryRef ref, Instant now) {
        String pk = WebhookKeys.deliveries(ref.tenant(), ref.endpointId());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", Attr.s(Delivery.Status.PENDING.wire()));
        values.put(":zero", Attr.n(0));
        values.put(":next", Attr.instant(now));
        values.put(":shard", Attr.s(WebhookKeys.dueShard(pk)));
        values.put(":now", Attr.n(now.toEpochMilli()));
        values.put(":send", Attr.s(SEND_NOW));
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(ref))
                    // an attempt in flight (a live claim) is left alone: it is being sent anyway
                    .conditionExpression("attribute_exists(PK) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                    .updateExpression("SET #status = :pending, attemptCount = :zero, nextAttemptAt = :next, "
                            + "dueShard = :shard, dueAt = :now, #send = :send REMOVE leaseToken, leaseUntil")
                    .expressionAttributeNames(Map.of("#status", "status", "#send", SEND))
                    .expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Replay resendSince(TenantId tenant, String endpointId, Instant since, String after, Instant now, int limit) {
        String from = WebhookKeys.deliveriesFrom(since);
        String afterSk = after == null ? null : WebhookKeys.delivery(after);
        boolean exclusive = afterSk != null && afterSk.compareTo(from) >= 0;
        QueryResponse r = table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression(exclusive ? "PK = :pk AND SK > :from" : "PK = :pk AND SK BETWEEN :from AND :end")
                .expressionAttributeValues(exclusive
                        ? Map.of(":pk", Attr.s(WebhookKeys.deliveries(tenant, endpointId)), ":from", Attr.s(afterSk))
                        : Map.of(":pk", Attr.s(WebhookKeys.deliveries(tenant, endpointId)), ":from", Attr.s(from),
                                ":end", Attr.s(WebhookKeys.DELIVERY_PREFIX + "\uffff")))
                .projectionExpression("SK").limit(limit).build());
        int resent = 0;
        String last = null;
        for (Map<String, AttributeValue> k : r.items()) {
            String sk = Attr.str(k, Table.SK);
            if (!sk.startsWith(WebhookKeys.DELIVERY_PREFIX)) {
                continue;
            }
            last = sk.substring(WebhookKeys.DELIVERY_PREFIX.length());
            if (resend(new DeliveryRef(tenant, endpointId, last), now)) {
                resent++;
            }
        }
        return new Replay(resent, r.hasLastEvaluatedKey() ? last : null);
    }

    // ---------------------------------------------------------------- mapping

    private static AttributeValue attempt(Delivery.Attempt a) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("at", Attr.instant(a.at()));
        m.put("statusCode", a.statusCode() == null ? AttributeValue.fromNul(true) : Attr.n(a.statusCode()));
        m.put("error", a.error() == null ? AttributeValue.fromNul(true) : Attr.s(a.error()));
        m.put("durationMs", Attr.n(a.durationMs()));
        return AttributeValue.fromM(m);
    }

    static Delivery toDelivery(Map<String, AttributeValue> item) {
        List<Delivery.Attempt> attempts = new ArrayList<>();
        AttributeValue list = item.get("attempts");
        if (list != null && list.hasL()) {
            for (AttributeValue a : list.l()) {
                Map<String, AttributeValue> m = a.m();
                Long code = Attr.numOrNull(m, "statusCode");
                attempts.add(new Delivery.Attempt(Attr.instant(m, "at"), code == null ? null : code.intValue(),
                        Attr.str(m, "error"), Attr.num(m, "durationMs", 0)));
            }
        }
        Long ttl = Attr.numOrNull(item, Table.TTL);
        return new Delivery(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "endpointId"),
                Attr.str(item, "eventId"), Attr.str(item, "eventType"), Attr.str(item, "personalDataOf"),
                Delivery.Status.fromWire(Attr.str(item, "status")), attempts, (int) Attr.num(item, "attemptCount", 0),
                Attr.instant(item, "nextAttemptAt"), ttl == null ? null : Instant.ofEpochSecond(ttl));
    }
}
