package dev.crm.churn.store.dynamodb;

import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnPrediction;
import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.EnhancedTransaction;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link ChurnRepository} on the single table (docs/data-model.md, "Churn"). The churn function's
 * own items (scores, alerts, the latest run) and the preferences view it reads are mapped with the
 * Enhanced Client's static schemas ({@link ChurnItems}); the contacts function's items are read
 * low-level where noted.
 */
public final class DynamoDbChurnRepository implements ChurnRepository {
    private static final String SHARD = "shard";
    private static final String ACTIVE = "active";
    private static final Expression CONTACT_ACTIVE = EnhancedTransaction.condition("#st = :active",
            Map.of("#st", "status"), Map.of(":active", AttributeValue.fromS(ACTIVE)));

    private final Table table;
    private final DynamoDbTable<ChurnItems.Score> scores;
    private final DynamoDbTable<ChurnItems.Alert> alerts;
    private final DynamoDbTable<ChurnItems.LatestRun> latestRuns;
    private final DynamoDbTable<ChurnItems.PreferencesView> preferences;

    public DynamoDbChurnRepository(Table table) {
        this.table = table;
        this.scores = table.of(ChurnItems.SCORE);
        this.alerts = table.of(ChurnItems.ALERT);
        this.latestRuns = table.of(ChurnItems.LATEST_RUN);
        this.preferences = table.of(ChurnItems.PREFERENCES_VIEW);
    }

