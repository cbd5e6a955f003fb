package dev.crm.shared.jobs;

import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Job items. A job is claimed with a lease (one worker at a time), checkpointed after each chunk,
 * and handed over by setting it back to {@code queued}: that write is what the table's stream
 * delivers to the next worker invocation (see docs/architecture.md, "Jobs").
 */
public final class JobRepository {
    public static final String ENTITY = "JOB";

    private final Table table;
    private final Clock clock;

    public JobRepository(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** The put that creates a queued job, for a caller's transaction (so the trigger and its job are atomic). */
    public TransactWriteItem createItem(String pk, String id, String kind, String tenantId, Map<String, Object> input,
            long total) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.putAll(Table.key(pk, Keys.ITEM));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("jobId", Attr.s(id));
        item.put("jobKind", Attr.s(kind));
        if (tenantId != null) {
            item.put("tenantId", Attr.s(tenantId));
        }
        item.put("status", Attr.s(Job.Status.QUEUED.wire()));
        item.put("done", Attr.n(0));
        item.put("total", Attr.n(total));
        item.put("input", Attr.of(input == null ? Map.of() : input));
        item.put("handovers", Attr.n(0));
        item.put("createdAt", Attr.instant(now));
        item.put("updatedAt", Attr.instant(now));
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }

    public void create(String pk, String id, String kind, String tenantId, Map<String, Object> input, long total) {
        table.transact(java.util.List.of(createItem(pk, id, kind, tenantId, input, total)));
    }

    public Job find(String pk) {
        Map<String, AttributeValue> item = table.get(pk, Keys.ITEM);
        return item == null || !ENTITY.equals(Attr.str(item, Table.ENTITY)) ? null : fromItem(item);
    }

    /**
     * Takes the job if it is queued or its previous worker's lease ran out.
     *
     * @return the claimed job, or null when it is finished or another worker holds it
     */
    public Job claim(String pk, String owner, long leaseMillis) {
        long now = clock.millis();
        try {
            var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Table.key(pk, Keys.ITEM))
                    .updateExpression("SET #s = :running, leaseOwner = :o, leaseUntil = :lu, updatedAt = :u")
                    .conditionExpression("entity = :job AND (#s = :queued OR (#s = :running AND leaseUntil < :now))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values(
                            ":running", Attr.s(Job.Status.RUNNING.wire()), ":queued", Attr.s(Job.Status.QUEUED.wire()),
                            ":o", Attr.s(owner), ":lu", Attr.n(now + leaseMillis), ":now", Attr.n(now),
                            ":u", Attr.instant(clock.instant()), ":job", Attr.s(ENTITY)))
                    .returnValues(ReturnValue.ALL_NEW).build());
            return fromItem(r.attributes());
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    /** Records progress and the resume point; fails if the lease was lost. */
    public void checkpoint(String pk, String owner, long done, long total, Map<String, Object> checkpoint,
            long leaseMillis) {
        long now = clock.millis();
        update(pk, owner, "SET #d = :d, #t = :t, #c = :c, leaseUntil = :lu, updatedAt = :u",
                values(":d", Attr.n(done), ":t", Attr.n(total), ":c", Attr.of(checkpoint),
                        ":lu", Attr.n(now + leaseMillis), ":u", Attr.instant(clock.instant())),
                Map.of("#d", "done", "#t", "total", "#c", "checkpoint"));
    }

    /** Gives the job back as queued so the stream starts a fresh invocation that resumes it. */
    public void handOver(String pk, String owner) {
        update(pk, owner, "SET #s = :queued, handovers = handovers + :one, updatedAt = :u REMOVE leaseOwner, leaseUntil",
                values(":queued", Attr.s(Job.Status.QUEUED.wire()), ":one", Attr.n(1), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status"));
    }

    /**
     * Finishes the job with its result. The input and the checkpoint are removed: what a job worked
     * on (a contact being erased, say) must not outlive it.
     */
    public void complete(String pk, String owner, long done, long total, Map<String, Object> result) {
        update(pk, owner, "SET #s = :ok, #d = :d, #t = :t, #r = :r, updatedAt = :u REMOVE leaseOwner, leaseUntil, #c, #i",
                values(":ok", Attr.s(Job.Status.SUCCEEDED.wire()), ":d", Attr.n(done), ":t", Attr.n(total),
                        ":r", Attr.of(result), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#r", "result", "#d", "done", "#t", "total", "#c", "checkpoint", "#i", "input"));
    }

    public void fail(String pk, String owner, String error) {
        update(pk, owner, "SET #s = :failed, #e = :e, updatedAt = :u REMOVE leaseOwner, leaseUntil",
                values(":failed", Attr.s(Job.Status.FAILED.wire()), ":e", Attr.s(error), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#e", "error"));
    }

    private void update(String pk, String owner, String expression, Map<String, AttributeValue> values,
            Map<String, String> names) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":owner", Attr.s(owner));
        var b = UpdateItemRequest.builder().tableName(table.name()).key(Table.key(pk, Keys.ITEM))
                .updateExpression(expression)
                .conditionExpression("leaseOwner = :owner")
                .expressionAttributeValues(v);
        if (!names.isEmpty()) {
            b.expressionAttributeNames(names);
        }
        try {
            table.client().updateItem(b.build());
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLost();
        }
    }

    /** Another worker took the job over (our lease expired): stop without writing anything more. */
    public static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LeaseLost() {
            super("job lease lost", null, false, false);
        }
    }

    static Map<String, AttributeValue> values(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        }
        return m;
    }

    public static Job fromItem(Map<String, AttributeValue> item) {
        Job.Status status = Job.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT));
        return new Job(Attr.str(item, Table.PK), Attr.str(item, "jobId"), Attr.str(item, "jobKind"),
                Attr.str(item, "tenantId"), status, Attr.num(item, "done", 0), Attr.num(item, "total", 0),
                Attr.map(item, "input"), Attr.map(item, "result"), Attr.str(item, "error"),
                Attr.map(item, "checkpoint"), Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0),
                Attr.num(item, "handovers", 0), Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"));
    }
}
