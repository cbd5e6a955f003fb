package dev.crm.bench.projection;

import dev.crm.bench.Quiet;
import dev.crm.bench.report.Markdown;
import dev.crm.bench.report.Markdown.Table;
import dev.crm.bench.warm.ItemSize;
import dev.crm.devkit.SamTemplate;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.TenantItems;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The GSI projection pass (issue 20, "no global index projects ALL"): three tables that differ only
 * in what GSI1 and GSI2 project ({@link Variant}), the same items in each, and per entity
 * <ul>
 *   <li>a list page of 25 and of 100: the capacity DynamoDB reports for the index Query and, where
 *       the index does not hold what the route returns, the BatchGetItem of the page's keys; and the
 *       warm latency of the same requests (no capacity asked), variants interleaved round by round;</li>
 *   <li>the writes that maintain the entries: capacity with the per-index split.</li>
 * </ul>
 * Run in-process against the harness's DynamoDB Local ({@code --projection-only}); never in
 * {@code mvn verify}.
 */
public final class ProjectionPass {
    static final int CONTACTS = 900; // so each of the 8 summary shards holds more than a page of 100
    static final int CASES = 300;
    static final int ALERTS = 300;
    static final int PURCHASES_PER_CONTACT = 3;
    static final int[] PAGES = {25, 100};
    /** One contact of ~2.5 KB (long notes), for the PATCH's figures beyond 1 KB; the lists are of the others. */
    static final int LARGE_CONTACT = 0; // the oldest: on no list page measured (newest first)
    static final int LARGE_NOTES = 1500;

    /** @param quietWaitMillis how long each round waits for an idle machine */
    public record Options(int warmup, int rounds, int block, long quietWaitMillis) {}

    /** One list route over an index: what it queries and how the page's rest is got. */
    record ListRoute(String entity, String route, String index, String pkName, IntFunction<Integer> queryLimit,
            boolean forward, String filterAttribute, String filterValue, boolean includeSuffices) {}

    /** Measured figures of one list route at one page size on one variant. */
    record ListFigures(Units query, Units fetch, int items, long[] nanos) {
        double rcu() {
            return query.total() + fetch.total();
        }
    }

    private final SamTemplate template;
    private final DynamoDbClient admin;
    private final DynamoDbClient client; // the product's wrapping: tenantShard on every write
    private final Options options;
    private final Consumer<String> progress;
    private final TenantId tenant = TenantId.generate();
    private final List<String> notes = new ArrayList<>();

    public ProjectionPass(SamTemplate template, DynamoDbClient raw, Options options, Consumer<String> progress) {
        this.template = template;
        this.admin = raw;
        this.client = TenantItems.wrap(raw);
        this.options = options;
        this.progress = progress;
    }

    List<ListRoute> routes() {
        return List.of(
                // DynamoDbContactRepository.list: newest change first, active only (a filter in the index)
                new ListRoute("contact", "GET /v1/contacts", "GSI1", "GSI1PK", n -> n, false, "status", "active", false),
                new ListRoute("contact by stage", "GET /v1/contacts?stage=customer", "GSI2", "GSI2PK", n -> n, false,
                        "status", "active", false),
                // DynamoDbCaseRepository.list: reads max(limit + 1, 100) entries per query, newest number first
                new ListRoute("case", "GET /v1/cases", "GSI1", "GSI1PK", n -> Math.max(n + 1, 100), false, null, null, false),
                new ListRoute("case by status", "GET /v1/cases?status=open", "GSI2", "GSI2PK", n -> Math.max(n + 1, 100),
                        false, null, null, false),
                // the same list if an unfiltered page read limit + 1 entries (what ALL would cost without the over-read)
                new ListRoute("case, limit + 1", "GET /v1/cases reading limit + 1", "GSI1", "GSI1PK", n -> n + 1, false, null,
                        null, false),
                // DynamoDbChurnRepository.alerts: one page of the status's partition
                new ListRoute("churn alert", "GET /v1/churn/alerts?status=open", "GSI1", "GSI1PK", n -> n, true, null, null,
                        false),
                // DynamoDbChurnRepository.histories (R1) and DynamoDbAnalyticsRepository.customers (A1): a
                // shard of the summaries; the readers take only INCLUDE's attributes
                new ListRoute("purchase summary", "churn run R1 / analytics A1 (one shard)", "GSI1", "GSI1PK", n -> n, true,
                        null, null, true),
                // DynamoDbChurnRepository.purchaseItems (R2) and DynamoDbAnalyticsRepository (A2): purchase timeline
                // entries of a shard (the key condition's upper bound left out: every entry is before it); the
                // readers take contactId and data
                new ListRoute("purchase entry", "churn run R2 / analytics A2 (one shard)", "GSI2", "GSI2PK", n -> n, true,
                        null, null, true));
    }

