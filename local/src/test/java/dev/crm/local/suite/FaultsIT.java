package dev.crm.local.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.contacts.entrypoints.ContactJobsWorker;
import dev.crm.contacts.entrypoints.ContactsHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SamTemplate;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.SampleTokens;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Faults injected at the DynamoDB client on every write path: a throttled write succeeds after the
 * SDK's retries; one that stays throttled fails cleanly (503, nothing written); a job whose process
 * dies midway — an injected crash, a lost lease, a DynamoDB Local server stopped and restarted on its
 * data directory — resumes and finishes with nothing lost and nothing duplicated.
 */
class FaultsIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final FaultInjector faults = new FaultInjector();

    /** A table of its own, so the before/after snapshots stay small and no other suite's data is in them. */
    private static final String TABLE = "crm-faults";

    @BeforeAll
    static void table() {
        LocalDynamoDb.shared().createTable(SamTemplate.load(), TABLE);
    }

    private Settings settings(String endpoint) {
        return new Settings(Map.of("TABLE_NAME", TABLE, "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", endpoint,
                "CRM_OPERATOR_KEY", TestInfrastructure.OPERATOR_KEY, "PUBLIC_BASE_URL", "http://127.0.0.1:3000", "CRM_LOCAL", "true"));
    }

    private Infrastructure infra(DynamoDbClient client, String endpoint) {
        return new Infrastructure(settings(endpoint), clock, client, TestInfrastructure.sleeper(clock));
    }

    private DynamoDbClient faulty(LocalDynamoDb db) {
        return faults.client(settings(db.endpoint()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, RequestHandler<Object, Object>> handlers(Infrastructure infra) throws Exception {
        Map<String, RequestHandler<Object, Object>> out = new LinkedHashMap<>();
        for (SamTemplate.Function f : SamTemplate.load().functions()) {
            out.put(f.logicalId(), (RequestHandler<Object, Object>) Class.forName(f.handlerClass())
                    .getConstructor(Infrastructure.class).newInstance(infra));
        }
        return out;
    }

    /** Every write sample, run in order for a fresh tenant, with {@code onEach} deciding the fault and the check. */
    private int forEachWriteSample(Infrastructure infra, Check onEach) throws Exception {
        var handlers = handlers(infra);
        Map<String, String> routes = new LinkedHashMap<>();
        for (SamTemplate.ApiRoute r : SamTemplate.load().apiRoutes()) {
            routes.put(r.method() + " " + r.path(), r.functionId());
        }
        var tenant = TestInfrastructure.tenant(infra);
        Map<String, String> replace = new LinkedHashMap<>(SampleWalk.replacements(tenant.id().value(), tenant.adminKey(), tenant.slug()));
        int checked = 0;
        for (Path p : SampleWalk.inRunOrder(SampleEvents.all())) {
            if (p.getFileName().toString().startsWith("deprovision-")) {
                continue;
            }
            if (replace.containsKey("c_example0000000000000") && !replace.containsKey("tok_example_confirm")) {
                replace.putAll(SampleTokens.mint(tenant.id(), infra.tenants().find(tenant.id()).secrets(),
                        replace.get("c_example0000000000000"), clock.instant()));
            }
            if (replace.containsKey("cs_example0000000000000") && !replace.containsKey("tok_example_case")) {
                replace.putAll(SampleTokens.mintCase(tenant.id(), infra.tenants().find(tenant.id()).secrets(), replace, clock.instant()));
            }
            Map<String, Object> json = SampleEvents.read(p, replace);
            if (!SampleEvents.isApiEvent(json)) {
                continue;
            }
            String method = (String) json.get("httpMethod");
            var handler = handlers.get(routes.get(method + " " + json.get("resource")));
            boolean write = !method.equals("GET") && !method.equals("OPTIONS");
            var response = onEach.run(write, p, () -> (APIGatewayProxyResponseEvent) handler.handleRequest(SampleEvents.apiEvent(json),
                    new LambdaContext()));
            faults.off();
            if (response != null && response.getStatusCode() < 300) {
                SampleWalk.learn(response.getBody(), replace);
            }
            checked += write ? 1 : 0;
        }
        return checked;
    }

    @FunctionalInterface
    interface Check {
        APIGatewayProxyResponseEvent run(boolean write, Path sample, java.util.concurrent.Callable<APIGatewayProxyResponseEvent> call)
                throws Exception;
    }

    @Test
    void everyWritePathSucceedsThroughTransientThrottling() throws Exception {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Infrastructure infra = infra(faulty(db), db.endpoint());
        List<String> failures = new ArrayList<>();
        int[] throttled = {0};
        int checked = forEachWriteSample(infra, (write, sample, call) -> {
            if (write) {
                faults.throttleFirst(2, FaultInjector.WRITES);
            }
            var r = call.call();
            throttled[0] += faults.injected();
            if (write && r.getStatusCode() >= 300 && !sample.getFileName().toString().matches("(acknowledge|resolve|get)-.*")) {
                failures.add(sample.getFileName() + " -> " + r.getStatusCode() + " " + r.getBody());
            }
            return r;
        });
        assertTrue(checked > 20, "write samples: " + checked);
        assertTrue(throttled[0] > checked, "throttling was injected: " + throttled[0]);
        assertEquals(List.of(), failures);
    }

    @Test
    void aWriteThatStaysThrottledFailsCleanlyWithNothingWritten() throws Exception {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Infrastructure infra = infra(faulty(db), db.endpoint());
        DynamoDbClient plain = db.client();
        List<String> failures = new ArrayList<>();
        forEachWriteSample(infra, (write, sample, call) -> {
            if (!write) {
                return call.call();
            }
            Map<String, String> before = TableSnapshot.take(plain, TABLE);
            faults.throttleAlways(FaultInjector.WRITES);
            var r = call.call();
            faults.off();
            boolean writes = faults.injected() > 0;
            if (writes && (r.getStatusCode() != 503 || !"1".equals(r.getHeaders().get("Retry-After")))) {
                failures.add(sample.getFileName() + " throttled -> " + r.getStatusCode() + " " + r.getBody());
            }
            if (!before.equals(TableSnapshot.take(plain, TABLE))) {
                failures.add(sample.getFileName() + ": a throttled request left something written");
            }
            return call.call(); // now for real, so later samples find what this one makes
        });
        assertEquals(List.of(), failures);
    }

    // ---- jobs whose process dies midway ----

    private static String importBody(int rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            b.append("{\"firstName\": \"Row").append(i).append("\", \"email\": \"row").append(i).append("@example.com\"}\n");
        }
        return b.toString();
    }

    private static DynamodbEvent queued(String pk) {
        return SampleEvents.jobQueued(pk);
    }

    @SuppressWarnings("unchecked")
    private static String startImport(ContactsHandler handler, TenantId t, int rows) {
        var r = handler.handleRequest(ApiEvents.request("POST", "/v1/contacts/imports").as(t, Scope.WRITE)
                .body("application/x-ndjson", importBody(rows)).build(), new LambdaContext());
        assertEquals(202, r.getStatusCode(), r.getBody());
        return (String) ((Map<String, Object>) Json.parse(r.getBody())).get("id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(ContactsHandler handler, TenantId t, String id) {
        var r = handler.handleRequest(ApiEvents.request("GET", "/v1/contacts/imports/{id}").path("id", id).as(t, Scope.READ).build(),
                new LambdaContext());
        return (Map<String, Object>) Json.parse(r.getBody());
    }

    /** row1@example.com … row{rows}@example.com, sorted as {@link TableSnapshot#contactEmails} sorts. */
    private static List<String> rowEmails(int rows) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            out.add("row" + i + "@example.com");
        }
        out.sort(null);
        return out;
    }

    @Test
    void anImportWhoseWritesCrashMidwayResumesAndFinishesExactly() throws Exception {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Infrastructure infra = infra(faulty(db), db.endpoint());
        TenantId t = TestInfrastructure.tenant(infra).id();
        ContactsHandler handler = new ContactsHandler(infra);
        String id = startImport(handler, t, 400);
        // the process "dies" after 8 transactions, about midway: new contacts go twenty rows to a
        // transaction (400 rows, ~20 of them); everything after fails
        faults.crashAfter(8, Set.of("TransactWriteItems"));
        try {
            new ContactJobsWorker(infra).handleRequest(queued(Keys.job(t, id)), new LambdaContext());
        } catch (RuntimeException expected) {
            // the invocation fails; the stream would retry it
        }
        faults.off();
        assertEquals("queued", job(handler, t, id).get("status"), "the crashed worker gave the job back");
        new ContactJobsWorker(infra).handleRequest(queued(Keys.job(t, id)), new LambdaContext());
        Map<?, ?> result = (Map<?, ?>) job(handler, t, id).get("result");
        assertEquals(400L, result.get("created"));
        assertEquals(rowEmails(400), TableSnapshot.contactEmails(db.client(), TABLE, t), "every row stored once, none twice");
    }

    @Test
    void aJobWhoseWorkerVanishedIsTakenOverWhenItsLeaseRunsOut() throws Exception {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Infrastructure infra = infra(db.client(), db.endpoint());
        TenantId t = TestInfrastructure.tenant(infra).id();
        ContactsHandler handler = new ContactsHandler(infra);
        String id = startImport(handler, t, 50);
        // a worker claims the job and dies without a trace (not even a hand-over): killed by a timeout, say
        assertTrue(infra.jobs().claim(dev.crm.shared.jobs.JobRef.of(t, id), "vanished-worker", 120_000) != null);
        var before = clock.instant();
        // the stream retries the dead invocation: the retry waits the lease out, then takes the job over
        new ContactJobsWorker(infra).handleRequest(queued(Keys.job(t, id)), new LambdaContext());
        assertEquals(50L, ((Map<?, ?>) job(handler, t, id).get("result")).get("created"));
        assertEquals(rowEmails(50), TableSnapshot.contactEmails(db.client(), TABLE, t), "every row stored once, none twice");
        assertTrue(Duration.between(before, clock.instant()).toMillis() >= 120_000, "it waited for the lease to run out");
    }

    @Test
    void anImportSurvivesItsDatabaseServerBeingStoppedAndRestarted() throws Exception {
        Path dir = Files.createTempDirectory("crm-ddb-restart");
        LocalDynamoDb server = LocalDynamoDb.start(dir);
        int port = server.port();
        server.createTable(SamTemplate.load(), TABLE);
        Infrastructure infra = infra(server.client(), server.endpoint());
        TenantId t = TestInfrastructure.tenant(infra).id();
        String id = startImport(new ContactsHandler(infra), t, 600);
        // the first invocation gets through one batch and hands over
        long[] budget = {25_000};
        new ContactJobsWorker(infra).handleRequest(queued(Keys.job(t, id)), new LambdaContext(() -> budget[0] -= 10_000));
        server.close();

        LocalDynamoDb restarted = LocalDynamoDb.start(dir, port);
        try {
            Infrastructure again = infra(restarted.client(), restarted.endpoint());
            ContactsHandler handler = new ContactsHandler(again);
            Map<String, Object> halfway = job(handler, t, id);
            assertEquals("queued", halfway.get("status"));
            assertTrue(((Number) halfway.get("done")).intValue() > 0, "progress survived the restart");
            new ContactJobsWorker(again).handleRequest(queued(Keys.job(t, id)), new LambdaContext());
            assertEquals(600L, ((Map<?, ?>) job(handler, t, id).get("result")).get("created"));
            assertEquals(rowEmails(600), TableSnapshot.contactEmails(restarted.client(), TABLE, t), "every row stored once, none twice");
        } finally {
            restarted.close();
        }
    }
}
