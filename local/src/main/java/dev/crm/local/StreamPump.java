package dev.crm.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.crm.shared.json.Json;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.StreamRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * invokes each function whose template FilterCriteria match a record (batch size 1, retried like
 * Lambda retries a failed batch). Supports the filter syntax the template uses: nested objects and
 * lists of exact values.
 */
final class StreamPump implements AutoCloseable {
    private record Subscription(String functionId, String eventName, List<Map<String, Object>> patterns,
            int maxRetries, long timeoutMillis) {}

    private final DynamoDbStreamsClient streams;
    private final DynamoDbClient dynamo;
    private final String table;
    private final Functions functions;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Map<String, String> iterators = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> workers = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread poller;
    private final MovableClock clock;
    /** For {@link #awaitQuiet}: records handed to functions, their runs not finished, passes that found nothing. */
    private final java.util.concurrent.atomic.AtomicLong dispatched = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong emptyPasses = new java.util.concurrent.atomic.AtomicLong();

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
                List<Map<String, Object>> patterns = new ArrayList<>();
                for (Object filter : SamTemplate.list(SamTemplate.map(p.get("FilterCriteria")).get("Filters"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> pattern = (Map<String, Object>) Json.parse(String.valueOf(SamTemplate.map(filter).get("Pattern")));
                    patterns.add(pattern);
                }
                Number retries = (Number) p.getOrDefault("MaximumRetryAttempts", 3);
                subscriptions.add(new Subscription(f.logicalId(), ev.getKey(), patterns, retries.intValue(),
                        timeout.longValue() * 1000));
                workers.computeIfAbsent(f.logicalId(), k -> Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "stream-" + k);
                    t.setDaemon(true);
                    return t;
                }));
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
                    var r = streams.getRecords(GetRecordsRequest.builder().shardIterator(e.getValue()).limit(100).build());
                    for (Record record : r.records()) {
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
                    Thread.sleep(100);
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
        for (Subscription s : subscriptions) {
            if (!matchesAny(s.patterns(), view)) {
                continue;
            }
            DynamodbEvent event = toEvent(record, clock.offset());
            dispatched.incrementAndGet();
            inFlight.incrementAndGet();
            workers.get(s.functionId()).submit(() -> {
                try {
                    deliver(s, event);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
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

    private void deliver(Subscription s, DynamodbEvent event) {
        for (int attempt = 0; attempt <= s.maxRetries() && running; attempt++) {
            try {
                Object result = functions.invoke(s.functionId(), event, LambdaContext.local(s.functionId(), s.timeoutMillis()));
                if (result instanceof com.amazonaws.services.lambda.runtime.events.StreamsEventResponse r
                        && r.getBatchItemFailures() != null && !r.getBatchItemFailures().isEmpty()) {
                    // ReportBatchItemFailures: the record failed; Lambda would retry from it
                    throw new IllegalStateException("the function reported the record as failed");
                }
                return;
            } catch (Functions.FunctionDown e) {
                // A crash drill: the record is given up at once, as Lambda gives up a record whose
                // retries all failed (on AWS it goes to the on-failure queue). What it started must
                // be recovered from the table, not from the stream.
                System.err.println(s.functionId() + " is down: a stream record is dropped");
                return;
            } catch (RuntimeException e) {
                System.err.println(s.functionId() + " failed on a stream record (attempt " + (attempt + 1)
                        + "): " + e.getClass().getSimpleName());
                try {
                    Thread.sleep(Math.min(10_000, 200L << attempt));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    static boolean matchesAny(List<Map<String, Object>> patterns, Map<String, Object> event) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (Map<String, Object> p : patterns) {
            if (matches(p, event)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(Map<String, Object> pattern, Map<String, Object> event) {
        for (var e : pattern.entrySet()) {
            Object actual = event.get(e.getKey());
            Object expected = e.getValue();
            if (expected instanceof Map<?, ?> sub) {
                if (!(actual instanceof Map<?, ?> a)) {
                    return false;
                }
                @SuppressWarnings("unchecked")
                boolean ok = matches((Map<String, Object>) sub, (Map<String, Object>) a);
                if (!ok) {
                    return false;
                }
            } else if (expected instanceof List<?> values) {
                if (actual == null || !values.contains(actual)) {
                    return false;
                }
            } else if (!String.valueOf(expected).equals(String.valueOf(actual))) {
                return false;
            }
        }
        return true;
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
    static DynamodbEvent toEvent(Record record, java.time.Duration offset) {
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
        var e = new DynamodbEvent();
        e.setRecords(List.of(r));
        return e;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
        workers.values().forEach(ExecutorService::shutdownNow);
    }
}
