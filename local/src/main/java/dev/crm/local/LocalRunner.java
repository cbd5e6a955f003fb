package dev.crm.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.Ids;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The product on one machine: template.yaml's API on http://127.0.0.1:3000 with the real handlers
 * in-process, DynamoDB Local in-process, stream-triggered jobs and on-demand schedules.
 */
public final class LocalRunner implements AutoCloseable {
    private final Functions functions;
    private final HttpServer server;
    private final LocalDynamoDb dynamo;
    private final ApiGateway gateway;
    private final StreamPump streams;
    private final Schedules schedules;
    private final String url;
    private final WebPages web;
    private final String operatorKey;
    private final boolean operatorKeyGenerated;
    private String demoAdminKey;
    /** Local-only webhook settings copied from the runner's environment (printed at start). */
    private final Map<String, String> webhookSettings = new LinkedHashMap<>();
    private final List<String> ticking;
    private final MovableClock clock;
    /** One clock move at a time: each sees the work the previous one left done. */
    private final Object clockMoves = new Object();
    /** How long a clock move waits for the stream to drain before answering anyway. */
    private static final java.time.Duration DRAIN_LIMIT = java.time.Duration.ofSeconds(60);

    private LocalRunner(Options options, Map<String, String> environment) throws IOException {
        requireUsableOperatorKey(environment.get("CRM_OPERATOR_KEY"));
        // Bind first: a taken port should fail before anything else starts.
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", options.port()), 128);
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        SamTemplate template = SamTemplate.load(options.template());
        Path webRoot = options.template().toAbsolutePath().getParent().resolve("web");
        this.web = Files.isDirectory(webRoot) ? new WebPages(webRoot) : null;

        if (!options.inMemory()) {
            Files.createDirectories(options.dataDir());
        }
        this.dynamo = LocalDynamoDb.start(options.inMemory() ? null : options.dataDir().toAbsolutePath());
        DynamoDbClient client = dynamo.client();
        LocalDynamoDb.createTable(client, template, LocalDynamoDb.TABLE);

        String configured = environment.get("CRM_OPERATOR_KEY");
        this.operatorKeyGenerated = configured == null || configured.isBlank();
        this.operatorKey = operatorKeyGenerated ? "crm_op_" + Ids.random("", 40) : configured;

        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", LocalDynamoDb.TABLE);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", dynamo.endpoint());
        env.put("CRM_OPERATOR_KEY", operatorKey);
        env.put("PUBLIC_BASE_URL", url);
        env.put("AUTHORIZER_CACHE_SECONDS", "0");
        env.put("CRM_LOCAL", "true");
        for (String k : List.of("CRM_WEBHOOK_ALLOW_LOOPBACK", "CRM_WEBHOOK_RETRY_SCALE")) {
            String v = environment.get(k);
            if (v != null && !v.isBlank()) {
                env.put(k, v); // local-only: the functions ignore them when their settings are a process's environment
                webhookSettings.put(k, v);
            }
        }
        Map<String, Object> references = new LinkedHashMap<>(template.parameterDefaults());
        references.put("CrmTable", LocalDynamoDb.TABLE);
        references.put("PublicBaseUrl", url);
        references.put("AWS::Region", "us-east-1");
        references.put("AllowedDashboardOrigins", environment.getOrDefault("ALLOWED_DASHBOARD_ORIGINS", url));

        // One clock for every function, the schedules and the timers: time is the runner's input.
        // A demo lives its last twelve weeks on a clock that starts that far back (DemoBusiness).
        this.clock = new MovableClock(Clock.systemUTC(), options.demo() ? DemoBusiness.lookBack().negated() : java.time.Duration.ZERO);
        dev.crm.shared.outbound.LocalOutbox.INSTANCE.useClock(clock);
        dev.crm.shared.outbound.LocalEventLog.INSTANCE.useClock(clock);
        this.functions = new Functions(template, env, references, clock, client);
        this.gateway = new ApiGateway(template, functions);
        this.schedules = new Schedules(template, functions, clock);
        DynamoDbStreamsClient streamsClient = DynamoDbStreamsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .endpointOverride(URI.create(dynamo.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        this.streams = new StreamPump(template, functions, client, streamsClient, LocalDynamoDb.TABLE, clock);
        streams.start();

        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::serve);
        server.start();
        provisionDemoTenantIfNone(client);
        if (options.demo()) {
            seedDemo(environment);
        }
        // The ticks start once a demo is seeded: meanwhile its clock starts weeks back and its imports
        // check their own SLAs, so a run every 250 ms would only compete with the seeding.
        this.ticking = schedules.tick(Schedules.ticking(environment));
    }