    String partition(ListRoute r) {
        return switch (r.entity()) {
            case "contact" -> Keys.contactsIndex(tenant);
            case "contact by stage" -> Keys.stageIndex(tenant, "customer");
            case "case" -> tenant.value() + "#CASES";
            case "case by status" -> tenant.value() + "#CASES#open";
            case "case, limit + 1" -> tenant.value() + "#CASES";
            case "purchase entry" -> Keys.purchasesIndex(tenant, 0);
            case "churn alert" -> Shapes.alertsIndex(tenant, "open");
            case "purchase summary" -> Keys.summariesIndex(tenant, 0);
            default -> throw new IllegalArgumentException(r.entity());
        };
    }

    public String run() {
        for (Variant v : Variant.values()) {
            progress.accept("projection: table " + v.table() + " (GSI1/GSI2 " + v + "), seeding");
            v.create(admin, template);
            seed(v);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(header());
        Map<String, Map<Integer, Map<Variant, ListFigures>>> lists = new LinkedHashMap<>();
        for (ListRoute r : routes()) {
            for (int page : PAGES) {
                progress.accept("projection: list " + r.entity() + ", page " + page);
                lists.computeIfAbsent(r.entity(), k -> new LinkedHashMap<>()).put(page, measureList(r, page));
            }
        }
        Map<String, Map<Variant, Units>> writes = new LinkedHashMap<>();
        progress.accept("projection: writes");
        for (Variant v : Variant.values()) {
            measureWrites(v).forEach((k, u) -> writes.computeIfAbsent(k, x -> new EnumMap<>(Variant.class)).put(v, u));
        }
        sb.append(listTables(lists));
        sb.append(writeTable(writes));
        sb.append(breakEvenTable(lists, writes));
        if (!notes.isEmpty()) {
            sb.append("### Notes from this pass\n\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ seeding

    private void seed(Variant v) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < CONTACTS; i++) {
            items.add(i == LARGE_CONTACT ? Shapes.contactItem(tenant, i, base.plusSeconds(60L * i), 3, LARGE_NOTES)
                    : Shapes.contactItem(tenant, i, base.plusSeconds(60L * i), 3));
            items.add(Shapes.summaryItem(tenant, i, 2 + i % 5));
            for (int n = 0; n < PURCHASES_PER_CONTACT; n++) {
                items.add(Shapes.purchaseEntry(tenant, i, n));
            }
        }
        for (int i = 0; i < CASES; i++) {
            items.add(Shapes.caseItem(tenant, i, "open", Shapes.seededAssignee(i), base.plusSeconds(i), 2));
        }
        for (int i = 0; i < ALERTS; i++) {
            items.add(Shapes.alertItem(tenant, i));
        }
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (var item : items.subList(from, Math.min(items.size(), from + 25))) {
                batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(v.table(), batch);
            while (!pending.isEmpty()) {
                var r = client.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            }
        }
    }

    // ------------------------------------------------------------------ lists

    /** Whether the route's page needs the items themselves (the index entry lacks what it returns). */
    static boolean fetches(ListRoute r, Variant v) {
        return v != Variant.ALL && !(v == Variant.INCLUDE && r.includeSuffices());
    }

    /** The filter runs in the index only where the entry carries its attribute; else on the fetched items. */
    static boolean filtersInIndex(ListRoute r, Variant v) {
        return r.filterAttribute() != null && v.projects(r.filterAttribute());
    }

    private Map<Variant, ListFigures> measureList(ListRoute r, int page) {
        Map<Variant, ListFigures> out = new EnumMap<>(Variant.class);
        Map<Variant, Units[]> units = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            units.put(v, page(r, v, page, true));
            for (int i = 0; i < options.warmup(); i++) {
                page(r, v, page, false);
            }
        }
        Map<Variant, List<Long>> times = new EnumMap<>(Variant.class);
        Variant[] order = Variant.values();
        for (int round = 0; round < options.rounds(); round++) {
            Quiet.await(options.quietWaitMillis());
            for (int k = 0; k < order.length; k++) {
                Variant v = order[(k + round) % order.length]; // a different variant first each round
                List<Long> t = times.computeIfAbsent(v, x -> new ArrayList<>());
                for (int i = 0; i < options.block(); i++) {
                    long start = System.nanoTime();
                    page(r, v, page, false);
                    t.add(System.nanoTime() - start);
                }
            }
        }
        for (Variant v : Variant.values()) {
            Units[] u = units.get(v);
            long[] nanos = times.get(v).stream().mapToLong(Long::longValue).toArray();
            out.put(v, new ListFigures(u[0], u[1], (int) u[2].total(), nanos));
        }
        return out;
    }

    /**
     * One list page as the route would read it on this variant: {query units, fetch units, {items}}
     * when {@code counted}, else the same requests without ReturnConsumedCapacity (timed).
     */
    private Units[] page(ListRoute r, Variant v, int limit, boolean counted) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", r.pkName()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", Attr.s(partition(r))));
        var q = QueryRequest.builder().tableName(v.table()).indexName(r.index()).keyConditionExpression("#pk = :pk")
                .scanIndexForward(r.forward()).limit(r.queryLimit().apply(limit));
        boolean inIndex = filtersInIndex(r, v);
        if (inIndex) {
            names.put("#f", r.filterAttribute());
            values.put(":f", Attr.s(r.filterValue()));
            q.filterExpression("#f = :f");
        }
        q.expressionAttributeNames(names).expressionAttributeValues(values);
        if (counted) {
            q.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES);
        }
        QueryResponse qr = client.query(q.build());
        List<Map<String, AttributeValue>> entries = qr.items().subList(0, Math.min(limit, qr.items().size()));
        Units query = counted ? Units.of(List.of(qr.consumedCapacity())) : Units.NONE;
        Units fetch = Units.NONE;
        int items = entries.size();
        if (fetches(r, v) && !entries.isEmpty()) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (var e : entries) {
                keys.add(Map.of("PK", e.get("PK"), "SK", e.get("SK")));
            }
            List<ConsumedCapacity> reported = new ArrayList<>();
            List<Map<String, AttributeValue>> got = batchGet(v.table(), keys, counted, reported);
            fetch = counted ? Units.of(reported) : Units.NONE;
            if (r.filterAttribute() != null && !inIndex) {
                got.removeIf(i -> !r.filterValue().equals(Attr.str(i, r.filterAttribute())));
            }
            items = got.size();
        }
        return new Units[] {query, fetch, new Units(items, 0, Map.of())};
    }

    /** BatchGetItem of up to 100 keys, eventually consistent, unprocessed keys retried (as shared BatchReads). */
    private List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys, boolean counted,
            List<ConsumedCapacity> reported) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(false).build());
        while (!pending.isEmpty()) {
            var b = BatchGetItemRequest.builder().requestItems(pending);
            if (counted) {
                b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES);
            }
            BatchGetItemResponse r = client.batchGetItem(b.build());
            out.addAll(r.responses().getOrDefault(table, List.of()));
            if (r.hasConsumedCapacity()) {
                reported.addAll(r.consumedCapacity());
            }
            pending = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        return out;
    }

    // ------------------------------------------------------------------ writes

    /** Each write the product makes that touches a GSI1/GSI2 entry, with the units it consumed. */
    private Map<String, Units> measureWrites(Variant v) {
        Map<String, Units> out = new LinkedHashMap<>();
        String table = v.table();
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        // contact PATCH: the plain conditional put of the whole item (DynamoDbContactRepository.replace), updatedAt moves
        // GSI1SK and GSI2SK
        out.put("contact PATCH (moves GSI1SK, GSI2SK)", contactPut(table, Shapes.contactItem(tenant, 5, now, 4), 3));
        // the same on a contact of ~2.5 KB (one seeded so, below): index entries over 1 KB under ALL
        out.put("contact PATCH, 2.5 KB contact (moves GSI1SK, GSI2SK)",
                contactPut(table, Shapes.contactItem(tenant, LARGE_CONTACT, now, 4, LARGE_NOTES), 3));
        // case updates: the case item's put (DynamoDbCaseRepository.replace; the history entries and the contact's
        // link are other items of its transaction). A reply: updatedAt, version, firstResponseAt change.
        var replied = Shapes.caseItem(tenant, 10, "open", Shapes.seededAssignee(10), now, 3);
        replied.put("firstResponseAt", Attr.instant(now));
        out.put("case reply, status unchanged (no key moves)", casePut(table, replied));
        // a reassignment: also an attribute INCLUDE projects (the list filters on it)
        out.put("case reassignment, status unchanged (no key moves)",
                casePut(table, Shapes.caseItem(tenant, 7, "open", "agent_new", now, 3)));
        out.put("case status change (moves GSI2PK)", casePut(table, Shapes.caseItem(tenant, 8, "pending", Shapes.seededAssignee(8), now, 3)));
        // alert acknowledge: the attributes set by DynamoDbChurnRepository.transition (ignoreNulls), GSI1PK moves
        out.put("churn alert acknowledge (moves GSI1PK)", Units.of(List.of(client.updateItem(UpdateItemRequest.builder()
                .tableName(table).key(Map.of("PK", Attr.s(Keys.contact(tenant, Shapes.contactId(9))), "SK", Attr.s("AL#202612")))
                .updateExpression("SET #st = :to, acknowledgedAt = :at, acknowledgedBy = :by, GSI1PK = :gpk")
                .conditionExpression("#st = :from")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":to", Attr.s("acknowledged"), ":at", Attr.instant(now), ":by",
                        Attr.s("key_bench000000000000000"), ":gpk", Attr.s(Shapes.alertsIndex(tenant, "acknowledged")),
                        ":from", Attr.s("open")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).consumedCapacity())));
        // a purchase's summary update (DynamoDbContactRepository.summaryUpdate): GSI1PK/SK rewritten unchanged
        int purchases = 2 + 11 % 5;
        var values = new HashMap<>(Shapes.summaryValues(tenant, 11, purchases + 1));
        values.put(":expected", Attr.n(purchases));
        out.put("purchase summary update (no key moves)", Units.of(List.of(client.updateItem(UpdateItemRequest.builder()
                .tableName(table).key(Map.of("PK", Attr.s(Keys.contact(tenant, Shapes.contactId(11))), "SK",
                        Attr.s(Keys.PURCHASE_SUMMARY)))
                .updateExpression(Shapes.summaryUpdate()).conditionExpression("purchaseVersion = :expected")
                .expressionAttributeValues(values)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).consumedCapacity())));
        // a purchase's timeline entry: a new item entering GSI2 (in the product, one item of the purchase's transaction)
        out.put("purchase timeline entry put (new item)", Units.of(List.of(client.putItem(PutItemRequest.builder()
                .tableName(table).item(Shapes.purchaseEntry(tenant, 12, PURCHASES_PER_CONTACT))
                .conditionExpression("attribute_not_exists(PK)")
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).consumedCapacity())));
        return out;
    }

    private Units contactPut(String table, Map<String, AttributeValue> item, long expectedVersion) {
        return Units.of(List.of(client.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("version = :v AND #st = :st").expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":v", Attr.n(expectedVersion), ":st", Attr.s("active")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).consumedCapacity()));
    }

    /** A case item seeded at version 2, put as its next version. */
    private Units casePut(String table, Map<String, AttributeValue> item) {
        return Units.of(List.of(client.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_exists(PK) AND version = :v")
                .expressionAttributeValues(Map.of(":v", Attr.n(2)))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()).consumedCapacity()));
    }

    // ------------------------------------------------------------------ report

    private String header() {
        StringBuilder sb = new StringBuilder("## GSI projections: ALL vs KEYS_ONLY vs INCLUDE\n\n");
        sb.append("Three tables with the template's keys and indexes, differing only in what GSI1 and GSI2 project; ")
                .append("the same items in each (").append(CONTACTS).append(" contacts and their purchase summaries, ")
                .append(CASES).append(" cases, ").append(ALERTS).append(" churn alerts, ").append(PURCHASES_PER_CONTACT).append(" purchase timeline entries per contact, one tenant). ")
                .append("INCLUDE projects: ").append(String.join(", ", Variant.INCLUDED.stream().map(Markdown::code).toList()))
                .append(".\n\nItem sizes as DynamoDB bills them (bench ItemSize): ");
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        sb.append("contact ").append(ItemSize.of(Shapes.contactItem(tenant, 1, t, 3))).append(" B (one of ")
                .append(ItemSize.of(Shapes.contactItem(tenant, LARGE_CONTACT, t, 3, LARGE_NOTES)))
                .append(" B for the larger contact's PATCH), case ")
                .append(ItemSize.of(Shapes.caseItem(tenant, 1, "open", "agent_1", t, 2))).append(" B, churn alert ")
                .append(ItemSize.of(Shapes.alertItem(tenant, 1))).append(" B, purchase summary ")
                .append(ItemSize.of(Shapes.summaryItem(tenant, 1, 3))).append(" B, purchase timeline entry ")
                .append(ItemSize.of(Shapes.purchaseEntry(tenant, 1, 0))).append(" B (each plus `tenantShard`, ~33 B).\n\n");
        sb.append("Capacity: `ReturnConsumedCapacity=INDEXES` as DynamoDB Local reports it (single-item writes, ")
                .append("queries and batch reads are reported as DynamoDB bills them: per started 4 KB of the page read, ")
                .append("eventually consistent; a batch read per item). Latency: warm, the same requests without capacity ")
                .append("asked, ").append(options.warmup()).append(" warm-up pages per variant, then ").append(options.rounds())
                .append(" rounds of ").append(options.block()).append(" pages per variant, the variants' order rotated each round, ")
                .append("each round after waiting up to ").append(options.quietWaitMillis() / 1000)
                .append(" s for an idle machine. DynamoDB Local on loopback: a round trip here is far cheaper than to ")
                .append("DynamoDB (~2–5 ms in-region), so the *extra round trip* of a BatchGetItem weighs more there than here.\n\n");
        return sb.toString();
    }

    private String listTables(Map<String, Map<Integer, Map<Variant, ListFigures>>> lists) {
        StringBuilder sb = new StringBuilder("### List pages: read units and warm latency\n\n");
        sb.append("RCU = Query (on the index) + BatchGetItem (on the table: the page's items, where the index entry ")
                .append("lacks what the route returns). Latency in ms; × ALL = median over ALL's median.\n\n");
        Table t = new Table("list", "page", "projection", "requests", "Query RCU", "BatchGet RCU", "RCU / page",
                "items", "median ms", "p90 ms", "× ALL (median)");
        Map<String, ListRoute> byEntity = new LinkedHashMap<>();
        routes().forEach(r -> byEntity.put(r.entity(), r));
        for (var e : lists.entrySet()) {
            ListRoute r = byEntity.get(e.getKey());
            for (var p : e.getValue().entrySet()) {
                double allMedian = median(p.getValue().get(Variant.ALL).nanos());
                for (var v : p.getValue().entrySet()) {
                    ListFigures f = v.getValue();
                    double median = median(f.nanos());
                    t.row(r.entity() + " (" + r.route() + ")", p.getKey(), v.getKey(),
                            fetches(r, v.getKey()) ? "Query + BatchGetItem" : "Query",
                            Markdown.num(f.query().total(), 1), Markdown.num(f.fetch().total(), 1), Markdown.num(f.rcu(), 1),
                            f.items(), Markdown.ms(median), Markdown.ms(percentile(f.nanos(), 90)),
                            Markdown.ratio(median / allMedian));
                }
            }
        }
        sb.append(t).append('\n');
        return sb.toString();
    }

    private String writeTable(Map<String, Map<Variant, Units>> writes) {
        StringBuilder sb = new StringBuilder("### Writes: write units, table and index split\n\n");
        sb.append("One write each as the product issues it (single-item request; where the product wraps it in a ")
                .append("transaction, the table's share doubles there, the index shares do not).\n\n");
        Table t = new Table("write", "projection", "WCU total", "table", "GSI1", "GSI2", "other indexes");
        for (var w : writes.entrySet()) {
            for (var v : w.getValue().entrySet()) {
                Units u = v.getValue();
                t.row(w.getKey(), v.getKey(), Markdown.num(u.total(), 1), Markdown.num(u.table(), 1),
                        Markdown.num(u.index("GSI1"), 1), Markdown.num(u.index("GSI2"), 1),
                        Markdown.num(u.otherIndexes(Variant.OVERLOADED), 1));
            }
        }
        sb.append(t).append('\n');
        return sb.toString();
    }

    /** Which update pairs with which list, for the break-even. */
    static final Map<String, List<String>> PAIRS = pairs();

    private static Map<String, List<String>> pairs() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("contact PATCH (moves GSI1SK, GSI2SK)", List.of("contact", "contact by stage"));
        m.put("contact PATCH, 2.5 KB contact (moves GSI1SK, GSI2SK)", List.of("contact", "contact by stage"));
        m.put("case reply, status unchanged (no key moves)", List.of("case", "case by status", "case, limit + 1"));
        m.put("case reassignment, status unchanged (no key moves)", List.of("case", "case by status", "case, limit + 1"));
        m.put("case status change (moves GSI2PK)", List.of("case", "case by status", "case, limit + 1"));
        m.put("churn alert acknowledge (moves GSI1PK)", List.of("churn alert"));
        m.put("purchase summary update (no key moves)", List.of("purchase summary"));
        m.put("purchase timeline entry put (new item)", List.of("purchase entry"));
        return m;
    }

    private String breakEvenTable(Map<String, Map<Integer, Map<Variant, ListFigures>>> lists,
            Map<String, Map<Variant, Units>> writes) {
        BreakEven prices = BreakEven.US_EAST_1;
        StringBuilder sb = new StringBuilder("### Break-even: list pages per update\n\n");
        sb.append("On-demand prices, US East (N. Virginia), standard table class: $")
                .append(prices.writePerMillion()).append(" per million write request units, $")
                .append(prices.readPerMillion()).append(" per million read request units ")
                .append("(https://aws.amazon.com/dynamodb/pricing/on-demand/ for the units' definitions; the figures as ")
                .append("quoted at https://airbyte.com/data-engineering-resources/dynamodb-pricing). Only their ratio (5 : 1) ")
                .append("enters the break-even. *Saved* = the update's WCU under ALL minus under the projection; *extra* = ")
                .append("a page's RCU under the projection minus under ALL. Break-even = saved × write price / (extra × read ")
                .append("price): with fewer list pages than that per update the projection is cheaper; ")
                .append("\"never\" = the update saves nothing; \"always\" = the page costs no more.\n\n");
        Table t = new Table("update", "list", "page", "projection", "WCU saved / update", "RCU extra / page",
                "break-even pages per update", "USD per million updates saved", "USD per million pages extra");
        for (var pair : PAIRS.entrySet()) {
            Map<Variant, Units> w = writes.get(pair.getKey());
            if (w == null) {
                continue;
            }
            for (String entity : pair.getValue()) {
                for (int page : PAGES) {
                    Map<Variant, ListFigures> l = lists.get(entity).get(page);
                    for (Variant v : List.of(Variant.KEYS_ONLY, Variant.INCLUDE)) {
                        double saved = w.get(Variant.ALL).total() - w.get(v).total();
                        double extra = l.get(v).rcu() - l.get(Variant.ALL).rcu();
                        double be = prices.pagesPerUpdate(w.get(Variant.ALL).total(), w.get(v).total(), l.get(Variant.ALL).rcu(),
                                l.get(v).rcu());
                        t.row(pair.getKey(), entity, page, v, Markdown.num(saved, 1), Markdown.num(extra, 1), breakEven(be),
                                Markdown.num(prices.cost(0, saved) * 1e6, 3), Markdown.num(prices.cost(extra, 0) * 1e6, 3));
                    }
                }
            }
        }
        sb.append(t).append('\n');
        return sb.toString();
    }

    static String breakEven(double v) {
        if (Double.isNaN(v)) {
            return "same cost";
        }
        if (v == 0) {
            return "never";
        }
        if (Double.isInfinite(v)) {
            return "always";
        }
        return Markdown.num(v, 2);
    }

    static double median(long[] nanos) {
        return percentile(nanos, 50);
    }

    /** Milliseconds; the median as Stats computes it, other percentiles nearest-rank. */
    static double percentile(long[] nanos, double p) {
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
        return p == 50 ? dev.crm.bench.report.Stats.median(ms) : dev.crm.bench.report.Stats.percentile(ms, p);
    }
}
