package dev.crm.bench.warm;

import dev.crm.bench.Fixtures;
import dev.crm.bench.InProcess;
import dev.crm.bench.Preparations;
import dev.crm.bench.Project;
import dev.crm.bench.Quiet;
import dev.crm.bench.TemplateEnv;
import dev.crm.bench.cold.ColdStart;
import dev.crm.bench.report.Stats;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.LambdaContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The warm benchmark and the capacity pass, in a JVM of their own started by the harness with the
 * template's JAVA_TOOL_OPTIONS (Lambda runs warm code under those flags too), against the harness's
 * DynamoDB Local server. Writes its results as JSON to {@code --out}.
 *
 * <ol>
 *   <li>Capacity: every sample whose handler can be loaded, on a fresh fixture in a table of
 *       its own, with {@link CapacityInterceptor} on the handler's client; the same for each
 *       scenario's raw-SDK calls.</li>
 *   <li>Warm: for each {@link Scenarios} row, prebuilt events, a warm-up, then rounds that alternate
 *       a block of handler calls with a block of raw-SDK calls doing the same DynamoDB requests.</li>
 * </ol>
 */
public final class WarmMain {
    static final String WARM_TABLE = "BenchWarm";
    static final String CAPACITY_TABLE = "BenchCapacity";
    private static long sunk;
    private static long quietWaitMillis = 20_000;

    private WarmMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path root = Path.of(o.get("root"));
        String endpoint = o.get("endpoint");
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "500"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        int block = Integer.parseInt(o.getOrDefault("block", "500"));
        int repeats = Integer.parseInt(o.getOrDefault("capacity-repeats", "3"));
        quietWaitMillis = Long.parseLong(o.getOrDefault("quiet-wait", "20000"));
        // Handlers log one JSON line per request; the line is still built, then dropped here.
        Log.sink(line -> sunk += line.length());
        // and one EMF metrics document per request (docs/architecture.md, "Metrics"): built, then dropped
        dev.crm.shared.metrics.Metrics.sink(line -> sunk += line.length());