    /**
     * Seeds the demo tenant when this start provisioned it; otherwise (tenants existed in the data
     * directory) moves the clock to now and seeds nothing, saying so.
     */
    private void seedDemo(Map<String, String> environment) {
        Instant realNow = Clock.systemUTC().instant();
        if (demoAdminKey == null) {
            clock.catchUp();
            System.err.println("--demo: tenants exist in the data directory already; nothing seeded");
            return;
        }
        DemoBusiness.Size size = "small".equals(environment.get(DEMO_SIZE_SETTING)) ? DemoBusiness.Size.SMALL
                : DemoBusiness.Size.FULL;
        try {
            demo = new DemoBusiness(gateway, clock, streams, demoAdminKey, size).seed(realNow);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding the demo", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runner setting (tests): {@code small} seeds a demo of the same shape in a few seconds. */
    static final String DEMO_SIZE_SETTING = "CRM_LOCAL_DEMO_SIZE";
    private DemoBusiness.Seeded demo;

    /** What --demo seeded, or null. */
    DemoBusiness.Seeded demo() {
        return demo;
    }

    /**
     * A CRM_OPERATOR_KEY the authorizer can never accept would make every operator request a 401
     * with no hint why: the runner refuses to start with one (unset or blank: one is generated).
     *
     * @throws IllegalArgumentException naming CRM_OPERATOR_KEY, what is wrong and the form required
     *                                  (never the value)
     */
    static void requireUsableOperatorKey(String configured) {
        if (configured == null || configured.isBlank()) {
            return;
        }
        String problem = dev.crm.authorizer.domain.OperatorKeyForm.problem(configured);
        if (problem != null) {
            throw new IllegalArgumentException("CRM_OPERATOR_KEY is not a usable operator key: " + problem + ". The authorizer"
                    + " accepts only " + dev.crm.authorizer.domain.OperatorKeyForm.FORM + " (for example crm_op_ and 40 random letters"
                    + " and digits), so every operator request would be answered 401. Set CRM_OPERATOR_KEY to such a"
                    + " value, or unset it to have one generated.");
        }
    }

    /** Starts the runner; used by main and by the end-to-end tests. */
    public static LocalRunner start(Options options, Map<String, String> environment) throws IOException {
        return new LocalRunner(options, environment);
    }

    public static LocalRunner start(int port, boolean inMemory, Path dataDir, Map<String, String> environment)
            throws IOException {
        return start(new Options(port, inMemory, dataDir, SamTemplate.locate(), List.of(), false), environment);
    }

    /**
     * A crash drill, for tests: the functions (template logical ids) fail every invocation until
     * {@link #revive}, and the stream records they are given are dropped, as records whose retries ran
     * out are on AWS. Whatever they were to do must then be found again from the table.
     */
    public void kill(List<String> logicalIds) {
        functions.kill(logicalIds);
    }

    public void revive(List<String> logicalIds) {
        functions.revive(logicalIds);
    }

    public String url() {
        return url;
    }

    public String operatorKey() {
        return operatorKey;
    }

    /** A client of the runner's DynamoDB Local (tests read what the product stored). */
    public DynamoDbClient dynamoDbClient() {
        return dynamo.client();
    }

    /** The admin key of the demo tenant this start provisioned, or null when tenants already existed. */
    public String demoAdminKey() {
        return demoAdminKey;
    }

    public Schedules schedules() {
        return schedules;
    }

    private void provisionDemoTenantIfNone(DynamoDbClient client) {
        var registry = client.query(b -> b.tableName(LocalDynamoDb.TABLE).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(dev.crm.shared.store.dynamodb.Keys.TENANT_REGISTRY)))
                .limit(1));
        if (registry.count() > 0) {
            return;
        }
        var result = gateway.handle(new ApiGateway.HttpCall("POST", "/v1/tenants", null,
                Map.of("Authorization", List.of("Bearer " + operatorKey), "Content-Type", List.of("application/json")),
                "{\"name\": \"Demo Company\", \"slug\": \"demo\"}".getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
        if (result.status() == 201) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) Json.parse(result.body());
            demoAdminKey = (String) body.get("apiKey");
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            byte[] body = readBody(ex.getRequestBody(), ApiGateway.MAX_PAYLOAD + 1);
            ApiGateway.HttpResult result;
            if (path.equals("/health")) {
                result = json(200, Map.of("status", "ok"));
            } else if (path.startsWith("/_local/")) {
                result = local(method, path, body);
            } else if (!path.startsWith("/v1/") && (method.equals("GET") || method.equals("HEAD")) && web != null) {
                result = web.serve(path);
            } else {
                result = gateway.handle(new ApiGateway.HttpCall(method, path, ex.getRequestURI().getRawQuery(),
                        ex.getRequestHeaders(), body, ex.getRemoteAddress().getAddress().getHostAddress()));
            }
            write(ex, result);
        } catch (RuntimeException e) {
            System.err.println("runner error: " + e.getClass().getSimpleName());
        }
    }

