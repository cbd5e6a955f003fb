package dev.crm.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.FilterPattern;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.StreamRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB event source mapping, locally: reads the table's stream from DynamoDB Local and
 * invokes each function whose template FilterCriteria match a record, in batches as Lambda forms them:
 * up to the event's {@code BatchSize} records, in stream order, one batch of a function at a time (so
 * records of a partition key stay in order), the next batch taking what accumulated meanwhile. A failed
 * batch is retried as Lambda retries it: whole, or from the record the function reported failed
 * ({@code ReportBatchItemFailures}), or split in two halves ({@code BisectBatchOnFunctionError}), up to
 * {@code MaximumRetryAttempts}, then given up (on AWS: to the on-failure destination). Supports the
 * filter syntax the template uses, matched by devkit's {@code FilterPattern} (exact values, prefix,
 * exists, anything-but).
 */
final class StreamPump implements AutoCloseable {
    record Subscription(String functionId, String eventName, List<Map<String, Object>> patterns,
            int maxRetries, long timeoutMillis, int batchSize, boolean reportsItemFailures, boolean bisects) {}

    private final DynamoDbStreamsClient streams;
    private final DynamoDbClient dynamo;
    private final String table;
    private final Functions functions;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Map<String, String> iterators = new ConcurrentHashMap<>();
    /** Each subscription's records not yet delivered, in stream order, and the one thread delivering them. */
    private final Map<Subscription, BlockingQueue<DynamodbEvent.DynamodbStreamRecord>> pending = new ConcurrentHashMap<>();
    private final List<Thread> lanes = new ArrayList<>();
    private static final long MIN_IDLE_MILLIS = 10;
    private static final long MAX_IDLE_MILLIS = 100;
    private volatile boolean running = true;
    private Thread poller;
    private final MovableClock clock;
    /** For {@link #awaitQuiet}: records handed to functions, records not yet done, passes that found nothing. */
    private final java.util.concurrent.atomic.AtomicLong dispatched = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong emptyPasses = new java.util.concurrent.atomic.AtomicLong();
    /** For the banner: stream records read, and the function invocations they made. */
    private final java.util.concurrent.atomic.AtomicLong recordsRead = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong invocations = new java.util.concurrent.atomic.AtomicLong();

    StreamPump(SamTemplate template, Functions functions, DynamoDbClient dynamo, DynamoDbStreamsClient streams,
            String table, MovableClock clock) {
        this.clock = clock;
        this.functions = functions;
        this.dynamo = dynamo;
        this.streams = streams;
        this.table = table;
        for (SamTemplate.Function f : template.functions()) {
            Number timeout = (Number) f.properties().getOrDefault("Timeout", 29);
            for (var ev : f.events().entrySet()) {
                if (!"DynamoDB".equals(ev.getValue().get("Type"))) {
                    continue;
                }
                Map<String, Object> p = SamTemplate.map(ev.getValue().get("Properties"));
                List<Map<String, Object>> patterns = FilterPattern.patternsOf(p);
                // Lambda's defaults for a DynamoDB event source: retries until the record expires (-1),
                // batches of 100, no item failures reported, no bisecting
                Number retries = (Number) p.getOrDefault("MaximumRetryAttempts", -1);
                Number batchSize = (Number) p.getOrDefault("BatchSize", 100);
                boolean reports = SamTemplate.list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
                boolean bisects = Boolean.TRUE.equals(p.get("BisectBatchOnFunctionError"));
                Subscription s = new Subscription(f.logicalId(), ev.getKey(), patterns,
                        retries.intValue() < 0 ? Integer.MAX_VALUE : retries.intValue(), timeout.longValue() * 1000,
                        Math.max(1, batchSize.intValue()), reports, bisects);
                subscriptions.add(s);
                pending.put(s, new LinkedBlockingQueue<>());
                Thread lane = new Thread(() -> deliverInBatches(s), "stream-" + f.logicalId() + "." + ev.getKey());
                lane.setDaemon(true);
                lanes.add(lane);
            }
        }
    }

    List<String> subscriptionNames() {
        return subscriptions.stream().map(s -> s.functionId() + "." + s.eventName()).toList();
    }