    /**
     * The summaries' segments are the shards of their index ({@link Keys#summariesIndex}). The cursor
     * names the shard and, within it, the query's resume key: {@code {"shard": n, <LastEvaluatedKey>}}.
     */
    @Override
    public Slice<CustomerHistory> histories(TenantId t, Cursor from, int limit, String defaultCurrency) {
        Map<String, Object> position = from == null ? new LinkedHashMap<>() : Cursors.plain(from);
        Object shardValue = position.remove(SHARD);
        int shard = shardValue instanceof Number n ? n.intValue() : 0;
        if (shard < 0 || shard >= Keys.SUMMARY_SHARDS) {
            throw new IllegalArgumentException("not a position in the purchase summaries");
        }
        // Low-level: the contacts function's summary items, read with its own mapping (ContactItems.summary)
        // so that both functions read them alike; no schema of ours to keep in step with theirs.
        var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1)
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.summariesIndex(t, shard))))
                .limit(limit);
        if (!position.isEmpty()) {
            Map<String, AttributeValue> start = new LinkedHashMap<>();
            position.forEach((k, v) -> start.put(k, Attr.of(v)));
            b.exclusiveStartKey(start);
        }
        QueryResponse r = table.client().query(b.build());
        List<CustomerHistory> out = new ArrayList<>();
        for (var item : r.items()) {
            out.add(new CustomerHistory(Attr.str(item, "contactId"), ContactItems.summary(item, defaultCurrency),
                    Attr.num(item, "complaints", 0), latestNps(item)));
        }
        return new Slice<>(out, nextInShards(shard, r));
    }

    /**
     * The eight shards read side by side, each page by page, joined in shard order: the list paging
     * through {@link #histories} gives, in an eighth of the round trips one after the other.
     */
    @Override
    public List<CustomerHistory> allHistories(TenantId t, int limit, String defaultCurrency) {
        List<List<CustomerHistory>> shards = inShards(shard -> {
            List<CustomerHistory> out = new ArrayList<>();
            Cursor from = Cursors.ofPlain(new LinkedHashMap<>(Map.of(SHARD, shard)));
            while (true) {
                Slice<CustomerHistory> page = histories(t, from, limit, defaultCurrency);
                out.addAll(page.items());
                if (!(page.next() != null && shardOf(page.next()) == shard)) {
                    return out; // the next shard's beginning, or the end
                }
                from = page.next();
            }
        });
        List<CustomerHistory> all = new ArrayList<>();
        shards.forEach(all::addAll);
        return all;
    }

    private static int shardOf(Cursor c) {
        return ((Number) Cursors.plain(c).get(SHARD)).intValue();
    }

    /**
     * One read per shard, run on threads of their own (a reader blocks on its round trips, so more threads
     * than cores pay), the results in shard order; the first failure is thrown.
     */
    private static <T> List<T> inShards(IntFunction<T> read) {
        ExecutorService readers = Executors.newFixedThreadPool(Keys.SUMMARY_SHARDS, r -> {
            Thread thread = new Thread(r, "shard-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> reads = new ArrayList<>();
            for (int shard = 0; shard < Keys.SUMMARY_SHARDS; shard++) {
                int s = shard;
                reads.add(readers.submit(() -> read.apply(s)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : reads) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the shards", e);
        } finally {
            readers.shutdownNow();
        }
    }

    /** The rest of this shard, else the beginning of the next one, else the end. */
    private static Cursor nextInShards(int shard, QueryResponse r) {
        Map<String, Object> next = new LinkedHashMap<>();
        if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
            next.put(SHARD, shard);
            r.lastEvaluatedKey().forEach((k, v) -> next.put(k, Attr.toPlain(v)));
        } else if (shard + 1 < Keys.SUMMARY_SHARDS) {
            next.put(SHARD, shard + 1);
        } else {
            return null;
        }
        return Cursors.ofPlain(next);
    }

    private static Integer latestNps(Map<String, AttributeValue> item) {
        Long n = Attr.numOrNull(item, "latestNps");
        return n == null ? null : n.intValue();
    }

    @Override
    public List<CustomerHistory> historiesFromPurchases(TenantId t, Instant end, ZoneId zone, String currency) {
        List<CustomerHistory> out = new ArrayList<>();
        for (ContactPurchases c : purchases(t, end, zone, currency)) {
            out.add(new CustomerHistory(c.contactId(), PurchaseSummary.recompute(currency, c.purchases()), 0, null));
        }
        return out;
    }

    @Override
    public List<ContactPurchases> purchases(TenantId t, Instant end, ZoneId zone, String currency) {
        // the shards read side by side, added in shard order: the map sequential reads would build
        Map<String, List<PurchaseSummary.Purchase>> byContact = new TreeMap<>();
        for (List<Map<String, AttributeValue>> shardItems : inShards(shard -> purchaseItems(t, end, shard))) {
            for (var item : shardItems) {
                Map<String, Object> data = Attr.map(item, "data");
                Instant at = Instant.parse((String) data.get("occurredAt"));
                BigDecimal amount = null;
                if (data.get("value") instanceof Map<?, ?> v && currency.equals(v.get("currency"))) {
                    amount = new BigDecimal(String.valueOf(v.get("amount")));
                }
                byContact.computeIfAbsent(Attr.str(item, "contactId"), k -> new ArrayList<>())
                        .add(new PurchaseSummary.Purchase(LocalDate.ofInstant(at, zone), amount));
            }
        }
        List<ContactPurchases> out = new ArrayList<>(byContact.size());
        byContact.forEach((contactId, purchases) -> out.add(new ContactPurchases(contactId, purchases)));
        return out;
    }

    private List<Map<String, AttributeValue>> purchaseItems(TenantId t, Instant end, int shard) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            // Low-level: the contacts function's timeline entries, of which only contactId and the
            // interaction's API form (data) are read.
            var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI2)
                    .keyConditionExpression("GSI2PK = :pk AND GSI2SK < :end")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.purchasesIndex(t, shard)),
                            ":end", Attr.s(Keys.sortableInstant(end))));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * Low-level batch writes of small items (about 150 bytes: 1 WCU each, 25 per request) under the
     * run's partition; a prediction carries no personal data beyond the contact id.
     */
    @Override
    public void writePredictions(TenantId t, String runId, Instant expiresAt, List<ChurnPrediction> predictions) {
        List<WriteRequest> writes = new ArrayList<>(predictions.size());
        for (ChurnPrediction p : predictions) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(Table.PK, Attr.s(ChurnKeys.runPredictions(t, runId)));
            item.put(Table.SK, Attr.s(ChurnKeys.prediction(p.contactId())));
            item.put(Table.ENTITY, Attr.s("CHURN_PREDICTION"));
            item.put("tenantId", Attr.s(t.value()));
            item.put("runId", Attr.s(runId));
            item.put("contactId", Attr.s(p.contactId()));
            item.put("pAlive", AttributeValue.fromN(Double.toString(finite(p.pAlive()))));
            item.put("expectedPurchases", AttributeValue.fromN(Double.toString(finite(p.expectedPurchases()))));
            item.put("clv", Attr.n(p.clv()));
            item.put("currency", Attr.s(p.currency()));
            item.put(Table.TTL, Attr.ttl(expiresAt));
            writes.add(WriteRequest.builder().putRequest(b -> b.item(item)).build());
        }
        if (!writes.isEmpty()) {
            BatchWrites.write(table, writes);
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }

    @Override
    public Slice<ChurnPrediction> predictions(TenantId t, String runId, Cursor from, int limit) {
        var b = QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(ChurnKeys.runPredictions(t, runId)), ":p", Attr.s("P#")))
                .limit(limit);
        Map<String, AttributeValue> start = Cursors.startKey(from);
        if (start != null && !start.isEmpty()) {
            b.exclusiveStartKey(start);
        }
        QueryResponse r = table.client().query(b.build());
        List<ChurnPrediction> out = new ArrayList<>(r.items().size());
        for (var item : r.items()) {
            out.add(new ChurnPrediction(Attr.str(item, "contactId"), Attr.dbl(item, "pAlive"), Attr.dbl(item, "expectedPurchases"),
                    Attr.decimal(item, "clv"), Attr.str(item, "currency")));
        }
        return new Slice<>(out, r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? Cursors.of(r.lastEvaluatedKey()) : null);
    }

    @Override
    public Map<String, String> externalIds(TenantId t, List<String> contactIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(contactIds.size());
        for (String id : contactIds) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        }
        Map<String, String> out = new HashMap<>();
        // Low-level with a projection: the contact item carries personal data this read must not load.
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("contactId, externalId, #st")
                .expressionAttributeNames(Map.of("#st", "status")))) {
            String externalId = Attr.str(item, "externalId");
            if (ACTIVE.equals(Attr.str(item, "status")) && externalId != null) {
                out.put(Attr.str(item, "contactId"), externalId);
            }
        }
        return out;
    }

    @Override
    public void writeScores(TenantId t, List<ChurnScore> list) {
        List<ChurnItems.Score> items = new ArrayList<>(list.size());
        for (ChurnScore s : list) {
            items.add(ChurnItems.Score.of(t, s));
        }
        BatchWrites.write(items, batch -> {
            WriteBatch.Builder<ChurnItems.Score> b = WriteBatch.builder(ChurnItems.Score.class).mappedTableResource(scores);
            batch.forEach(b::addPutItem);
            return table.enhanced().batchWriteItem(BatchWriteItemEnhancedRequest.builder().addWriteBatch(b.build()).build())
                    .unprocessedPutItemsForTable(scores);
        });
        // A batch write takes no condition, so the scores are checked against their contacts afterwards,
        // strongly consistent: a contact seen active now is marked for erasure only later, and the
        // erasure's sweep of its partition, which comes after the mark, removes the score; one seen not
        // active (being erased, erased, anonymised) gets its score removed here. One read per score
        // instead of a transaction per score (4 WCU instead of 1; docs/data-model.md, R3).
        Set<String> active = activeContacts(t, list.stream().map(ChurnScore::contactId).toList());
        List<WriteRequest> strays = new ArrayList<>();
        for (ChurnScore s : list) {
            if (!active.contains(s.contactId())) {
                strays.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                        .key(Table.key(Keys.contact(t, s.contactId()), Keys.CHURN_SCORE)).build()).build());
            }
        }
        if (!strays.isEmpty()) {
            BatchWrites.write(table, strays);
        }
    }

    /** The ids among {@code contactIds} whose contact is active, read strongly consistent. */
    private Set<String> activeContacts(TenantId t, List<String> contactIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(contactIds.size());
        for (String id : contactIds) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        }
        Set<String> active = new HashSet<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true).projectionExpression("contactId, #st")
                .expressionAttributeNames(Map.of("#st", "status")))) {
            if (ACTIVE.equals(Attr.str(item, "status"))) {
                active.add(Attr.str(item, "contactId"));
            }
        }
        return active;
    }

    /**
     * In one transaction with a check that the contact is active: an erasure marks the contact before
     * it sweeps the partition, so an alert either lands before the mark (and the sweep removes it) or
     * is refused; a contact's name never comes back after its erasure.
     */
    @Override
    public boolean createAlert(TenantId t, ChurnAlert a) {
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        int contactActive = tx.check(alerts, Keys.contact(t, a.contactId()), Keys.CONTACT_PROFILE, CONTACT_ACTIVE);
        int alert = tx.put(alerts, ChurnItems.Alert.of(t, a), EnhancedTransaction.condition("attribute_not_exists(PK)"));
        try {
            tx.run();
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(contactActive) || f.conditionFailed(alert)) {
                return false;
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public ChurnAlert alert(TenantId t, String contactId, String period) {
        ChurnItems.Alert item = alerts.getItem(GetItemEnhancedRequest.builder()
                .key(alerts.keyFrom(ChurnItems.Alert.key(t, contactId, period))).consistentRead(true).build());
        return item == null ? null : item.toAlert();
    }

    @Override
    public ChurnAlert transition(TenantId t, ChurnAlert a, ChurnAlert.Status from, ChurnAlert.Status to, String by,
            Instant at, String resolution) {
        // Only the attributes set here are written (ignoreNulls): status, who and when, the index partition.
        ChurnItems.Alert change = ChurnItems.Alert.key(t, a.contactId(), a.period());
        change.status = to.wire();
        if (to == ChurnAlert.Status.ACKNOWLEDGED) {
            change.acknowledgedAt = at;
            change.acknowledgedBy = by;
        } else {
            change.resolvedAt = at;
            change.resolvedBy = by;
        }
        change.resolution = resolution;
        change.gsi1pk = ChurnKeys.alertsIndex(t, to);
        try {
            ChurnItems.Alert after = alerts.updateItem(UpdateItemEnhancedRequest.builder(ChurnItems.Alert.class).item(change)
                    .ignoreNulls(true)
                    .conditionExpression(Expression.builder().expression("#st = :from")
                            .putExpressionName("#st", "status").putExpressionValue(":from", Attr.s(from.wire())).build())
                    .build());
            return after.toAlert();
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    @Override
    public Slice<ChurnAlert> alerts(TenantId t, ChurnAlert.Status status, int limit, Cursor from) {
        var page = alerts.index(Table.GSI1).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(ChurnKeys.alertsIndex(t, status)).build()))
                .limit(limit).exclusiveStartKey(Cursors.startKey(from)).build())
                .iterator().next(); // one page only: the client pages with the cursor
        return new Slice<>(page.items().stream().map(ChurnItems.Alert::toAlert).toList(), Cursors.of(page.lastEvaluatedKey()));
    }

    @Override
    public Map<String, Object> preferences(TenantId t, String contactId) {
        ChurnItems.PreferencesView item = preferences.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(Keys.contact(t, contactId)).sortValue(Keys.PREFERENCES).build())
                .consistentRead(false).build());
        if (item == null) {
            return null;
        }
        return item.view == null ? new LinkedHashMap<>() : item.view;
    }

    /** One BatchGetItem per 100 contacts instead of a GetItem each (eventually consistent, as the single read). */
    @Override
    public Map<String, Map<String, Object>> preferences(TenantId t, List<String> contactIds) {
        Map<String, String> idByPartition = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>(contactIds.size());
        for (String id : contactIds) {
            String pk = Keys.contact(t, id);
            if (idByPartition.put(pk, id) == null) {
                keys.add(Table.key(pk, Keys.PREFERENCES));
            }
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(false).projectionExpression("PK, SK, #v")
                .expressionAttributeNames(Map.of("#v", "view")))) {
            ChurnItems.PreferencesView p = ChurnItems.PREFERENCES_VIEW.mapToItem(item);
            out.put(idByPartition.get(p.pk), p.view == null ? new LinkedHashMap<>() : p.view);
        }
        return out;
    }

    @Override
    public Map<String, Map<String, Object>> contactCards(TenantId t, List<String> contactIds) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : contactIds) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        }
        // Low-level: the Enhanced Client's batch read has no projection, and the contact item carries
        // personal data the card must not load.
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("contactId, firstName, lastName, email, company, #st")
                .expressionAttributeNames(Map.of("#st", "status")))) {
            if (!ACTIVE.equals(Attr.str(item, "status"))) {
                continue;
            }
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("firstName", Attr.str(item, "firstName"));
            card.put("lastName", Attr.str(item, "lastName"));
            card.put("email", Attr.str(item, "email"));
            card.put("company", Attr.str(item, "company"));
            out.put(Attr.str(item, "contactId"), card);
        }
        return out;
    }

    /**
     * One query per contact (was two, one per link prefix): its sort keys from the open links'
     * {@code A#CASE#} to the resolved links' {@code CASE#…}. Between them lie only the contact's few state
     * items ({@code A#P…}, {@code A#S…}), skipped here (a filter may not name the sort key; it would not lower
     * the capacity consumed either): reading their keys costs about what the second query's minimum charge did.
     */
    @Override
    public Map<String, CaseSignals> caseSignals(TenantId t, List<String> contactIds, Instant breachedSince) {
        Map<String, CaseSignals> out = new LinkedHashMap<>();
        String since = Keys.sortableInstant(breachedSince);
        for (String id : contactIds) {
            // Low-level: the links are the cases function's items (shared CaseLinkItems), read by prefix.
            // Open links: each one counts; resolved links: only the recently breached.
            int open = 0;
            int breached = 0;
            for (var item : linkItems(t, id)) {
                String sk = Attr.str(item, "SK");
                if (sk.startsWith(Keys.OPEN_CASE_PREFIX)) {
                    open++;
                    if (breachedSince(item, since)) {
                        breached++;
                    }
                } else if (sk.startsWith(Keys.RESOLVED_CASE_PREFIX) && breachedSince(item, since)) {
                    breached++;
                }
            }
            if (open > 0 || breached > 0) {
                out.put(id, new CaseSignals(open, breached));
            }
        }
        return out;
    }

    private static boolean breachedSince(Map<String, AttributeValue> link, String since) {
        String at = Attr.str(link, "lastBreachedAt");
        return at != null && at.compareTo(since) >= 0;
    }

    /** The keys (and breach times) of the contact's items from its first open link to its last resolved one. */
    private List<Map<String, AttributeValue>> linkItems(TenantId t, String contactId) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", Attr.s(Keys.contact(t, contactId)));
        values.put(":open", Attr.s(Keys.OPEN_CASE_PREFIX));
        values.put(":last", Attr.s(Keys.RESOLVED_CASE_PREFIX + "\uffff"));
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :open AND :last")
                    .expressionAttributeValues(values)
                    .projectionExpression("SK, lastBreachedAt");
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var r = table.client().query(q.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public void recordLatestRun(TenantId t, String runId) {
        ChurnItems.LatestRun item = ChurnItems.LatestRun.key(t);
        item.entity = "CHURN_LATEST_RUN";
        item.tenantId = t.value();
        item.runId = runId;
        latestRuns.putItem(item);
    }

    @Override
    public String latestRun(TenantId t) {
        ChurnItems.LatestRun item = latestRuns.getItem(GetItemEnhancedRequest.builder()
                .key(latestRuns.keyFrom(ChurnItems.LatestRun.key(t))).consistentRead(true).build());
        return item == null ? null : item.runId;
    }
}
