package dev.crm.shared.jobs.store.dynamodb;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.StoreException;
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

/** {@link JobRepository} on the single table: one item per job (docs/data-model.md, "Jobs"). */
public final class DynamoDbJobRepository implements JobRepository {
    public static final String ENTITY = "JOB";

    private final Table table;
    private final Clock clock;

    public DynamoDbJobRepository(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** The table's partition key of a job. */
    public static String partition(JobRef ref) {
        return ref.isOperators() ? Keys.operatorJob(ref.id()) : Keys.job(ref.tenant(), ref.id());
    }

    /** The job a job item's partition key names, or null when it names none. */
    public static JobRef ref(String pk) {
        if (pk == null) {
            return null;
        }
        if (pk.startsWith(Keys.operatorJob(""))) {
            return JobRef.operator(pk.substring(Keys.operatorJob("").length()));
        }
        int at = pk.indexOf("#JOB#");
        return at <= 0 ? null : JobRef.of(new dev.crm.shared.tenant.TenantId(pk.substring(0, at)), pk.substring(at + 5));
    }

    /**
     * The put that creates a queued job, for another adapter's transaction (so a trigger and its job
     * are stored atomically: an erasure's mark and its job, say).
     */
    public static TransactWriteItem createItem(String tableName, NewJob job, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.putAll(Table.key(partition(job.ref()), Keys.ITEM));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("jobId", Attr.s(job.ref().id()));
        item.put("jobKind", Attr.s(job.kind()));
        if (job.tenantId() != null) {
            item.put("tenantId", Attr.s(job.tenantId()));
        }
        item.put("status", Attr.s(Job.Status.QUEUED.wire()));
        item.put("done", Attr.n(0));
        item.put("total", Attr.n(job.total()));
        item.put("input", Attr.of(job.input()));
        item.put("handovers", Attr.n(0));
        item.put("createdAt", Attr.instant(now));
        item.put("updatedAt", Attr.instant(now));
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }

    @Override
    public Job create(NewJob job) {
        Instant now = clock.instant();
        try {
            table.transact(java.util.List.of(createItem(table.name(), job, now)));
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.UniqueViolation("jobId", job.ref().id());
            }
            throw f;
        }
        return new Job(job.ref(), job.ref().id(), job.kind(), job.tenantId(), Job.Status.QUEUED, 0, job.total(),
                job.input(), Map.of(), null, Map.of(), null, 0, 0, now, now);
    }

    @Override
    public Job find(JobRef ref) {
        Map<String, AttributeValue> item = table.get(partition(ref), Keys.ITEM);
        return item == null || !ENTITY.equals(Attr.str(item, Table.ENTITY)) ? null : fromItem(item);
    }

    /**
     * Takes the job if it is queued or its previous worker's lease ran out.
     *
     * @return the claimed job, or null when it is finished or another worker holds it
     */
    @Override
    public Job claim(JobRef ref, String owner, long leaseMillis) {
        String pk = partition(ref);
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
    @Override
    public void checkpoint(JobRef ref, String owner, long done, long total, Map<String, Object> checkpoint,
            long leaseMillis) {
        long now = clock.millis();
        update(ref, owner, "SET #d = :d, #t = :t, #c = :c, leaseUntil = :lu, updatedAt = :u",
                values(":d", Attr.n(done), ":t", Attr.n(total), ":c", Attr.of(checkpoint),
                        ":lu", Attr.n(now + leaseMillis), ":u", Attr.instant(clock.instant())),
                Map.of("#d", "done", "#t", "total", "#c", "checkpoint"));
    }

    /** Gives the job back as queued so the stream starts a fresh invocation that resumes it. */
    @Override
    public void handOver(JobRef ref, String owner) {
        update(ref, owner, "SET #s = :queued, handovers = handovers + :one, updatedAt = :u REMOVE leaseOwner, leaseUntil",
                values(":queued", Attr.s(Job.Status.QUEUED.wire()), ":one", Attr.n(1), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status"));
    }

    /**
     * Finishes the job with its result. The input and the checkpoint are removed: what a job worked
     * on (a contact being erased, say) must not outlive it.
     */
    @Override
    public void complete(JobRef ref, String owner, long done, long total, Map<String, Object> result) {
        update(ref, owner, "SET #s = :ok, #d = :d, #t = :t, #r = :r, updatedAt = :u REMOVE leaseOwner, leaseUntil, #c, #i",
                values(":ok", Attr.s(Job.Status.SUCCEEDED.wire()), ":d", Attr.n(done), ":t", Attr.n(total),
                        ":r", Attr.of(result), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#r", "result", "#d", "done", "#t", "total", "#c", "checkpoint", "#i", "input"));
    }

    @Override
    public void fail(JobRef ref, String owner, String error) {
        update(ref, owner, "SET #s = :failed, #e = :e, updatedAt = :u REMOVE leaseOwner, leaseUntil",
                values(":failed", Attr.s(Job.Status.FAILED.wire()), ":e", Attr.s(error), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#e", "error"));
    }

    private void update(JobRef ref, String owner, String expression, Map<String, AttributeValue> values,
            Map<String, String> names) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":owner", Attr.s(owner));
        var b = UpdateItemRequest.builder().tableName(table.name()).key(Table.key(partition(ref), Keys.ITEM))
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

    static Map<String, AttributeValue> values(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        }
        return m;
    }

    public static Job fromItem(Map<String, AttributeValue> item) {
        Job.Status status = Job.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT));
        return new Job(ref(Attr.str(item, Table.PK)), Attr.str(item, "jobId"), Attr.str(item, "jobKind"),
                Attr.str(item, "tenantId"), status, Attr.num(item, "done", 0), Attr.num(item, "total", 0),
                Attr.map(item, "input"), Attr.map(item, "result"), Attr.str(item, "error"),
                Attr.map(item, "checkpoint"), Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0),
                Attr.num(item, "handovers", 0), Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"));
    }
}