        Project project = new Project(root);
        if (o.containsKey("artifacts")) {
            project.freezeArtifacts(Path.of(o.get("artifacts")));
        }
        DynamoDbClient admin = client(endpoint, null);
        LocalDynamoDb.createTable(admin, project.template(), WARM_TABLE);
        LocalDynamoDb.createTable(admin, project.template(), CAPACITY_TABLE);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("javaToolOptions", String.valueOf(System.getenv("JAVA_TOOL_OPTIONS")));
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        result.put("capacity", capacity(project, endpoint, repeats, admin));
        result.put("scenarios", warm(project, endpoint, warmup, rounds, block));
        result.put("busyStarts", Quiet.busyStarts());
        result.put("waitedMillis", Quiet.waitedMillis());
        Files.writeString(Path.of(o.get("out")), Json.write(result));
        System.exit(0);
    }

    /** The handlers' settings: the Globals environment resolved, with the harness's overrides. */
    public static Settings settings(Project project, String endpoint, String table) {
        Map<String, String> env = new LinkedHashMap<>();
        TemplateEnv resolver = new TemplateEnv(project.template(), table, ColdStart.REGION);
        SamTemplate.map(SamTemplate.map(project.template().globalsFunction().get("Environment")).get("Variables"))
                .forEach((k, v) -> env.put(k, resolver.resolve(v)));
        env.remove("JAVA_TOOL_OPTIONS");
        env.put("TABLE_NAME", table);
        env.put("AWS_REGION", ColdStart.REGION);
        env.put("AWS_ENDPOINT_URL", endpoint);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("CRM_OPERATOR_KEY", Fixtures.OPERATOR_KEY);
        env.put("AUTHORIZER_CACHE_SECONDS", "0");
        return new Settings(env);
    }

    /** Configured as DynamoDbClients.create configures the product's client, plus an optional interceptor. */
    public static DynamoDbClient client(String endpoint, ExecutionInterceptor interceptor) {
        var override = ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(20))
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy());
        if (interceptor != null) {
            override.addExecutionInterceptor(interceptor);
        }
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(10)).build())
                .region(Region.of(ColdStart.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create(endpoint))
                .overrideConfiguration(override.build())
                .build();
    }

    // ------------------------------------------------------------------ capacity

    private static List<Object> capacity(Project project, String endpoint, int repeats, DynamoDbClient admin) {
        return capacity(project, endpoint, repeats, admin, s -> true, true);
    }

    /**
     * The capacity pass over the samples {@code which} accepts, in {@link #CAPACITY_TABLE} (created by the
     * caller): one row per sample with its status, calls, and median RCU / WCU over {@code repeats}; with
     * {@code scenarios}, then one row per warm scenario (its handler's warm calls beside the raw side's).
     */
    static List<Object> capacity(Project project, String endpoint, int repeats, DynamoDbClient admin,
            Predicate<Project.Sample> which, boolean scenarios) {
        Settings settings = settings(project, endpoint, CAPACITY_TABLE);
        InProcess plain = new InProcess(project, new Infrastructure(settings, Clock.systemUTC(), DynamoDbClients.create(settings)));
        TableShape shape = TableShape.of(project.template());
        CapacityInterceptor counter = new CapacityInterceptor(admin, shape);
        InProcess counted = new InProcess(project, new Infrastructure(settings, Clock.systemUTC(), client(endpoint, counter)));
        List<Object> out = new ArrayList<>();
        for (Project.Sample s : project.samples()) {
            if (!which.test(s)) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sample", s.name());
            row.put("route", s.route());
            row.put("function", s.functionId());
            if (s.functionId() == null || !counted.available(s.functionId())) {
                row.put("skipped", s.functionId() == null ? "no function of the template takes it"
                        : "its handler cannot be loaded (no Makefile target or no built artifact)");
                out.add(row);
                continue;
            }
            System.err.println("capacity: " + s.name());
            List<Double> rcu = new ArrayList<>();
            List<Double> wcu = new ArrayList<>();
            List<Double> reportedTotal = new ArrayList<>();
            List<Double> indexWcu = new ArrayList<>();
            String status = null;
            String calls = null;
            int failed = 0;
            int unreported = 0;
            long items = 0;
            for (int r = 0; r < repeats; r++) {
                Fixtures.Fixture f = Fixtures.create(plain.infra());
                List<String> problems = Preparations.run(project, plain, s, f);
                if (!problems.isEmpty()) {
                    row.put("preparation", String.join("; ", problems));
                }
                Object event = counted.event(s.functionId(), Fixtures.apply(Preparations.text(s), f));
                if (s.route().startsWith("stream")) {
                    items = admin.scan(ScanRequest.builder().tableName(CAPACITY_TABLE).select(Select.COUNT).build()).count();
                }
                counter.drain();
                try {
                    status = InProcess.status(counted.invoke(s.functionId(), event, new LambdaContext()));
                } catch (RuntimeException e) {
                    status = "error:" + e.getClass().getSimpleName();
                }
                List<CapacityInterceptor.Call> list = counter.drain();
                double reads = 0;
                double writes = 0;
                double reported = 0;
                double index = 0;
                for (CapacityInterceptor.Call c : list) {
                    if (c.failed()) {
                        failed++;
                    } else if (Double.isNaN(c.units())) {
                        unreported++;
                    } else if (c.isRead()) {
                        reads += c.units();
                    } else {
                        writes += c.units();
                        index += c.indexUnits();
                    }
                    if (!Double.isNaN(c.reported())) {
                        reported += c.reported();
                    }
                }
                rcu.add(reads);
                wcu.add(writes);
                reportedTotal.add(reported);
                indexWcu.add(index);
                calls = signature(list);
            }
            row.put("status", status);
            row.put("calls", calls);
            row.put("rcu", Stats.of(rcu).median());
            row.put("wcu", Stats.of(wcu).median());
            row.put("reported", Stats.of(reportedTotal).median());
            row.put("indexWcu", Stats.of(indexWcu).median());
            row.put("failedCalls", failed / repeats);
            row.put("unreported", unreported / repeats);
            if (s.route().startsWith("stream")) {
                row.put("tableItems", items);
            }
            out.add(row);
        }
        if (!scenarios) {
            return out;
        }
        // Each warm scenario: the calls its handler makes once its caches are warm (the third call in a
        // row on one fixture, as in the warm benchmark), beside the raw side's, on fixtures prepared alike.
        CapacityInterceptor rawCounter = new CapacityInterceptor(admin, shape);
        DynamoDbClient raw = client(endpoint, rawCounter);
        for (Scenario sc : Scenarios.ALL) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", sc.name());
            row.put("route", sc.route());
            Project.Sample sample = project.samples().stream().filter(sc::matches).findFirst().orElse(null);
            if (sample != null && counted.available(sample.functionId())) {
                Fixtures.Fixture hf = Fixtures.create(plain.infra());
                List<String> problems = new ArrayList<>(Preparations.run(project, plain, sample, hf));
                String text = Fixtures.apply(Preparations.text(sample), hf);
                List<CapacityInterceptor.Call> last = List.of();
                String status = null;
                for (int k = 0; k < 3; k++) {
                    Object event = counted.event(sample.functionId(), sc.eventText(text, k));
                    counter.drain();
                    try {
                        status = InProcess.status(counted.invoke(sample.functionId(), event, new LambdaContext()));
                    } catch (RuntimeException e) {
                        status = "error:" + e.getClass().getSimpleName();
                    }
                    last = counter.drain();
                }
                double[] units = units(last);
                row.put("handlerStatus", status);
                row.put("handlerCalls", signature(last));
                row.put("handlerRcu", units[0]);
                row.put("handlerWcu", units[1]);
                row.put("handlerIndexWcu", units[2]);
                Fixtures.Fixture f = Fixtures.create(plain.infra());
                problems.addAll(Preparations.run(project, plain, sample, f));
                if (!problems.isEmpty()) {
                    row.put("preparation", String.join("; ", problems));
                }
                rawCounter.drain();
                sc.raw().call(raw, CAPACITY_TABLE, f, 0);
                List<CapacityInterceptor.Call> list = rawCounter.drain();
                units = units(list);
                row.put("indexWcu", units[2]);
                row.put("calls", signature(list));
                row.put("rcu", units[0]);
                row.put("wcu", units[1]);
            } else {
                row.put("skippedScenario", sample == null ? "no sample" : "its handler cannot be loaded");
            }
            out.add(row);
        }
        return out;
    }

    /** {RCU, WCU, index WCU} of the calls that succeeded and reported capacity. */
    private static double[] units(List<CapacityInterceptor.Call> calls) {
        double reads = 0;
        double writes = 0;
        double index = 0;
        for (CapacityInterceptor.Call c : calls) {
            if (!c.failed() && !Double.isNaN(c.units())) {
                if (c.isRead()) {
                    reads += c.units();
                } else {
                    writes += c.units();
                    index += c.indexUnits();
                }
            }
        }
        return new double[] {reads, writes, index};
    }

    /** "GetItem ×2, TransactWriteItems" in order of first call. */
    static String signature(List<CapacityInterceptor.Call> calls) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (CapacityInterceptor.Call c : calls) {
            counts.merge(c.operation() + (c.failed() ? " (failed)" : ""), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((op, n) -> parts.add(n == 1 ? op : op + " ×" + n));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    // ------------------------------------------------------------------ warm

    private static List<Object> warm(Project project, String endpoint, int warmup, int rounds, int block) {
        Settings settings = settings(project, endpoint, WARM_TABLE);
        InProcess handlers = new InProcess(project, new Infrastructure(settings, Clock.systemUTC(),
                DynamoDbClients.create(settings)));
        DynamoDbClient raw = client(endpoint, null);
        List<Object> out = new ArrayList<>();
        for (Scenario sc : Scenarios.ALL) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", sc.name());
            row.put("route", sc.route());
            Project.Sample sample = project.samples().stream().filter(sc::matches).findFirst().orElse(null);
            if (sample == null || !handlers.available(sample.functionId())) {
                row.put("skipped", sample == null ? "no sample in events/ for " + sc.route()
                        : "its handler cannot be loaded (no built artifact)");
                out.add(row);
                continue;
            }
            System.err.println("warm: " + sc.name());
            String fn = sample.functionId();
            row.put("function", fn);
            row.put("sample", sample.name());
            int total = warmup + rounds * block;
            int per = sc.perFixture() <= 0 ? total : sc.perFixture();
            int pools = (total + per - 1) / per;
            List<String> texts = new ArrayList<>();
            List<Fixtures.Fixture> rawFixtures = new ArrayList<>();
            String text = Preparations.text(sample);
            for (int i = 0; i < pools; i++) {
                Fixtures.Fixture f = Fixtures.create(handlers.infra());
                List<String> problems = new ArrayList<>(Preparations.run(project, handlers, sample, f));
                texts.add(Fixtures.apply(text, f));
                // the raw side's fixture is prepared the same way (its contact, survey, preferences, …)
                Fixtures.Fixture rf = Fixtures.create(handlers.infra());
                problems.addAll(Preparations.run(project, handlers, sample, rf));
                rawFixtures.add(rf);
                if (!problems.isEmpty()) {
                    row.put("preparation", String.join("; ", problems));
                }
            }
            // prebuilt, before any timing: one event per fixture, or one per call when calls must differ
            List<Object> events = new ArrayList<>();
            if (sc.vary() == null) {
                for (String t : texts) {
                    events.add(handlers.event(fn, t));
                }
            } else {
                for (int i = 0; i < total; i++) {
                    events.add(handlers.event(fn, sc.eventText(texts.get(i / per), i)));
                }
            }
            IntFunction<Object> eventOf = sc.vary() == null ? i -> events.get(i / per) : events::get;
            LambdaContext context = new LambdaContext();
            int[] errors = new int[1];
            String[] lastError = new String[1];
            IntConsumer handlerCall = i -> {
                try {
                    String status = InProcess.status(handlers.invoke(fn, eventOf.apply(i), context));
                    if (!InProcess.succeeded(status)) {
                        errors[0]++;
                        lastError[0] = status;
                    }
                } catch (RuntimeException e) {
                    errors[0]++;
                    lastError[0] = e.getClass().getName();
                }
            };
            IntConsumer rawCall = i -> sc.raw().call(raw, WARM_TABLE, rawFixtures.get(i / per), i);
            for (int i = 0; i < warmup; i++) {
                handlerCall.accept(i);
                rawCall.accept(i);
            }
            errors[0] = 0;
            long[] hLat = new long[rounds * block];
            long[] rLat = new long[rounds * block];
            long hTime = 0;
            long rTime = 0;
            for (int r = 0; r < rounds; r++) {
                int from = warmup + r * block;
                if (r % 2 == 0) {
                    hTime += block(handlerCall, from, block, hLat, r * block);
                    rTime += block(rawCall, from, block, rLat, r * block);
                } else {
                    rTime += block(rawCall, from, block, rLat, r * block);
                    hTime += block(handlerCall, from, block, hLat, r * block);
                }
            }
            row.put("handler", side(hLat, hTime, errors[0], lastError[0]));
            row.put("raw", side(rLat, rTime, 0, null));
            out.add(row);
        }
        return out;
    }

    private static long block(IntConsumer call, int from, int count, long[] latencies, int at) {
        Quiet.await(quietWaitMillis);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            call.accept(from + i);
            latencies[at + i] = System.nanoTime() - t;
        }
        return System.nanoTime() - start;
    }

    private static Map<String, Object> side(long[] latencies, long nanos, int errors, String lastError) {
        Stats s = Stats.ofNanos(latencies);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", latencies.length);
        m.put("p50", s.median());
        m.put("p99", s.p99());
        m.put("max", s.max());
        m.put("throughput", latencies.length / (nanos / 1e9));
        m.put("errors", errors);
        if (lastError != null) {
            m.put("lastError", lastError);
        }
        return m;
    }
}
