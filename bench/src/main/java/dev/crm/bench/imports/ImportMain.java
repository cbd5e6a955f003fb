package dev.crm.bench.imports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.bench.Fixtures;
import dev.crm.bench.InProcess;
import dev.crm.bench.Preparations;
import dev.crm.bench.Project;
import dev.crm.bench.Quiet;
import dev.crm.bench.churn.OperationCounter;
import dev.crm.bench.warm.WarmMain;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The touch point import at its file limit ({@code POST /v1/interactions/imports}), in a JVM of its own
 * started by the harness (template flags; classpath the harness's plus the contacts artifact) against the
 * harness's DynamoDB Local server, in a table of its own per run. Also runnable by hand with the contacts
 * classes on the classpath (without {@code --endpoint} it starts a DynamoDB Local server of its own).
 * Writes JSON to {@code --out} (or standard output).
 *
 * <p>Per run: {@code --rows} purchase lines (default 20,000, the file limit) of {@code --contacts}
 * customers (default 2,000) in date order, as an order export has them (so a batch of 1,000 lines spans
 * about as many contacts: the least grouping), imported with {@code createContacts=true} (the first line
 * of each customer creates it). Timed: the POST through the ContactsFunction handler, then the
 * ContactJobsFunction worker on the job's stream event until the job succeeds. Once with the table's
 * stream off and once with it on ({@code --stream off|on|both}, default both): DynamoDB Local appends a
 * stream record under one global lock per write, so its stream-on figure is the emulator's, not
 * DynamoDB's (which writes stream records off the request path).
 */
public final class ImportMain {
    static final String TABLE = "BenchImport";

    private ImportMain() {}

    private static void progress(String s) {
        System.err.println("[bench] " + s);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int rows = Integer.parseInt(o.getOrDefault("rows", "20000"));
        int contacts = Integer.parseInt(o.getOrDefault("contacts", "2000"));
        long quietWait = Long.parseLong(o.getOrDefault("quiet-wait", "20000"));
        String stream = o.getOrDefault("stream", "both");
        Log.sink(line -> { });
        dev.crm.shared.metrics.Metrics.sink(line -> { }); // the in-process handlers' EMF documents
        Project project = new Project(Path.of(o.getOrDefault("root", ".")));
        if (o.containsKey("artifacts")) {
            project.freezeArtifacts(Path.of(o.get("artifacts")));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("javaToolOptions", String.valueOf(System.getenv("JAVA_TOOL_OPTIONS")));
        result.put("rows", rows);
        result.put("contacts", contacts);
        // by hand, without the harness: a DynamoDB Local server of its own
        LocalDynamoDb own = o.containsKey("endpoint") ? null : LocalDynamoDb.start(null);
        String endpoint = own == null ? o.get("endpoint") : own.endpoint();
        List<Object> runs = new ArrayList<>();
        for (String s : stream.equals("both") ? List.of("off", "on") : List.of(stream)) {
            Quiet.await(quietWait);
            runs.add(run(project, endpoint, rows, contacts, s.equals("on")));
        }
        result.put("runs", runs);
        result.put("busyStarts", Quiet.busyStarts());
        String json = Json.write(result);
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), json);
        } else {
            System.out.println(json);
        }
        System.exit(0);
    }

    private static Project.Sample sample(Project project, String name) {
        return project.samples().stream().filter(s -> s.name().equals(name) && s.functionId() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no sample " + name + " for a function of the template"));
    }

    /** Purchases of {@code contacts} customers over three years in date order, ten a customer on average. */
    static String orders(int rows, int contacts) {
        SplittableRandom random = new SplittableRandom(7);
        LocalDate start = LocalDate.of(2023, 1, 1);
        StringBuilder sb = new StringBuilder(rows * 140);
        for (int i = 0; i < rows; i++) {
            LocalDate day = start.plusDays((long) i * 1095 / rows);
            int customer = random.nextInt(contacts);
            sb.append("{\"contact\": {\"externalId\": \"cust-").append(customer).append("\"}, \"type\": \"purchase\", ")
                    .append("\"occurredAt\": \"").append(day).append("T").append(String.format("%02d", 8 + random.nextInt(12)))
                    .append(":15:00Z\", \"value\": {\"amount\": \"").append(5 + random.nextInt(200)).append('.')
                    .append(String.format("%02d", random.nextInt(100))).append("\"}, \"source\": \"erp-export\"}\n");
        }
        return sb.toString();
    }

    /**
     * The reference on the same server and table: three line-sized items per line (a timeline entry's size,
     * a guard's, a marker's) written raw, 25 per BatchWriteItem from 8 threads, with no transaction and no
     * read: what the emulator can take at all on this machine now.
     */
    static Map<String, Object> rawWrites(DynamoDbClient db, int rows) throws Exception {
        String payload = "x".repeat(400);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
            for (int from = 0; from < rows * 3; from += 25) {
                int first = from;
                int last = Math.min(rows * 3, from + 25);
                parts.add(pool.submit(() -> {
                    List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new ArrayList<>();
                    for (int i = first; i < last; i++) {
                        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>();
                        item.put("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("BENCH#RAW#" + (i / 30)));
                        item.put("SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("I#" + i));
                        item.put("data", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(i % 3 == 0 ? payload : "guard"));
                        batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                                .putRequest(p -> p.item(item)).build());
                    }
                    Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending = Map.of(TABLE, batch);
                    while (!pending.isEmpty()) {
                        var r = db.batchWriteItem(software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest.builder()
                                .requestItems(pending).build());
                        pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                    }
                    return null;
                }));
            }
            for (var p : parts) {
                p.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("items", rows * 3);
            m.put("seconds", seconds);
            m.put("itemsPerSecond", rows * 3 / seconds);
            progress(String.format("import: raw BatchWriteItem of %,d items: %.1f s, %.0f items/s", rows * 3, seconds,
                    rows * 3 / seconds));
            return m;
        } finally {
            pool.shutdown();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(Project project, String endpoint, int rows, int contacts, boolean stream) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", stream);
        DynamoDbClient admin = WarmMain.client(endpoint, null);
        LocalDynamoDb.createTable(admin, project.template(), TABLE);
        if (!stream) {
            admin.updateTable(b -> b.tableName(TABLE).streamSpecification(s -> s.streamEnabled(false)));
        }
        try {
            Settings settings = WarmMain.settings(project, endpoint, TABLE);
            OperationCounter ops = new OperationCounter();
            ItemCounter items = new ItemCounter();
            DynamoDbClient client = DynamoDbClients.builder(settings, c -> c.addExecutionInterceptor(ops)
                    .addExecutionInterceptor(items)).build();
            Infrastructure infra = new Infrastructure(settings, Clock.systemUTC(), client);
            InProcess handlers = new InProcess(project, infra);
            Project.Sample create = sample(project, "contacts/create-interaction-import.json");
            Project.Sample queued = sample(project, "contacts/interaction-import-job-queued.json");
            Project.Sample get = sample(project, "contacts/get-interaction-import.json");
            for (Project.Sample s : List.of(create, queued)) {
                if (!handlers.available(s.functionId())) {
                    throw new IllegalStateException(s.functionId() + " cannot be loaded: build functions/contacts first");
                }
            }
            Fixtures.Fixture f = Fixtures.create(infra);
            Map<String, Object> post = (Map<String, Object>) Json.parse(Fixtures.apply(Preparations.text(create), f));
            post.put("body", orders(rows, contacts));
            progress(String.format("import: %,d lines of %,d customers, stream %s", rows, contacts, stream ? "on" : "off"));
            ops.drain();
            items.drain();
            long p0 = System.nanoTime();
            Object response = handlers.invoke(create.functionId(), handlers.event(create.functionId(), Json.write(post)),
                    new LambdaContext());
            long p1 = System.nanoTime();
            String location = response instanceof APIGatewayProxyResponseEvent r && r.getHeaders() != null
                    ? r.getHeaders().get("Location") : null;
            if (!"202".equals(InProcess.status(response)) || location == null) {
                throw new IllegalStateException("POST /v1/interactions/imports answered " + InProcess.status(response));
            }
            out.put("postMs", (p1 - p0) / 1e6);
            out.put("postCalls", ops.drain());
            out.put("postItems", items.drain());
            f.extra().put("iimp_example0000000000000", location.substring(location.lastIndexOf('/') + 1));
            Object event = handlers.event(queued.functionId(), Fixtures.apply(Preparations.text(queued), f));
            long w0 = System.nanoTime();
            handlers.invoke(queued.functionId(), event, new LambdaContext(() -> Integer.MAX_VALUE));
            long w1 = System.nanoTime();
            double seconds = (w1 - w0) / 1e9;
            out.put("workerSeconds", seconds);
            out.put("rowsPerSecond", rows / seconds);
            out.put("workerCalls", ops.drain());
            Map<String, Long> written = items.drain();
            out.put("workerItems", written);
            // what a line costs in written items, the contacts' creation included (every line names a customer)
            out.put("workerItemsPerLine", written.get("total") / (double) rows);
            Object r = handlers.invoke(get.functionId(), handlers.event(get.functionId(), Fixtures.apply(Preparations.text(get), f)),
                    new LambdaContext());
            Map<String, Object> job = (Map<String, Object>) Json.parse(((APIGatewayProxyResponseEvent) r).getBody());
            out.put("status", job.get("status"));
            Map<String, Object> res = (Map<String, Object>) job.get("result");
            out.put("imported", res == null ? null : res.get("imported"));
            out.put("rejected", res == null ? null : ((List<?>) res.get("rejected")).size());
            progress(String.format("import: %.1f s, %.0f lines/s (stream %s), %s, %.2f items a line %s", seconds, rows / seconds,
                    stream ? "on" : "off", job.get("status"), written.get("total") / (double) rows, written));
            out.put("rawWrites", rawWrites(WarmMain.client(endpoint, null), rows));
        } finally {
            try {
                admin.deleteTable(b -> b.tableName(TABLE));
            } catch (RuntimeException e) {
                // the server goes away with the harness anyway
            }
        }
        return out;
    }
}
