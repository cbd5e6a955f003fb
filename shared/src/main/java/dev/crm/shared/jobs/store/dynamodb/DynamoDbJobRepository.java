package dev.crm.shared.jobs.store.dynamodb;

import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.IgnoreNullsMode;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link JobRepository} on the single table: one item per job (docs/data-model.md, "Jobs"), mapped
 * with a static schema.
 */
public final class DynamoDbJobRepository implements JobRepository {
    public static final String ENTITY = "JOB";

    /** A job item as the schema maps it; absent attributes are null. */
    static final class JobItem {
        String pk;
        String sk;
        String entity;
        String jobId;
        String jobKind;
        String tenantId;
        String status;
        Long done;
        Long total;
        Map<String, Object> input;
        Map<String, Object> result;
        String error;
        Map<String, Object> checkpoint;
        String leaseOwner;
        Long leaseUntil;
        Long handovers;
        Long failures;
        Long recoveries;
        /** The open-jobs index keys: present only while the job is queued or running. */
        String openJobsShard;
        Long dueBy;
        Instant createdAt;
        Instant updatedAt;
    }

    private static final EnhancedType<Map<String, Object>> DOCUMENT = Converters.DOCUMENT.type();

    /*
     * The schema lives in a holder class, so it is built when a request first needs it, not with the
     * repository (each attribute spins three lambda classes). For SnapStart, Infrastructure primes it
     * before the snapshot (buildSchema).
     */
    private static final class Schema {
        static final TableSchema<JobItem> SCHEMA = StaticTableSchema.builder(JobItem.class)
                .newItemSupplier(JobItem::new)
                .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                        .tags(StaticAttributeTags.primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                        .tags(StaticAttributeTags.primarySortKey()))
                .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
                .addAttribute(String.class, a -> a.name("jobId").getter(i -> i.jobId).setter((i, v) -> i.jobId = v))
                .addAttribute(String.class, a -> a.name("jobKind").getter(i -> i.jobKind).setter((i, v) -> i.jobKind = v))
                .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
                .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
                .addAttribute(Long.class, a -> a.name("done").getter(i -> i.done).setter((i, v) -> i.done = v))
                .addAttribute(Long.class, a -> a.name("total").getter(i -> i.total).setter((i, v) -> i.total = v))
                .addAttribute(DOCUMENT, a -> a.name("input").getter(i -> i.input).setter((i, v) -> i.input = v)
                        .attributeConverter(Converters.DOCUMENT))
                .addAttribute(DOCUMENT, a -> a.name("result").getter(i -> i.result).setter((i, v) -> i.result = v)
                        .attributeConverter(Converters.DOCUMENT))
                .addAttribute(String.class, a -> a.name("error").getter(i -> i.error).setter((i, v) -> i.error = v))
                .addAttribute(DOCUMENT, a -> a.name("checkpoint").getter(i -> i.checkpoint).setter((i, v) -> i.checkpoint = v)
                        .attributeConverter(Converters.DOCUMENT))
                .addAttribute(String.class, a -> a.name("leaseOwner").getter(i -> i.leaseOwner).setter((i, v) -> i.leaseOwner = v))
                .addAttribute(Long.class, a -> a.name("leaseUntil").getter(i -> i.leaseUntil).setter((i, v) -> i.leaseUntil = v))
                .addAttribute(Long.class, a -> a.name("handovers").getter(i -> i.handovers).setter((i, v) -> i.handovers = v))
                .addAttribute(Long.class, a -> a.name("failures").getter(i -> i.failures).setter((i, v) -> i.failures = v))
                .addAttribute(Long.class, a -> a.name("recoveries").getter(i -> i.recoveries).setter((i, v) -> i.recoveries = v))
                .addAttribute(String.class, a -> a.name(Table.OPEN_JOBS_PK).getter(i -> i.openJobsShard)
                        .setter((i, v) -> i.openJobsShard = v).tags(StaticAttributeTags.secondaryPartitionKey(Table.OPEN_JOBS)))
                .addAttribute(Long.class, a -> a.name(Table.OPEN_JOBS_SK).getter(i -> i.dueBy).setter((i, v) -> i.dueBy = v)
                        .tags(StaticAttributeTags.secondarySortKey(Table.OPEN_JOBS)))
                .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v)
                        .attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v)
                        .attributeConverter(Converters.INSTANT))
                .build();
    }

    private static final Expression MUST_BE_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final Table table;
    // Set on first use (see the schema); a race only builds the same immutable view twice.
    private DynamoDbTable<JobItem> items;
    private final Clock clock;

    public DynamoDbJobRepository(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Builds this store's schema now: SnapStart priming, so the snapshot holds it. */
    public static void buildSchema() {
        Objects.requireNonNull(Schema.SCHEMA);
    }

    private DynamoDbTable<JobItem> items() {
        if (items == null) {
            items = table.of(Schema.SCHEMA);
        }
        return items;
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

    private static Key key(JobRef ref) {
        return Key.builder().partitionValue(partition(ref)).sortValue(Keys.ITEM).build();
    }

    private static JobItem newItem(NewJob job, Instant now) {
        JobItem item = new JobItem();
        item.pk = partition(job.ref());
        item.sk = Keys.ITEM;
        item.entity = ENTITY;
        item.jobId = job.ref().id();
        item.jobKind = job.kind();
        item.tenantId = job.tenantId();
        item.status = Job.Status.QUEUED.wire();
        item.done = 0L;
        item.total = job.total();
        item.input = job.input();
        item.handovers = 0L;
        item.failures = 0L;
        item.recoveries = 0L;
        item.openJobsShard = Keys.openJobs(item.pk);
        item.dueBy = now.toEpochMilli();
        item.createdAt = now;
        item.updatedAt = now;
        return item;
    }

    /**
     * The put that creates a queued job, for another adapter's transaction (so a trigger and its job
     * are stored atomically: an erasure's mark and its job, say).
     */
    public static TransactWriteItem createItem(String tableName, NewJob job, Instant now) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                .item(Schema.SCHEMA.itemToMap(newItem(job, now), true))
                .conditionExpression(MUST_BE_NEW.expression()).build()).build();
    }

    @Override
    public Job create(NewJob job) {
        Instant now = clock.instant();
        try {
            items().putItem(PutItemEnhancedRequest.builder(JobItem.class).item(newItem(job, now))
                    .conditionExpression(MUST_BE_NEW).build());
        } catch (ConditionalCheckFailedException e) {
            throw new StoreException.UniqueViolation("jobId", job.ref().id());
        }
        return job.queuedAt(now);
    }

    @Override
    public Job find(JobRef ref) {
        JobItem item = items().getItem(GetItemEnhancedRequest.builder().key(key(ref)).consistentRead(true).build());
        return item == null || !ENTITY.equals(item.entity) ? null : fromItem(item);
    }

    /** Only the key and the attributes a partial update SETs; every other attribute stays as it is. */
    private static JobItem changes(JobRef ref) {
        JobItem item = new JobItem();
        item.pk = partition(ref);
        item.sk = Keys.ITEM;
        return item;
    }

    private JobItem update(JobItem changes, Expression condition) {
        return items().updateItem(UpdateItemEnhancedRequest.builder(JobItem.class).item(changes)
                .ignoreNullsMode(IgnoreNullsMode.MAPS_ONLY) // null attributes are left alone, documents SET whole
                .conditionExpression(condition).build());
    }

    /**
     * Takes the job if it is queued or its previous worker's lease ran out.
     *
     * @return the claimed job, or null when it is finished or another worker holds it
     */
    @Override
    public Job claim(JobRef ref, String owner, long leaseMillis) {
        long now = clock.millis();
        JobItem claim = changes(ref);
        claim.status = Job.Status.RUNNING.wire();
        claim.leaseOwner = owner;
        claim.leaseUntil = now + leaseMillis;
        // open while running (set again here so a job stored before the index existed joins it)
        claim.openJobsShard = Keys.openJobs(claim.pk);
        claim.dueBy = claim.leaseUntil;
        claim.updatedAt = clock.instant();
        try {
            return fromItem(update(claim, Expression.builder()
                    .expression("entity = :job AND (#s = :queued OR (#s = :running AND leaseUntil < :now))")
                    .putExpressionName("#s", "status")
                    .putExpressionValue(":job", Attr.s(ENTITY))
                    .putExpressionValue(":queued", Attr.s(Job.Status.QUEUED.wire()))
                    .putExpressionValue(":running", Attr.s(Job.Status.RUNNING.wire()))
                    .putExpressionValue(":now", Attr.n(now)).build()));
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    private static Expression heldBy(String owner) {
        return Expression.builder().expression("leaseOwner = :owner").putExpressionValue(":owner", Attr.s(owner)).build();
    }

    /** Records progress and the resume point; fails if the lease was lost. */
    @Override
    public void checkpoint(JobRef ref, String owner, long done, long total, Map<String, Object> checkpoint,
            long leaseMillis) {
        JobItem progress = changes(ref);
        progress.done = done;
        progress.total = total;
        progress.checkpoint = checkpoint;
        progress.leaseUntil = clock.millis() + leaseMillis;
        progress.dueBy = progress.leaseUntil;
        progress.openJobsShard = Keys.openJobs(progress.pk);
        progress.failures = 0L; // progress: the failures before it were not in a row
        progress.updatedAt = clock.instant();
        try {
            update(progress, heldBy(owner));
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLost();
        }
    }

    // handOver, complete, fail and the sweeper's writes stay on the low-level client: they REMOVE
    // attributes (the lease, the input, the open-jobs index keys) and increment counters, which the
    // Enhanced Client's update cannot express.

    /** Gives the job back as queued so the stream starts a fresh invocation that resumes it. */
    @Override
    public void handOver(JobRef ref, String owner) {
        Instant now = clock.instant();
        lowLevelUpdate(ref, owner, "SET #s = :queued, handovers = handovers + :one, updatedAt = :u, " + OPEN
                + " REMOVE leaseOwner, leaseUntil",
                open(ref, now, ":queued", Attr.s(Job.Status.QUEUED.wire()), ":one", Attr.n(1), ":u", Attr.instant(now)),
                Map.of("#s", "status"));
    }

    @Override
    public void handOverAfterFailure(JobRef ref, String owner) {
        Instant now = clock.instant();
        lowLevelUpdate(ref, owner, "SET #s = :queued, handovers = handovers + :one, failures = if_not_exists(failures, :zero) + :one, "
                + "updatedAt = :u, " + OPEN + " REMOVE leaseOwner, leaseUntil",
                open(ref, now, ":queued", Attr.s(Job.Status.QUEUED.wire()), ":one", Attr.n(1), ":zero", Attr.n(0),
                        ":u", Attr.instant(now)),
                Map.of("#s", "status"));
    }

    /** SETs the open-jobs index keys of a queued job: due at once. */
    private static final String OPEN = Table.OPEN_JOBS_PK + " = :shard, " + Table.OPEN_JOBS_SK + " = :due";
    /** REMOVEs the open-jobs index keys: a finished job leaves the index. */
    private static final String CLOSED = Table.OPEN_JOBS_PK + ", " + Table.OPEN_JOBS_SK;

    private static Map<String, AttributeValue> open(JobRef ref, Instant now, Object... kv) {
        Map<String, AttributeValue> v = values(kv);
        v.put(":shard", Attr.s(Keys.openJobs(partition(ref))));
        v.put(":due", Attr.n(now.toEpochMilli()));
        return v;
    }

    /**
     * Finishes the job with its result. The input and the checkpoint are removed: what a job worked
     * on (a contact being erased, say) must not outlive it.
     */
    @Override
    public void complete(JobRef ref, String owner, long done, long total, Map<String, Object> result) {
        lowLevelUpdate(ref, owner, "SET #s = :ok, #d = :d, #t = :t, #r = :r, updatedAt = :u REMOVE leaseOwner, leaseUntil, #c, #i, " + CLOSED,
                values(":ok", Attr.s(Job.Status.SUCCEEDED.wire()), ":d", Attr.n(done), ":t", Attr.n(total),
                        ":r", Attr.of(result), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#r", "result", "#d", "done", "#t", "total", "#c", "checkpoint", "#i", "input"));
    }

    @Override
    public void fail(JobRef ref, String owner, String error) {
        lowLevelUpdate(ref, owner, "SET #s = :failed, #e = :e, updatedAt = :u REMOVE leaseOwner, leaseUntil, " + CLOSED,
                values(":failed", Attr.s(Job.Status.FAILED.wire()), ":e", Attr.s(error), ":u", Attr.instant(clock.instant())),
                Map.of("#s", "status", "#e", "error"));
    }

    private void lowLevelUpdate(JobRef ref, String owner, String expression, Map<String, AttributeValue> values,
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

    @Override
    public List<JobRef> stalled(Instant dueBefore, int limit) {
        List<JobRef> out = new ArrayList<>();
        var index = items().index(Table.OPEN_JOBS);
        for (int shard = 0; shard < Keys.OPEN_JOB_SHARDS && out.size() < limit; shard++) {
            var due = QueryConditional.sortLessThan(Key.builder().partitionValue(Keys.openJobsShard(shard))
                    .sortValue(dueBefore.toEpochMilli()).build());
            int wanted = limit - out.size();
            index.query(QueryEnhancedRequest.builder().queryConditional(due).limit(Math.min(wanted, 100)).build())
                    .stream().flatMap(page -> page.items().stream()).limit(wanted)
                    .forEach(item -> out.add(ref(item.pk)));
        }
        return out;
    }

    /** Still open and still overdue when the write lands: a worker's claim or checkpoint in between wins. */
    private static final String STILL_STALLED = Table.OPEN_JOBS_SK + " < :before AND (#s = :queued OR #s = :running)";

    @Override
    public boolean requeueStalled(JobRef ref, Instant dueBefore) {
        Instant now = clock.instant();
        return stalledUpdate(ref, dueBefore, "SET #s = :queued, recoveries = if_not_exists(recoveries, :zero) + :one, "
                + "updatedAt = :u, " + OPEN + " REMOVE leaseOwner, leaseUntil",
                open(ref, now, ":one", Attr.n(1), ":zero", Attr.n(0), ":u", Attr.instant(now)), Map.of());
    }

    @Override
    public boolean failStalled(JobRef ref, Instant dueBefore, String error) {
        return stalledUpdate(ref, dueBefore, "SET #s = :failed, #e = :e, updatedAt = :u REMOVE leaseOwner, leaseUntil, " + CLOSED,
                values(":failed", Attr.s(Job.Status.FAILED.wire()), ":e", Attr.s(error), ":u", Attr.instant(clock.instant())),
                Map.of("#e", "error"));
    }

    private boolean stalledUpdate(JobRef ref, Instant dueBefore, String expression, Map<String, AttributeValue> values,
            Map<String, String> names) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":before", Attr.n(dueBefore.toEpochMilli()));
        v.put(":queued", Attr.s(Job.Status.QUEUED.wire()));
        v.put(":running", Attr.s(Job.Status.RUNNING.wire()));
        Map<String, String> n = new HashMap<>(names);
        n.put("#s", "status");
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Table.key(partition(ref), Keys.ITEM)).updateExpression(expression)
                    .conditionExpression(STILL_STALLED).expressionAttributeValues(v).expressionAttributeNames(n).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Map<String, AttributeValue> values(Object... kv) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (AttributeValue) kv[i + 1]);
        }
        return m;
    }

    /** A job from its stored item (the low-level form, for readers of raw items such as stream records). */
    public static Job fromItem(Map<String, AttributeValue> item) {
        return fromItem(Schema.SCHEMA.mapToItem(item));
    }

    private static Job fromItem(JobItem item) {
        Job.Status status = Job.Status.valueOf(item.status.toUpperCase(java.util.Locale.ROOT));
        return new Job(ref(item.pk), item.jobId, item.jobKind, item.tenantId, status, orZero(item.done),
                orZero(item.total), document(item.input), document(item.result), item.error, document(item.checkpoint),
                item.leaseOwner, orZero(item.leaseUntil), orZero(item.handovers), item.createdAt, item.updatedAt,
                orZero(item.failures), orZero(item.recoveries));
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    private static Map<String, Object> document(Map<String, Object> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }
}
