package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@link ChurnRepository} on the single table (docs/data-model.md, "Churn"). */
public final class DynamoDbChurnRepository implements ChurnRepository {
    /** Value-at-risk sorts descending in the alert index by subtracting from this (cents). */
    static final long SORT_CEILING = 999_999_999_999L;

    private final Table table;

    public DynamoDbChurnRepository(Table table) {
        this.table = table;
    }

    static String alertSk(String period) {
        return "AL#" + period;
    }

    static String churnState(TenantId t) {
        return t.value() + "#CHURN";
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
        var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1)
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.summariesIndex(t, shard))))
                .limit(limit);
        if (!position.isEmpty()) {
            b.exclusiveStartKey(key(position));
        }
        QueryResponse r = table.client().query(b.build());
        List<CustomerHistory> out = new ArrayList<>();
        for (var item : r.items()) {
            out.add(new CustomerHistory(Attr.str(item, "contactId"), ContactItems.summary(item, defaultCurrency),
                    Attr.num(item, "complaints", 0), latestNps(item)));
        }
        return new Slice<>(out, nextInShards(shard, r));
    }

    private static final String SHARD = "shard";

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
        Map<String, List<PurchaseSummary.Purchase>> byContact = new TreeMap<>();
        for (int shard = 0; shard < Keys.SUMMARY_SHARDS; shard++) {
            Map<String, AttributeValue> start = null;
            do {
                var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI2)
                        .keyConditionExpression("GSI2PK = :pk AND GSI2SK < :end")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.purchasesIndex(t, shard)),
                                ":end", Attr.s(Keys.sortableInstant(end))));
                if (start != null) {
                    b.exclusiveStartKey(start);
                }
                QueryResponse r = table.client().query(b.build());
                for (var item : r.items()) {
                    Map<String, Object> data = Attr.map(item, "data");
                    Instant at = Instant.parse((String) data.get("occurredAt"));
                    BigDecimal amount = null;
                    if (data.get("value") instanceof Map<?, ?> v && currency.equals(v.get("currency"))) {
                        amount = new BigDecimal(String.valueOf(v.get("amount")));
                    }
                    byContact.computeIfAbsent(Attr.str(item, "contactId"), k -> new ArrayList<>())
                            .add(new PurchaseSummary.Purchase(LocalDate.ofInstant(at, zone), amount));
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        }
        List<CustomerHistory> out = new ArrayList<>();
        byContact.forEach((contactId, purchases) ->
                out.add(new CustomerHistory(contactId, PurchaseSummary.recompute(currency, purchases), 0, null)));
        return out;
    }

    @Override
    public void writeScores(TenantId t, List<ChurnScore> scores) {
        List<WriteRequest> writes = new ArrayList<>();
        for (ChurnScore s : scores) {
            Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, s.contactId()), Keys.CHURN_SCORE));
            item.put(Table.ENTITY, Attr.s("CHURN_SCORE"));
            item.put("tenantId", Attr.s(t.value()));
            item.put("contactId", Attr.s(s.contactId()));
            item.put("view", Attr.of(s.toJson()));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        for (int i = 0; i < writes.size(); i += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), writes.subList(i, Math.min(writes.size(), i + 25)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                var r = table.client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    if (attempt > 10) {
                        throw new IllegalStateException("score writes still throttled after retries");
                    }
                    sleep(Math.min(1000, 20L << attempt));
                }
            }
        }
    }

    @Override
    public boolean createAlert(TenantId t, ChurnAlert a) {
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(alertItem(t, a))
                    .conditionExpression("attribute_not_exists(PK)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private Map<String, AttributeValue> alertItem(TenantId t, ChurnAlert a) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, a.contactId()), alertSk(a.period())));
        item.put(Table.ENTITY, Attr.s("CHURN_ALERT"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("alertId", Attr.s(a.id()));
        item.put("contactId", Attr.s(a.contactId()));
        item.put("period", Attr.s(a.period()));
        item.put("status", Attr.s(a.status().wire()));
        item.put("pAlive", AttributeValue.fromN(Double.toString(a.pAlive())));
        item.put("riskTier", Attr.s(a.riskTier()));
        item.put("clv", Attr.n(a.clv()));
        item.put("valueAtRisk", Attr.n(a.valueAtRisk()));
        item.put("currency", Attr.s(a.currency()));
        item.put("reasons", Attr.ss(a.reasons()));
        item.put("suggestedAction", Attr.of(a.suggestedAction()));
        item.put("contact", Attr.of(a.contact() == null ? Map.of() : a.contact()));
        item.put("runId", Attr.s(a.runId()));
        item.put("createdAt", Attr.instant(a.createdAt()));
        item.put(Table.GSI1PK, Attr.s(alertsIndex(t, a.status())));
        item.put(Table.GSI1SK, Attr.s(sortKey(a)));
        return item;
    }

    static String alertsIndex(TenantId t, ChurnAlert.Status status) {
        return t.value() + "#ALERTS#" + status.wire();
    }

    /** Largest value at risk first, then the id for a stable order. */
    static String sortKey(ChurnAlert a) {
        long cents = a.valueAtRisk().movePointRight(2).longValue();
        return String.format("%012d", Math.max(0, SORT_CEILING - Math.min(cents, SORT_CEILING))) + "#" + a.id();
    }

    @Override
    public ChurnAlert alert(TenantId t, String contactId, String period) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), alertSk(period));
        return item == null ? null : read(item);
    }

    @Override
    public ChurnAlert transition(TenantId t, ChurnAlert a, ChurnAlert.Status from, ChurnAlert.Status to, String by,
            Instant at, String resolution) {
        String prefix = to == ChurnAlert.Status.ACKNOWLEDGED ? "acknowledged" : "resolved";
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", Attr.s(to.wire()));
        values.put(":from", Attr.s(from.wire()));
        values.put(":at", Attr.instant(at));
        values.put(":by", Attr.s(by));
        values.put(":gpk", Attr.s(alertsIndex(t, to)));
        String expr = "SET #st = :to, " + prefix + "At = :at, " + prefix + "By = :by, GSI1PK = :gpk";
        if (resolution != null) {
            values.put(":res", Attr.s(resolution));
            expr += ", resolution = :res";
        }
        try {
            var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Table.key(Keys.contact(t, a.contactId()), alertSk(a.period())))
                    .updateExpression(expr)
                    .conditionExpression("#st = :from")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW).build());
            return read(r.attributes());
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    @Override
    public Slice<ChurnAlert> alerts(TenantId t, ChurnAlert.Status status, int limit, Cursor from) {
        var b = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1)
                .keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(alertsIndex(t, status))))
                .limit(limit);
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<ChurnAlert> out = new ArrayList<>();
        for (var item : r.items()) {
            out.add(read(item));
        }
        return new Slice<>(out, Cursors.of(r.lastEvaluatedKey()));
    }

    @SuppressWarnings("unchecked")
    static ChurnAlert read(Map<String, AttributeValue> item) {
        return new ChurnAlert(Attr.str(item, "alertId"), Attr.str(item, "contactId"), Attr.str(item, "period"),
                ChurnAlert.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT)),
                Attr.dbl(item, "pAlive"), Attr.str(item, "riskTier"), Attr.decimal(item, "clv"), Attr.decimal(item, "valueAtRisk"),
                Attr.str(item, "currency"), Attr.strings(item, "reasons"), Attr.map(item, "suggestedAction"),
                Attr.map(item, "contact"), Attr.str(item, "runId"), Attr.instant(item, "createdAt"),
                Attr.instant(item, "acknowledgedAt"), Attr.str(item, "acknowledgedBy"), Attr.instant(item, "resolvedAt"),
                Attr.str(item, "resolvedBy"), Attr.str(item, "resolution"));
    }

    @Override
    public Map<String, Object> preferences(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.getEventually(Keys.contact(t, contactId), Keys.PREFERENCES);
        return item == null ? null : Attr.map(item, "view");
    }

    @Override
    public Map<String, Map<String, Object>> contactCards(TenantId t, List<String> contactIds) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : contactIds) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        }
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100)))
                    .projectionExpression("contactId, firstName, lastName, email, company, #st")
                    .expressionAttributeNames(Map.of("#st", "status")).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                var r = table.client().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                for (var item : r.responses().getOrDefault(table.name(), List.of())) {
                    if (!"active".equals(Attr.str(item, "status"))) {
                        continue;
                    }
                    Map<String, Object> card = new LinkedHashMap<>();
                    card.put("firstName", Attr.str(item, "firstName"));
                    card.put("lastName", Attr.str(item, "lastName"));
                    card.put("email", Attr.str(item, "email"));
                    card.put("company", Attr.str(item, "company"));
                    out.put(Attr.str(item, "contactId"), card);
                }
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty() && attempt > 10) {
                    throw new IllegalStateException("batch read still throttled after retries");
                }
            }
        }
        return out;
    }

    @Override
    public void recordLatestRun(TenantId t, String runId) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(churnState(t), "LATEST_RUN"));
        item.put(Table.ENTITY, Attr.s("CHURN_LATEST_RUN"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("runId", Attr.s(runId));
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item).build());
    }

    @Override
    public String latestRun(TenantId t) {
        Map<String, AttributeValue> item = table.get(churnState(t), "LATEST_RUN");
        return item == null ? null : Attr.str(item, "runId");
    }

    private static Map<String, AttributeValue> key(Map<String, Object> from) {
        Map<String, AttributeValue> k = new HashMap<>();
        from.forEach((name, v) -> k.put(name, Attr.of(v)));
        return k;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