    private ApiGateway.HttpResult local(String method, String path, byte[] body) {
        if (path.equals("/_local/clock") && method.equals("GET")) {
            return json(200, clockState());
        }
        if (path.equals("/_local/clock") && method.equals("POST")) {
            return moveClock(body);
        }
        if (path.equals("/_local/schedules") && method.equals("GET")) {
            return json(200, Map.of("items", schedules.list().stream().map(s -> Map.of("name", s.name(),
                    "function", s.functionId(), "expression", s.expression())).toList()));
        }
        if (path.startsWith("/_local/schedules/") && method.equals("POST")) {
            String name = path.substring("/_local/schedules/".length());
            if (!schedules.exists(name)) {
                return json(404, Map.of("title", "no such schedule", "status", 404, "detail", name));
            }
            schedules.fire(name);
            return json(202, Map.of("schedule", name, "status", "fired"));
        }
        if (path.equals("/_local/outbox") && method.equals("GET")) {
            List<Object> items = new java.util.ArrayList<>();
            for (var sent : dev.crm.shared.outbound.LocalOutbox.INSTANCE.messages()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("messageId", sent.messageId());
                m.put("sentAt", sent.sentAt());
                m.put("tenantId", sent.message().tenantId());
                m.put("to", sent.message().to());
                m.put("subject", sent.message().subject());
                m.put("purpose", sent.message().purpose());
                m.put("headers", sent.message().headers());
                m.put("text", sent.message().textBody());
                m.put("html", sent.message().htmlBody());
                items.add(m);
            }
            return json(200, Map.of("items", items));
        }
        if (path.equals("/_local/events") && method.equals("GET")) {
            List<Object> items = new java.util.ArrayList<>();
            for (var e : dev.crm.shared.outbound.LocalEventLog.INSTANCE.events()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", e.at());
                m.put("source", e.source());
                m.put("detailType", e.detailType());
                m.put("detail", e.detail());
                items.add(m);
            }
            return json(200, Map.of("items", items));
        }
        return json(404, Map.of("title", "not found", "status", 404));
    }