    void start() {
        String arn = dynamo.describeTable(DescribeTableRequest.builder().tableName(table).build()).table().latestStreamArn();
        if (arn == null || subscriptions.isEmpty()) {
            return;
        }
        // Records from before this start are not replayed (StartingPosition: LATEST).
        for (Shard shard : shards(arn)) {
            iterators.put(shard.shardId(), iterator(arn, shard.shardId(), ShardIteratorType.LATEST));
        }
        lanes.forEach(Thread::start);
        poller = new Thread(() -> poll(arn), "stream-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private List<Shard> shards(String arn) {
        return streams.describeStream(DescribeStreamRequest.builder().streamArn(arn).build()).streamDescription().shards();
    }

    private String iterator(String arn, String shardId, ShardIteratorType type) {
        return streams.getShardIterator(GetShardIteratorRequest.builder().streamArn(arn).shardId(shardId)
                .shardIteratorType(type).build()).shardIterator();
    }

    private void poll(String arn) {
        long lastDescribe = 0;
        // an idle stream is looked at less and less often, up to every 100 ms; records found make the
        // next look immediate and the next idle wait short (a job's step or an answer's record is
        // picked up in ~10 ms instead of up to 100 ms, at a few empty reads more after each burst)
        long idleMillis = MIN_IDLE_MILLIS;
        while (running) {
            try {
                if (System.currentTimeMillis() - lastDescribe > 2000) {
                    for (Shard shard : shards(arn)) {
                        iterators.computeIfAbsent(shard.shardId(), id -> iterator(arn, id, ShardIteratorType.TRIM_HORIZON));
                    }
                    lastDescribe = System.currentTimeMillis();
                }
                boolean any = false;
                for (var e : new ArrayList<>(iterators.entrySet())) {
                    if (e.getValue() == null) {
                        continue;
                    }
                    var r = streams.getRecords(GetRecordsRequest.builder().shardIterator(e.getValue()).limit(1000).build());
                    for (Record record : r.records()) {
                        recordsRead.incrementAndGet();
                        dispatch(record);
                        any = true;
                    }
                    if (r.nextShardIterator() == null) {
                        iterators.put(e.getKey(), null);
                    } else {
                        iterators.put(e.getKey(), r.nextShardIterator());
                    }
                }
                if (!any) {
                    emptyPasses.incrementAndGet();
                    Thread.sleep(idleMillis);
                    idleMillis = Math.min(MAX_IDLE_MILLIS, idleMillis * 2);
                } else {
                    idleMillis = MIN_IDLE_MILLIS;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("stream poller: " + e.getClass().getSimpleName() + "; retrying");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void dispatch(Record record) {
        Map<String, Object> view = view(record);
        DynamodbEvent.DynamodbStreamRecord converted = null;
        for (Subscription s : subscriptions) {
            if (!FilterPattern.admits(s.patterns(), view)) {
                continue;
            }
            if (converted == null) {
                converted = toRecord(record, clock.offset());
            }
            dispatched.incrementAndGet();
            inFlight.incrementAndGet();
            pending.get(s).add(converted);
        }
    }

    /** A subscription's lane: one batch at a time, each of what accumulated, up to the batch size. */
    private void deliverInBatches(Subscription s) {
        BlockingQueue<DynamodbEvent.DynamodbStreamRecord> queue = pending.get(s);
        while (running) {
            List<DynamodbEvent.DynamodbStreamRecord> batch = new ArrayList<>(s.batchSize());
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, s.batchSize() - 1);
            try {
                deliver(s, batch, 0);
            } finally {
                inFlight.addAndGet(-batch.size());
            }
        }
    }

    /**
     * Waits until the stream is drained: no record being processed, and two whole polling passes
     * since found nothing new (a record written by the last run is seen by the next pass).
     *
     * @return false when {@code timeout} passed first
     */
    boolean awaitQuiet(java.time.Duration timeout) throws InterruptedException {
        if (poller == null) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (inFlight.get() > 0) {
                Thread.sleep(10);
                continue;
            }
            long d = dispatched.get();
            long passes = emptyPasses.get();
            while (emptyPasses.get() < passes + 2 && System.nanoTime() < deadline && poller.isAlive()) {
                Thread.sleep(10);
            }
            if (inFlight.get() == 0 && dispatched.get() == d) {
                return true;
            }
        }
        return false;
    }

    /** What the stream did so far, for the banner. */
    String deliveries() {
        return "stream: " + recordsRead.get() + " records read, " + dispatched.get() + " handed to functions, "
                + invocations.get() + " invocations";
    }

    private void deliver(Subscription s, List<DynamodbEvent.DynamodbStreamRecord> batch, int attempt) {
        deliver(s, batch, attempt, b -> {
            invocations.incrementAndGet();
            return functions.invoke(s.functionId(), event(b), LambdaContext.local(s.functionId(), s.timeoutMillis()));
        }, a -> running && backOff(a));
    }

    /**
     * Delivers one batch until it succeeds or its retries are spent, as Lambda does; a batch of a
     * function that is down (a crash drill) is given up at once. {@code backOff} waits before a retry
     * and answers whether to go on.
     */
    static void deliver(Subscription s, List<DynamodbEvent.DynamodbStreamRecord> batch, int attempt,
            java.util.function.Function<List<DynamodbEvent.DynamodbStreamRecord>, Object> invoke,
            java.util.function.IntPredicate backOff) {
        while (true) {
            try {
                Object result = invoke.apply(batch);
                int failedFrom = s.reportsItemFailures() ? failedFrom(result, batch) : -1;
                if (failedFrom < 0) {
                    return;
                }
                // the records before the failed one are done; the batch is retried from it
                batch = batch.subList(failedFrom, batch.size());
                System.err.println(s.functionId() + " reported a stream record failed (attempt " + (attempt + 1) + ")");
            } catch (Functions.FunctionDown e) {
                // A crash drill: the batch is given up at once, as Lambda gives up records whose
                // retries all failed (on AWS they go to the on-failure queue). What they started must
                // be recovered from the table, not from the stream.
                System.err.println(s.functionId() + " is down: " + batch.size() + " stream record(s) dropped");
                return;
            } catch (RuntimeException e) {
                System.err.println(s.functionId() + " failed on a batch of " + batch.size() + " stream record(s) (attempt "
                        + (attempt + 1) + "): " + e.getClass().getSimpleName());
                if (s.bisects() && batch.size() > 1 && attempt < s.maxRetries()) {
                    if (!backOff.test(attempt)) {
                        return;
                    }
                    int half = batch.size() / 2;
                    deliver(s, batch.subList(0, half), attempt + 1, invoke, backOff);
                    deliver(s, batch.subList(half, batch.size()), attempt + 1, invoke, backOff);
                    return;
                }
            }
            if (attempt >= s.maxRetries()) {
                System.err.println(s.functionId() + ": retries spent, " + batch.size() + " stream record(s) given up");
                return;
            }
            if (!backOff.test(attempt)) {
                return;
            }
            attempt++;
        }
    }

    private static boolean backOff(int attempt) {
        try {
            Thread.sleep(Math.min(10_000, 200L << Math.min(attempt, 6)));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Where Lambda retries a batch whose function reported item failures: from the earliest reported
     * record (by sequence number); from the start when an identifier names no record of the batch;
     * -1 when none failed.
     */
    static int failedFrom(Object result, List<DynamodbEvent.DynamodbStreamRecord> batch) {
        if (!(result instanceof com.amazonaws.services.lambda.runtime.events.StreamsEventResponse r)
                || r.getBatchItemFailures() == null || r.getBatchItemFailures().isEmpty()) {
            return -1;
        }
        int from = batch.size();
        for (var failure : r.getBatchItemFailures()) {
            int at = -1;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).getDynamodb().getSequenceNumber().equals(failure.getItemIdentifier())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return 0;
            }
            from = Math.min(from, at);
        }
        return from;
    }

    private static DynamodbEvent event(List<DynamodbEvent.DynamodbStreamRecord> batch) {
        var e = new DynamodbEvent();
        e.setRecords(new ArrayList<>(batch));
        return e;
    }

    /** The record as Lambda's filter sees it: {"eventName", "dynamodb": {"Keys", "NewImage"}} in wire form. */
    private static Map<String, Object> view(Record record) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("Keys", wire(record.dynamodb().keys()));
        if (record.dynamodb().hasNewImage()) {
            dynamodb.put("NewImage", wire(record.dynamodb().newImage()));
        }
        if (record.dynamodb().hasOldImage()) {
            dynamodb.put("OldImage", wire(record.dynamodb().oldImage()));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("eventName", record.eventNameAsString());
        view.put("dynamodb", dynamodb);
        return view;
    }

    private static Map<String, Object> wire(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> {
            Map<String, Object> typed = new LinkedHashMap<>();
            if (v.s() != null) {
                typed.put("S", v.s());
            } else if (v.n() != null) {
                typed.put("N", v.n());
            } else if (v.bool() != null) {
                typed.put("BOOL", v.bool());
            }
            out.put(k, typed);
        });
        return out;
    }

    /**
     * The record as Lambda delivers it; its creation time is DynamoDB Local's wall clock moved by the
     * runner's clock offset, so an event's time agrees with the instants the functions wrote.
     */
    static DynamodbEvent.DynamodbStreamRecord toRecord(Record record, java.time.Duration offset) {
        var sr = new StreamRecord();
        sr.setKeys(StreamRecords.convert(record.dynamodb().keys()));
        if (record.dynamodb().hasNewImage()) {
            sr.setNewImage(StreamRecords.convert(record.dynamodb().newImage()));
        }
        if (record.dynamodb().hasOldImage()) {
            sr.setOldImage(StreamRecords.convert(record.dynamodb().oldImage()));
        }
        if (record.dynamodb().approximateCreationDateTime() != null) {
            sr.setApproximateCreationDateTime(java.util.Date.from(record.dynamodb().approximateCreationDateTime().plus(offset)));
        }
        sr.setSequenceNumber(record.dynamodb().sequenceNumber());
        sr.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(record.dynamodb().streamViewTypeAsString()));
        var r = new DynamodbEvent.DynamodbStreamRecord();
        r.setEventName(record.eventNameAsString());
        r.setEventID(record.eventID());
        r.setEventSource("aws:dynamodb");
        r.setDynamodb(sr);
        return r;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        lanes.forEach(Thread::interrupt);
    }
}
