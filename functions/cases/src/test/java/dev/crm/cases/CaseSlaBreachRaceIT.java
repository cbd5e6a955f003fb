package dev.crm.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.domain.CaseWorkflow;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.entrypoints.CaseSlaSchedule;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.events.EventAnnouncer;
import dev.crm.shared.events.store.dynamodb.TableChange;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Exactly one {@code case.sla_breached} per case and metric when PATCHes, messages and several SLA
 * schedule runs race on cases whose targets all passed, and the table's stream is then delivered twice
 * (a replay): counted from the events stored by the real decoder and event store, read from DynamoDB
 * Local's stream, not from any counter of the code under test.
 */
class CaseSlaBreachRaceIT {
    private static final int CASES = 6;
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final CasesComponents components = new CasesComponents(infra);
    private final Cases cases = components.cases();
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();

    private String contact() {
        String id = Ids.random("ct_", 20);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(tenant, id), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        infra.table().client().putItem(b -> b.tableName(infra.table().name()).item(item));
        return id;
    }

    @Test
    @SuppressWarnings("unchecked")
    void racingWritersSchedulesAndAReplayGiveOneBreachEventPerCaseAndMetric() throws Exception {
        String startAfter = streamEnd();
        List<SupportCase> opened = new ArrayList<>();
        Map<String, String> contactOf = new HashMap<>();
        for (int i = 0; i < CASES; i++) {
            String c = contact();
            SupportCase s = cases.create(tenant, Ids.random(SupportCase.ID_PREFIX, 20), new Cases.NewCase(c,
                    SupportCase.Channel.EMAIL, "billing", SupportCase.Priority.URGENT, "Charged twice", null, null, null));
            opened.add(s);
            contactOf.put(s.id(), c);
        }
        // two weeks on: both urgent targets (1 h and 8 h of business time) passed, whatever the tenant's zone
        clock.set(Instant.parse("2026-12-21T12:00:00Z"));

        CaseSlaSchedule schedule = new CaseSlaSchedule(components);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Object>> work = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            work.add(() -> {
                start.await();
                return schedule.handleRequest(Map.of(), new LambdaContext());
            });
        }
        // half the cases get writers racing the schedule runs; on the other half the runs race each other
        for (SupportCase s : opened.subList(0, CASES / 2)) {
            for (Cases.Author author : new Cases.Author[] {Cases.Author.AGENT, Cases.Author.CUSTOMER, Cases.Author.AGENT}) {
                work.add(() -> {
                    start.await();
                    return cases.addMessage(tenant, s.id(), Ids.random("msg_", 20),
                            new Cases.NewMessage(author, Cases.Visibility.PUBLIC, "hello"));
                });
            }
            for (SupportCase.Status to : new SupportCase.Status[] {SupportCase.Status.PENDING, SupportCase.Status.ON_HOLD}) {
                work.add(() -> {
                    start.await();
                    try {
                        // a PATCH: read, then put on the version read (412 when it moved)
                        return cases.change(cases.find(tenant, s.id()).orElseThrow(), new Cases.Change(to, null, null,
                                null, false, null, false, null, false, null));
                    } catch (StoreException.VersionConflict | CaseWorkflow.InvalidTransition e) {
                        return e.getClass().getSimpleName();
                    }
                });
            }
        }
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> c : work) {
            futures.add(pool.submit(c));
        }
        start.countDown();
        List<String> failures = new ArrayList<>();
        for (Future<Object> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // counted, and checked after the events: what the events show matters first
                failures.add(e.getCause().getClass().getSimpleName());
            }
        }
        // a last schedule run finds whatever nobody recorded (nothing, if the writers did)
        schedule.handleRequest(Map.of(), new LambdaContext());
        pool.shutdown();

        // the stream, as the CaseEventsFunction gets it, delivered twice (a replay of every record)
        List<TableChange> changes = streamAfter(startAfter);
        EventAnnouncer announcer = components.eventAnnouncer();
        announcer.announce(changes);
        announcer.announce(changes);

        Map<String, Integer> breachEvents = new TreeMap<>();
        int created = 0;
        for (SupportCase s : opened) {
            var items = infra.table().client().query(QueryRequest.builder().tableName(infra.table().name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :ev)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(tenant, contactOf.get(s.id()))),
                            ":ev", Attr.s("EV#")))
                    .consistentRead(true).build()).items();
            for (var item : items) {
                Map<String, Object> envelope = (Map<String, Object>) Json.parse(Attr.str(item, "envelope"));
                Map<String, Object> data = (Map<String, Object>) envelope.get("data");
                if ("case.sla_breached".equals(envelope.get("type"))) {
                    breachEvents.merge(data.get("caseId") + " " + data.get("metric"), 1, Integer::sum);
                } else if ("case.created".equals(envelope.get("type"))) {
                    created++;
                }
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (SupportCase s : opened) {
            expected.put(s.id() + " firstResponse", 1);
            expected.put(s.id() + " resolution", 1);
        }
        assertEquals(CASES, created, "the stream was read: every case's creation is stored");
        assertEquals(expected, breachEvents, "exactly one case.sla_breached per case and metric");
        assertEquals(List.of(), failures, "no writer failed other than by a lost version race");
        for (SupportCase s : opened) {
            long entries = cases.history(tenant, s.id(), null, 100).items().stream()
                    .filter(e -> e.kind().equals(HistoryEntry.SLA_BREACHED)).count();
            assertEquals(2, entries, "one sla_breached history entry per metric");
            assertTrue(cases.find(tenant, s.id()).orElseThrow().sla().breaches().size() == 2);
        }
    }

    // ---- DynamoDB Local's stream (the table is shared: records of other tests are read too and
    // decoded for their own tenants, which this test does not count) ----

    private static DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.builder().build())
                .endpointOverride(URI.create(LocalDynamoDb.shared().endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private String streamArn() {
        return infra.table().client().describeTable(b -> b.tableName(infra.table().name())).table().latestStreamArn();
    }

    /** The last sequence number now on the stream (null: empty), so the test reads only what follows. */
    private String streamEnd() {
        String last = null;
        for (var r : readAll(null)) {
            last = r.dynamodb().sequenceNumber();
        }
        return last;
    }

    private List<TableChange> streamAfter(String sequence) {
        List<TableChange> out = new ArrayList<>();
        for (var r : readAll(sequence)) {
            var d = r.dynamodb();
            out.add(new TableChange(r.eventID(), r.eventNameAsString(),
                    d.approximateCreationDateTime() == null ? Instant.EPOCH : d.approximateCreationDateTime(),
                    d.hasOldImage() ? d.oldImage() : Map.of(), d.hasNewImage() ? d.newImage() : Map.of()));
        }
        return out;
    }

    private List<software.amazon.awssdk.services.dynamodb.model.Record> readAll(String after) {
        List<software.amazon.awssdk.services.dynamodb.model.Record> out = new ArrayList<>();
        try (DynamoDbStreamsClient s = streams()) {
            String arn = streamArn();
            for (var shard : s.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                String it = s.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (it != null) {
                    var page = s.getRecords(software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest.builder()
                            .shardIterator(it).limit(1000).build());
                    for (var r : page.records()) {
                        if (after == null || new java.math.BigInteger(r.dynamodb().sequenceNumber())
                                .compareTo(new java.math.BigInteger(after)) > 0) {
                            out.add(r);
                        }
                    }
                    if (page.records().isEmpty()) {
                        break; // the open shard's end
                    }
                    it = page.nextShardIterator();
                }
            }
        }
        return out;
    }
}