    private Map<String, Object> clockState() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", clock.instant().toString());
        out.put("offset", clock.offset().toString());
        return out;
    }

    /**
     * POST /_local/clock: {@code {"advanceBy": "P2D"}} or {@code {"set": "<instant>"}}, forward only.
     * Before answering, the stream is drained (records written before the move keep their time), the
     * template schedules with an instant in the span run once each, then the ticking schedules and the
     * stream are drained twice (a breach's event can start a webhook delivery that a retry tick sends).
     */
    private ApiGateway.HttpResult moveClock(byte[] body) {
        Map<?, ?> request;
        try {
            Object parsed = Json.parse(new String(body, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> m)) {
                return problem(dev.crm.shared.http.ProblemType.VALIDATION_ERROR, "the body is a JSON object");
            }
            request = m;
        } catch (RuntimeException e) {
            return problem(dev.crm.shared.http.ProblemType.MALFORMED_JSON, "the body is not well-formed JSON");
        }
        Object advanceBy = request.get("advanceBy");
        Object set = request.get("set");
        if ((advanceBy == null) == (set == null) || request.size() != 1) {
            return problem(dev.crm.shared.http.ProblemType.VALIDATION_ERROR,
                    "give exactly one of advanceBy (an ISO 8601 duration, e.g. P2D) or set (an instant)");
        }
        synchronized (clockMoves) {
            Instant target;
            Instant before = clock.instant();
            try {
                target = advanceBy != null ? ClockMove.advance(before, String.valueOf(advanceBy))
                        : ClockMove.instant(String.valueOf(set));
            } catch (IllegalArgumentException e) {
                return problem(dev.crm.shared.http.ProblemType.VALIDATION_ERROR, e.getMessage());
            }
            if (target.isBefore(before)) {
                return problem(dev.crm.shared.http.ProblemType.VALIDATION_ERROR,
                        "the clock only moves forward: " + target + " is before now (" + before + ")");
            }
            try {
                streams.awaitQuiet(DRAIN_LIMIT);
                Instant from = clock.instant();
                clock.moveTo(target.isBefore(from) ? from : target);
                List<String> fired = schedules.fireCrossed(from, clock.instant());
                boolean drained = true;
                for (int round = 0; round < 2; round++) {
                    drained = streams.awaitQuiet(DRAIN_LIMIT);
                    schedules.runTicking();
                }
                drained = streams.awaitQuiet(DRAIN_LIMIT) && drained;
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("previous", from.toString());
                out.putAll(clockState());
                out.put("fired", fired);
                out.put("drained", drained);
                return json(200, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problem(dev.crm.shared.http.ProblemType.SERVICE_UNAVAILABLE, "the runner is stopping");
            }
        }
    }

    private static ApiGateway.HttpResult problem(dev.crm.shared.http.ProblemType type, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        return new ApiGateway.HttpResult(type.status(), Map.of("Content-Type", "application/problem+json"), Json.write(body));
    }

    private static ApiGateway.HttpResult json(int status, Object body) {
        return new ApiGateway.HttpResult(status, Map.of("Content-Type", "application/json"), Json.write(body));
    }

    private static byte[] readBody(InputStream in, int limit) throws IOException {
        byte[] data = in.readNBytes(limit);
        // drain the rest so the connection can answer
        in.transferTo(OutputStream.nullOutputStream());
        return data;
    }

    private static void write(HttpExchange ex, ApiGateway.HttpResult result) throws IOException {
        result.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        byte[] out = result.body() == null ? new byte[0]
                : result.body().startsWith("base64:") ? java.util.Base64.getDecoder().decode(result.body().substring(7))
                : result.body().getBytes(StandardCharsets.UTF_8);
        boolean empty = out.length == 0 || result.status() == 204 || result.status() == 304;
        ex.sendResponseHeaders(result.status(), empty ? -1 : out.length);
        if (!empty) {
            ex.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        dev.crm.shared.outbound.LocalOutbox.INSTANCE.useClock(Clock.systemUTC());
        dev.crm.shared.outbound.LocalEventLog.INSTANCE.useClock(Clock.systemUTC());
        streams.close();
        schedules.close();
        gateway.shutdown();
        dynamo.close();
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(Options.USAGE);
            return;
        }
        if (!Files.exists(options.template())) {
            System.err.println("template.yaml not found at " + options.template().toAbsolutePath()
                    + "; run from the project root or pass --template");
            System.exit(2);
        }
        LocalRunner runner;
        try {
            runner = start(options, System.getenv());
        } catch (BindException e) {
            System.err.println("Port " + options.port() + " is already in use. Stop the other process or pass --port N.");
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("Could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the CRM local runner…");
            runner.close();
        }, "shutdown"));
        printBanner(runner, options);
        for (String s : options.fireSchedules()) {
            try {
                runner.schedules.fire(s);
                System.out.println("Fired schedule " + s);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
            }
        }
    }

    private static void webhookSettingsLine(LocalRunner runner, StringBuilder sb) {
        runner.webhookSettings.forEach((k, v) -> sb.append("  webhooks (local only): ").append(k).append('=').append(v).append('\n'));
    }

    private static void printBanner(LocalRunner runner, Options options) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nCRM local runner listening on ").append(runner.url()).append('\n');
        sb.append("  data: ").append(options.inMemory() ? "in memory (discarded on exit)"
                : options.dataDir().toAbsolutePath()).append('\n');
        sb.append("  health: ").append(runner.url()).append("/health\n");
        if (runner.operatorKeyGenerated) {
            sb.append("  operator key (generated for this run; set CRM_OPERATOR_KEY to fix it): ")
                    .append(runner.operatorKey).append('\n');
        }
        if (runner.demo != null) {
            DemoBusiness.Seeded d = runner.demo;
            sb.append("  demo business seeded in ").append(d.took().toSeconds()).append(" s: ").append(d.contacts())
                    .append(" contacts, ").append(d.purchases()).append(" purchases, ").append(d.responses())
                    .append(" survey responses over twelve weeks, ").append(d.consentChanges()).append(" consent changes, ")
                    .append(d.cases()).append(" cases, ").append(d.openAlerts()).append(" churn alerts\n");
            sb.append("  demo phases:");
            d.phases().forEach((phase, took) -> sb.append(' ').append(phase).append(' ').append(took.toMillis()).append(" ms;"));
            sb.append(' ').append(runner.streams.deliveries()).append('\n');
            sb.append("  dashboard: ").append(runner.url()).append("/dashboard.html with the read key ").append(d.readKey()).append('\n');
        }
        if (runner.demoAdminKey != null) {
            sb.append("  demo tenant 'demo' provisioned; its admin key, shown once: ").append(runner.demoAdminKey).append('\n');
            sb.append("  try: curl -H 'Authorization: Bearer ").append(runner.demoAdminKey).append("' ")
                    .append(runner.url()).append("/v1/tenant\n");
        }
        webhookSettingsLine(runner, sb);
        if (!runner.ticking.isEmpty()) {
            sb.append("  ticking every ").append(Schedules.TICK.toMillis()).append(" ms: ").append(runner.ticking)
                    .append(" (").append(Schedules.TICK_SETTING).append(" lists them; none for none)\n");
        }
        sb.append("  schedules: ").append(runner.schedules.list().stream().map(Schedules.Schedule::name).toList())
                .append(" (POST /_local/schedules/{name})\n");
        sb.append("Ctrl-C stops it.\n");
        System.out.println(sb);
    }
}
