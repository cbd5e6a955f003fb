package dev.crm.bench.churn;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.bench.Fixtures;
import dev.crm.bench.InProcess;
import dev.crm.bench.Preparations;
import dev.crm.bench.Project;
import dev.crm.bench.Quiet;
import dev.crm.bench.warm.WarmMain;
import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.BgNbdSimulator;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Tenant;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The churn job at scale, in a JVM of its own started by the harness (with the template's
 * JAVA_TOOL_OPTIONS, as the ChurnRunsFunction runs; its classpath is the harness's plus the churn-alerts
 * artifact), against the harness's DynamoDB Local server, in a table of its own. Writes JSON to
 * {@code --out}.
 *
 * <ol>
 *   <li>Unless {@code --customers 0}: one tenant with that many customers, each a contact profile and a
 *       purchase summary in the product's item format ({@link TestHistories}, the format the contacts
 *       function writes; GSI1 {@code {t}#SUMMARIES#{shard}}), simulated from a BG/NBD process as the
 *       churn tests do. Then, timed: a raw parallel Scan of the table reading as many items, the same
 *       read the run makes (Query of the eight summary shards on GSI1, pages of 1,000) made raw, as many
 *       score-sized items written raw (BatchWriteItem, 25 each; on one thread, then on as many threads as the
 *       run's score steps write on), and a real churn run: {@code POST /v1/churn-runs} through the ChurnAlertsFunction handler, then the
 *       ChurnRunsFunction worker on the job's stream event, given a context with time to spare. The first
 *       invocation is given time for one step only, so it claims the job, runs the "fit" step (reads every
 *       summary, fits both models), checkpoints and hands the job back, as a Lambda near its timeout
 *       would; the second runs every "score" step to the end. The table is deleted afterwards.</li>
 *   <li>Unless {@code --model-customers 0}: {@link ModelScale} on that many simulated customers.</li>
 * </ol>
 */
public final class ChurnMain {
    static final String TABLE = "BenchChurn";
    static final int SCAN_SEGMENTS = 4;
    static final int WRITERS = 4;
    /** The raw writes made as the run's score steps write (ChurnRunWorker's step writers). */
    static final int PARALLEL_WRITERS = 4;
    static final String RUN_PLACEHOLDER = "run_example0000000000000";

    private ChurnMain() {}

    private static void progress(String s) {
        System.err.println("[bench] " + s);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int customers = Integer.parseInt(o.getOrDefault("customers", "100000"));
        int modelCustomers = Integer.parseInt(o.getOrDefault("model-customers", "10000000"));
        long quietWait = Long.parseLong(o.getOrDefault("quiet-wait", "20000"));
        Log.sink(line -> { });
        dev.crm.shared.metrics.Metrics.sink(line -> { }); // the in-process handlers' EMF documents

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("javaToolOptions", String.valueOf(System.getenv("JAVA_TOOL_OPTIONS")));
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        result.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        if (customers > 0) {
            Project project = new Project(Path.of(o.get("root")));
            if (o.containsKey("artifacts")) {
                project.freezeArtifacts(Path.of(o.get("artifacts")));
            }
            result.put("dynamodb", dynamodb(project, o.get("endpoint"), customers, quietWait));
        }
        if (modelCustomers > 0) {
            System.gc();
            Quiet.await(quietWait);
            result.put("model", ModelScale.runJson(modelCustomers, ChurnMain::progress));
        }
        result.put("busyStarts", Quiet.busyStarts());
        Files.writeString(Path.of(o.get("out")), Json.write(result));
        System.exit(0);
    }

    private static Project.Sample sample(Project project, String name) {
        return project.samples().stream().filter(s -> s.name().equals(name) && s.functionId() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no sample " + name + " for a function of the template"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dynamodb(Project project, String endpoint, int customers, long quietWait) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        DynamoDbClient admin = WarmMain.client(endpoint, null);
        LocalDynamoDb.createTable(admin, project.template(), TABLE);
        // No stream on this table: the worker is invoked directly here, and DynamoDB Local appends a stream
        // record under one global SQLite lock per write, which slowed 200,000 setup writes from ~360 a second
        // to ~13 (a run stalled on it). DynamoDB itself writes stream records off the request path.
        admin.updateTable(b -> b.tableName(TABLE).streamSpecification(s -> s.streamEnabled(false)));
        try {
            Settings settings = WarmMain.settings(project, endpoint, TABLE);
            OperationCounter ops = new OperationCounter();
            // the product's own client, with a counter of its calls added
            DynamoDbClient client = DynamoDbClients.builder(settings, c -> c.addExecutionInterceptor(ops)).build();
            Infrastructure infra = new Infrastructure(settings, Clock.systemUTC(), client);
            InProcess handlers = new InProcess(project, infra);
            Project.Sample create = sample(project, "churn-alerts/create-churn-run.json");
            Project.Sample queued = sample(project, "churn-alerts/churn-run-queued.json");
            Project.Sample get = sample(project, "churn-alerts/get-churn-run.json");
            for (Project.Sample s : List.of(create, queued)) {
                if (!handlers.available(s.functionId())) {
                    throw new IllegalStateException(s.functionId() + " cannot be loaded: build functions/churn-alerts first");
                }
            }

            Fixtures.Fixture f = Fixtures.create(infra);
            Tenant tenant = infra.tenants().find(f.tenant());
            LocalDate today = LocalDate.now(Clock.system(tenant.settings().zone()));
            List<TestHistories.Customer> list = simulate(customers, 42, today, tenant.settings().defaultCurrency());
            progress(String.format("churn: writing %,d customers (a contact and a purchase summary each)", customers));
            long t0 = System.nanoTime();
            write(new Table(admin, TABLE), f, list, infra.clock().instant());
            out.put("customers", customers);
            out.put("setupSeconds", (System.nanoTime() - t0) / 1e9);
            out.put("tableItems", 2L * customers + 3);
            List<String> contactIds = list.stream().map(TestHistories.Customer::contactId).toList();
            list = null;

            // the raw references, in the same run, on the same table
            DynamoDbClient raw = rawClient(endpoint);
            Quiet.await(quietWait);
            progress("churn: raw parallel Scan");
            out.put("rawScan", parallelScan(raw, SCAN_SEGMENTS, customers));
            Quiet.await(quietWait);
            progress("churn: raw Query of the summary shards");
            out.put("rawQuery", shardQueries(raw, f));
            Quiet.await(quietWait);
            progress("churn: raw BatchWriteItem of as many score-sized items");
            out.put("rawWrites", scoreWrites(raw, f, contactIds, 1, "A#BENCHSCORE"));
            Quiet.await(quietWait);
            progress("churn: raw BatchWriteItem of as many score-sized items, " + PARALLEL_WRITERS + " threads");
            out.put("rawWritesParallel", scoreWrites(raw, f, contactIds, PARALLEL_WRITERS, "A#BENCHSCORE2"));

            // the run
            Quiet.await(quietWait);
            progress("churn: POST /v1/churn-runs");
            ops.drain();
            long p0 = System.nanoTime();
            Object response = handlers.invoke(create.functionId(),
                    handlers.event(create.functionId(), Fixtures.apply(Preparations.text(create), f)), new LambdaContext());
            long p1 = System.nanoTime();
            String status = InProcess.status(response);
            String location = response instanceof APIGatewayProxyResponseEvent r && r.getHeaders() != null
                    ? r.getHeaders().get("Location") : null;
            if (!"202".equals(status) || location == null) {
                throw new IllegalStateException("POST /v1/churn-runs answered " + status);
            }
            out.put("postMs", (p1 - p0) / 1e6);
            out.put("postCalls", ops.drain());
            f.extra().put(RUN_PLACEHOLDER, location.substring(location.lastIndexOf('/') + 1));
            String queuedText = Fixtures.apply(Preparations.text(queued), f);

            progress("churn: worker, first invocation (fit step, then hand-over)");
            AtomicInteger checks = new AtomicInteger();
            Object event = handlers.event(queued.functionId(), queuedText);
            long w0 = System.nanoTime();
            handlers.invoke(queued.functionId(), event, new LambdaContext(() -> checks.getAndIncrement() == 0 ? 900_000 : 0));
            long w1 = System.nanoTime();
            out.put("fitInvocationSeconds", (w1 - w0) / 1e9);
            out.put("fitCalls", ops.drain());
            out.put("afterFit", jobJson(handlers, get, f));
            ops.drain();

            progress("churn: worker, second invocation (score steps to the end)");
            Quiet.await(quietWait);
            event = handlers.event(queued.functionId(), queuedText);
            long s0 = System.nanoTime();
            handlers.invoke(queued.functionId(), event, new LambdaContext(() -> Integer.MAX_VALUE));
            long s1 = System.nanoTime();
            out.put("scoreInvocationSeconds", (s1 - s0) / 1e9);
            out.put("scoreCalls", ops.drain());
            out.put("run", jobJson(handlers, get, f));
            progress(String.format("churn: run took %.1f s + %.1f s", (w1 - w0) / 1e9, (s1 - s0) / 1e9));
        } finally {
            try {
                admin.deleteTable(b -> b.tableName(TABLE));
            } catch (RuntimeException e) {
                // the server goes away with the harness anyway
            }
        }
        return out;
    }

    /**
     * The raw references' client: the warm pass's, with timeouts for their large calls (a Scan page of
     * 1 MB, 25 writes) on a loaded machine, where the warm pass's 20 s once failed a Scan page.
     */
    static DynamoDbClient rawClient(String endpoint) {
        return DynamoDbClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                        .connectionTimeout(java.time.Duration.ofSeconds(10)).socketTimeout(java.time.Duration.ofSeconds(120))
                        .build())
                .region(software.amazon.awssdk.regions.Region.of(dev.crm.bench.cold.ColdStart.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .endpointOverride(java.net.URI.create(endpoint))
                .overrideConfiguration(software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.builder()
                        .apiCallTimeout(java.time.Duration.ofSeconds(300))
                        .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy()).build())
                .build();
    }

    /** GET /v1/churn-runs/{id}: the job as the API shows it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobJson(InProcess handlers, Project.Sample get, Fixtures.Fixture f) {
        Object r = handlers.invoke(get.functionId(), handlers.event(get.functionId(), Fixtures.apply(Preparations.text(get), f)),
                new LambdaContext());
        if (r instanceof APIGatewayProxyResponseEvent e && e.getBody() != null) {
            return (Map<String, Object>) Json.parse(e.getBody());
        }
        return Map.of("status", "unreadable");
    }

    /** Customers from the BG/NBD process the churn tests use, as purchase summaries on calendar days up to today. */
    static List<TestHistories.Customer> simulate(int n, long seed, LocalDate asOf, String currency) {
        var sim = new BgNbdSimulator(new BgNbdParameters(0.5, 6, 0.7, 2.5), new GammaGammaParameters(6, 4, 15));
        SplittableRandom random = new SplittableRandom(seed);
        List<TestHistories.Customer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CustomerSummary s = sim.simulateCustomer(random, 20 + random.nextInt(60));
            BigDecimal firstSpend = BigDecimal.valueOf(10 + random.nextInt(90));
            out.add(TestHistories.fromWeeks(asOf, currency, s.x(), s.tx(), s.T(), s.meanRepeatSpend(), firstSpend,
                    i % 50 == 0 ? 1 : 0, i % 40 == 0 ? 3 : null));
        }
        return out;
    }

    /** TestHistories.write from a few threads (setup, untimed in the comparison). */
    private static void write(Table table, Fixtures.Fixture f, List<TestHistories.Customer> customers, Instant now)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            int chunk = 5_000;
            for (int from = 0; from < customers.size(); from += chunk) {
                List<TestHistories.Customer> part = customers.subList(from, Math.min(customers.size(), from + chunk));
                parts.add(pool.submit(() -> TestHistories.write(table, f.tenant(), part, now)));
            }
            for (Future<?> p : parts) {
                p.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A raw parallel Scan of the whole table, every segment in a thread of its own, each reading its share of
     * {@code items} (Limit on its last page, so exactly that many are read unless the table holds fewer).
     */
    static Map<String, Object> parallelScan(DynamoDbClient db, int segments, long items) throws Exception {
        long share = (items + segments - 1) / segments;
        ExecutorService pool = Executors.newFixedThreadPool(segments);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> parts = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                int segment = s;
                parts.add(pool.submit(() -> {
                    long read = 0;
                    long pages = 0;
                    Map<String, AttributeValue> from = null;
                    do {
                        var b = ScanRequest.builder().tableName(TABLE).segment(segment).totalSegments(segments)
                                .limit((int) Math.min(Integer.MAX_VALUE, share - read));
                        if (from != null) {
                            b.exclusiveStartKey(from);
                        }
                        ScanResponse r = db.scan(b.build());
                        read += r.count();
                        pages++;
                        from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                    } while (from != null && read < share);
                    return new long[] {read, pages};
                }));
            }
            long read = 0;
            long pages = 0;
            for (Future<long[]> p : parts) {
                long[] r = p.get();
                read += r[0];
                pages += r[1];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("segments", segments);
            m.put("items", read);
            m.put("pages", pages);
            m.put("seconds", seconds);
            return m;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The run's score writes made raw: one item per customer of the size of a churn score (its {@code view}
     * map as the run writes it), 25 per BatchWriteItem, on {@code threads} threads (a contiguous share each),
     * unprocessed items retried; under a sort key of their own, so they are new items as the first run's
     * scores are.
     */
    static Map<String, Object> scoreWrites(DynamoDbClient db, Fixtures.Fixture f, List<String> contactIds, int threads,
            String sortKey) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<Long>> parts = new ArrayList<>();
            int share = (contactIds.size() + threads - 1) / threads;
            for (int from = 0; from < contactIds.size(); from += share) {
                List<String> part = contactIds.subList(from, Math.min(contactIds.size(), from + share));
                parts.add(pool.submit(() -> scoreWrites(db, f, part, sortKey)));
            }
            long calls = 0;
            for (Future<Long> p : parts) {
                calls += p.get();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("items", contactIds.size());
            m.put("pages", calls);
            m.put("threads", threads);
            m.put("seconds", (System.nanoTime() - start) / 1e9);
            return m;
        } finally {
            pool.shutdown();
        }
    }

    /** One thread's share: 25 items a BatchWriteItem; answers the calls made. */
    private static long scoreWrites(DynamoDbClient db, Fixtures.Fixture f, List<String> contactIds, String sortKey) {
        String t = f.tenant().value();
        String scoredAt = Instant.now().toString();
        long calls = 0;
        List<WriteRequest> batch = new ArrayList<>(25);
        for (int i = 0; i < contactIds.size(); i++) {
            String id = contactIds.get(i);
            Map<String, AttributeValue> view = new HashMap<>();
            view.put("pAlive", AttributeValue.fromN("0.8123"));
            view.put("expectedPurchases", AttributeValue.fromN("1.234"));
            view.put("clv", AttributeValue.fromM(Map.of("amount", AttributeValue.fromS("123.45"), "currency", AttributeValue.fromS("EUR"))));
            view.put("valueAtRisk", AttributeValue.fromM(Map.of("amount", AttributeValue.fromS("67.89"), "currency", AttributeValue.fromS("EUR"))));
            view.put("riskTier", AttributeValue.fromS("low"));
            view.put("riskSignal", AttributeValue.fromBool(false));
            view.put("scoredAt", AttributeValue.fromS(scoredAt));
            view.put("runId", AttributeValue.fromS("run_benchrawwrites000000"));
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("PK", AttributeValue.fromS(Keys.contact(f.tenant(), id)));
            item.put("SK", AttributeValue.fromS(sortKey));
            item.put("entity", AttributeValue.fromS("CHURN_SCORE"));
            item.put("tenantId", AttributeValue.fromS(t));
            item.put("contactId", AttributeValue.fromS(id));
            item.put("view", AttributeValue.fromM(view));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25 || i == contactIds.size() - 1) {
                Map<String, List<WriteRequest>> pending = Map.of(TABLE, List.copyOf(batch));
                while (!pending.isEmpty()) {
                    var r = db.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                    calls++;
                    pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                }
                batch.clear();
            }
        }
        return calls;
    }

    /** The run's own read (R1) made raw: Query GSI1 {t}#SUMMARIES#0..7 one after the other, pages of 1,000. */
    static Map<String, Object> shardQueries(DynamoDbClient db, Fixtures.Fixture f) {
        long start = System.nanoTime();
        long read = 0;
        long pages = 0;
        for (int shard = 0; shard < Keys.SUMMARY_SHARDS; shard++) {
            Map<String, AttributeValue> from = null;
            do {
                var b = QueryRequest.builder().tableName(TABLE).indexName(Table.GSI1)
                        .keyConditionExpression("GSI1PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.summariesIndex(f.tenant(), shard))))
                        .limit(1000);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
                QueryResponse r = db.query(b.build());
                read += r.count();
                pages++;
                from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (from != null);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", read);
        m.put("pages", pages);
        m.put("seconds", (System.nanoTime() - start) / 1e9);
        return m;
    }
}
