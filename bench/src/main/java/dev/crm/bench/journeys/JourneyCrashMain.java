package dev.crm.bench.journeys;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.bench.Project;
import dev.crm.bench.warm.WarmMain;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.Responses;
import dev.crm.devkit.StreamRecords;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.journeys.entrypoints.JourneyEnrolmentHandler;
import dev.crm.journeys.entrypoints.JourneySweepSchedule;
import dev.crm.journeys.entrypoints.JourneysHandler;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.events.Event;
import dev.crm.shared.events.EventIds;
import dev.crm.shared.events.EventTypes;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.log.Log;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The crash run at its size (issue 17, "Must show"): {@code --enrolments} contacts (default
 * 10,000) each enrol in "purchase → wait 5 minutes → send" through the JourneyEnrolmentFunction handler
 * (25 stream records a call, as the template's BatchSize), which is killed once mid-batch and its failed
 * batches redelivered, as the stream would; then the JourneySweepFunction handler runs the due sends and
 * is killed mid-batch twice (its DynamoDB writes fail from the Nth on, as a dead process's would), and
 * runs again until nothing is due. Counted: the messages handed to the sender (the outbox) per contact:
 * expected, found, duplicates, lost, and the times. The same run as JourneySweepCrashIT (200 in
 * {@code mvn verify}), in a table of its own with the stream off (nothing here reads it).
 *
 * <p>A child JVM of the harness ({@code --skip-journeys}, {@code --journey-enrolments N}) with the
 * journeys artifact on its classpath, or by hand:
 * {@code java -cp bench/target/crm-bench.jar:functions/journeys/target/crm-fn-journeys-<v>.jar
 * dev.crm.bench.journeys.JourneyCrashMain --enrolments 10000} (without {@code --endpoint} it starts a
 * DynamoDB Local of its own). Writes JSON to {@code --out}, or standard output.
 */
public final class JourneyCrashMain {
    static final String TABLE = "BenchJourneys";
    /** Records per enrolment-handler call: the template's BatchSize for StoredEventsForJourneys. */
    static final int BATCH = 25;
    static final int THREADS = 4;

    private JourneyCrashMain() {}

    private static void progress(String s) {
        System.err.println("[bench] " + s);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int enrolments = Integer.parseInt(o.getOrDefault("enrolments", "10000"));
        Log.sink(line -> { });
        dev.crm.shared.metrics.Metrics.sink(line -> { });
        Project project = new Project(Path.of(o.getOrDefault("root", ".")));
        LocalDynamoDb own = o.containsKey("endpoint") ? null : LocalDynamoDb.start(null);
        String endpoint = own == null ? o.get("endpoint") : own.endpoint();
        Map<String, Object> result;
        try {
            result = run(project, endpoint, enrolments);
        } finally {
            if (own != null) {
                own.close();
            }
        }
        String json = Json.write(result);
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), json);
        } else {
            System.out.println(json);
        }
        System.exit(0);
    }

    static Map<String, Object> run(Project project, String endpoint, int enrolments) throws Exception {
        DynamoDbClient admin = WarmMain.client(endpoint, null);
        try {
            admin.deleteTable(b -> b.tableName(TABLE));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException absent) {
            // a first run
        }
        LocalDynamoDb.createTable(admin, project.template(), TABLE);
        admin.updateTable(b -> b.tableName(TABLE).streamSpecification(s -> s.streamEnabled(false)));

        Settings settings = WarmMain.settings(project, endpoint, TABLE);
        FaultInjector faults = new FaultInjector();
        MutableClock clock = MutableClock.at("2026-12-08T10:00:00Z");
        Infrastructure infra = new Infrastructure(settings, clock, faults.client(settings), TestInfrastructure.sleeper(clock));
        Map<String, AtomicInteger> outbox = new ConcurrentHashMap<>();
        MessageSender sender = m -> "bench-" + outbox.computeIfAbsent(m.to(), k -> new AtomicInteger()).incrementAndGet();
        JourneysComponents components = new JourneysComponents(infra, sender);
        JourneysHandler api = new JourneysHandler(components);
        JourneyEnrolmentHandler entries = new JourneyEnrolmentHandler(components);
        JourneySweepSchedule sweep = new JourneySweepSchedule(components);
        TenantId tenant = TestInfrastructure.tenant(infra).id();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enrolments", enrolments);
        out.put("journey", "purchase → wait PT5M → send offers email (onBlocked wait)");

        long t0 = System.nanoTime();
        topic(infra, tenant, "offers");
        List<String> contacts = new ArrayList<>();
        for (List<String> chunk : parallel((enrolments + 11) / 12, i -> contacts(infra, tenant, clock.instant(), i * 12,
                Math.min(enrolments, i * 12 + 12)))) {
            contacts.addAll(chunk);
        }
        String journey = journey(api, tenant);
        List<DynamodbEvent> batches = new ArrayList<>();
        for (int from = 0; from < enrolments; from += BATCH) {
            batches.add(batch(tenant, clock.instant(), contacts.subList(from, Math.min(enrolments, from + BATCH))));
        }
        long t1 = System.nanoTime();
        progress(String.format("journeys: %,d contacts written in %.1f s", enrolments, (t1 - t0) / 1e9));

        // the enrolment worker: killed once mid-batch (every thread's writes fail from then on), the failed batches redelivered
        int enrolWritesBeforeDeath = Math.max(1, enrolments / 3);
        faults.crashAfter(enrolWritesBeforeDeath, FaultInjector.WRITES);
        List<Integer> failed = deliver(entries, batches, null);
        faults.off();
        int redelivered = 0;
        for (int round = 0; round < 5 && !failed.isEmpty(); round++) {
            redelivered += failed.size();
            failed = deliver(entries, batches, failed);
        }
        // and every tenth batch once more, as a replayed stream: a replay enrols nobody twice
        List<Integer> replay = new ArrayList<>();
        for (int i = 0; i < batches.size(); i += 10) {
            replay.add(i);
        }
        deliver(entries, batches, replay);
        long t2 = System.nanoTime();
        progress(String.format("journeys: enrolled in %.1f s (%d batches failed by the kill, redelivered)", (t2 - t1) / 1e9,
                redelivered));

        clock.advance(Duration.ofMinutes(5));
        int kills = 0;
        List<Integer> deaths = List.of(Math.max(1, enrolments / 7), Math.max(1, enrolments / 11));
        for (int writesBeforeDeath : deaths) {
            faults.crashAfter(writesBeforeDeath, FaultInjector.WRITES);
            try {
                sweep.handleRequest(Map.of(), new LambdaContext());
            } catch (RuntimeException killed) {
                kills++;
            }
            faults.off();
        }
        int sentAtKills = outbox.values().stream().mapToInt(AtomicInteger::get).sum();
        int sweeps = 0;
        while (sweeps < 100) {
            sweeps++;
            Map<String, Object> r = sweep.handleRequest(Map.of(), new LambdaContext());
            if (((Number) r.get("examined")).intValue() == 0) {
                break;
            }
        }
        long t3 = System.nanoTime();

        int found = 0;
        int duplicates = 0;
        for (String c : contacts) {
            AtomicInteger n = outbox.get(c + "@example.com");
            if (n != null) {
                found++;
                duplicates += n.get() - 1;
            }
        }
        Map<String, Object> stats = Responses.body(api.handleRequest(ApiEvents.request("GET", "/v1/journeys/{id}/stats")
                .path("id", journey).as(tenant, Scope.READ).build(), new LambdaContext()));
        out.put("enrolWritesBeforeKill", enrolWritesBeforeDeath);
        out.put("enrolBatchesRedelivered", redelivered);
        out.put("sweepWritesBeforeKills", deaths);
        out.put("sweepKills", kills);
        out.put("sentBeforeResume", sentAtKills);
        out.put("sweepsToFinish", sweeps);
        out.put("messagesExpected", enrolments);
        out.put("contactsWithAMessage", found);
        out.put("messagesFound", outbox.values().stream().mapToInt(AtomicInteger::get).sum());
        out.put("duplicates", duplicates);
        out.put("lost", enrolments - found);
        out.put("statsEntered", stats.get("entered"));
        out.put("statsSent", stats.get("sent"));
        out.put("statsCompleted", stats.get("completed"));
        out.put("setupSeconds", (t1 - t0) / 1e9);
        out.put("enrolSeconds", (t2 - t1) / 1e9);
        out.put("sweepSeconds", (t3 - t2) / 1e9);
        out.put("sendsPerSecond", enrolments / ((t3 - t2) / 1e9));
        progress("journeys: " + Json.write(out));
        return out;
    }

    interface Indexed<T> {
        T apply(int i) throws Exception;
    }

    private static <T> List<T> parallel(int n, Indexed<T> f) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int at = i;
                parts.add(pool.submit(() -> f.apply(at)));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> p : parts) {
                out.add(p.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** Delivers the batches (all, or those {@code only} names); @return the indexes of those that failed */
    private static List<Integer> deliver(JourneyEnrolmentHandler entries, List<DynamodbEvent> batches, List<Integer> only)
            throws Exception {
        List<Integer> which = new ArrayList<>();
        if (only == null) {
            for (int i = 0; i < batches.size(); i++) {
                which.add(i);
            }
        } else {
            which.addAll(only);
        }
        List<Boolean> ok = parallel(which.size(), i -> {
            try {
                StreamsEventResponse r = entries.handleRequest(batches.get(which.get(i)), new LambdaContext());
                return r.getBatchItemFailures() == null || r.getBatchItemFailures().isEmpty();
            } catch (RuntimeException killed) {
                return false;
            }
        });
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < which.size(); i++) {
            if (!ok.get(i)) {
                failed.add(which.get(i));
            }
        }
        return failed;
    }

    private static void topic(Infrastructure infra, TenantId tenant, String key) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(tenant.value() + "#TOPICS", key));
        item.put(Table.ENTITY, Attr.s("TOPIC"));
        item.put("tenantId", Attr.s(tenant.value()));
        item.put("name", Attr.s(key));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(item));
    }

    /**
     * Active contacts opted in to email and {@code offers}, items as the contacts and preferences functions
     * write them, 12 contacts (24 items) a BatchWriteItem.
     */
    private static List<String> contacts(Infrastructure infra, TenantId tenant, Instant now, int from, int to) {
        List<String> ids = new ArrayList<>();
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = dev.crm.shared.tenant.Ids.random(Contact.ID_PREFIX, 20);
            ids.add(id);
            Contact c = new Contact(id, new ContactData("C" + i, "Doe", id + "@example.com", null, null, null, "UTC",
                    null, List.of(), Map.of(), null), now, now, 1, Contact.Status.ACTIVE);
            for (Map<String, AttributeValue> item : List.of(ContactItems.contact(tenant, c), preferences(tenant, id))) {
                writes.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(item)).build());
            }
        }
        Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending = Map.of(infra.table().name(), writes);
        while (!pending.isEmpty()) {
            var request = pending;
            var r = infra.table().client().batchWriteItem(b -> b.requestItems(request));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
        return ids;
    }

    private static Map<String, AttributeValue> preferences(TenantId tenant, String id) {
        Preferences p = Preferences.empty().withChannelStatus(Channel.EMAIL, ConsentStatus.OPTED_IN)
                .withTopicStatus(Channel.EMAIL, "offers", ConsentStatus.OPTED_IN);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(tenant, id), Keys.PREFERENCES));
        item.put(Table.ENTITY, Attr.s("PREFERENCES"));
        item.put("tenantId", Attr.s(tenant.value()));
        item.put("contactId", Attr.s(id));
        item.put("version", Attr.n(p.version() + 1));
        item.put("view", Attr.of(p.withVersion(p.version() + 1).toJson()));
        return item;
    }

    private static String journey(JourneysHandler api, TenantId tenant) {
        String json = "{\"name\": \"Thank-you offer\", \"trigger\": {\"event\": \"interaction.recorded\", \"where\": {\"type\":"
                + " \"purchase\"}}, \"entry\": {\"mode\": \"once\"}, \"steps\": [{\"wait\": \"PT5M\"}, {\"send\": {\"channel\":"
                + " \"email\", \"topic\": \"offers\", \"onBlocked\": \"wait\", \"template\": {\"subject\": \"An offer for"
                + " {{contact.firstName}}\", \"text\": \"Hello {{contact.firstName}}\"}}}]}";
        APIGatewayProxyResponseEvent created = api.handleRequest(ApiEvents.request("POST", "/v1/journeys").as(tenant, Scope.WRITE)
                .json(json).build(), new LambdaContext());
        if (created.getStatusCode() != 201) {
            throw new IllegalStateException("POST /v1/journeys answered " + created.getStatusCode() + ": " + created.getBody());
        }
        String id = (String) Responses.body(created).get("id");
        APIGatewayProxyResponseEvent active = api.handleRequest(ApiEvents.request("POST", "/v1/journeys/{id}/activate")
                .path("id", id).as(tenant, Scope.WRITE).build(), new LambdaContext());
        if (active.getStatusCode() != 200) {
            throw new IllegalStateException("activate answered " + active.getStatusCode());
        }
        return id;
    }

    /** One stream batch: each contact's purchase as a stored event's INSERT record. */
    private static DynamodbEvent batch(TenantId tenant, Instant at, List<String> contacts) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String c : contacts) {
            String type = EventTypes.INTERACTION_RECORDED;
            Event e = new Event(EventIds.derive(at, "rec-" + c, type), type, EventTypes.sourceOf(type), at, tenant, c,
                    Map.of("type", "purchase", "channel", "web", "contactId", c));
            records.addAll(StreamRecords.change("rec-" + c, at, null, DynamoDbEventRepository.item(e)).getRecords());
        }
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(records);
        return batch;
    }
}
