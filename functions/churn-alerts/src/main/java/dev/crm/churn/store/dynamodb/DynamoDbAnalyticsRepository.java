package dev.crm.churn.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.churn.domain.analytics.AnalyticsRepository;
import dev.crm.churn.domain.analytics.Measure;
import dev.crm.churn.domain.analytics.Period;
import dev.crm.churn.domain.analytics.Targets;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.json.Json;
import dev.crm.shared.segment.SegmentRules;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link AnalyticsRepository} on the single table (docs/data-model.md, "Analytics"). The targets are
 * this function's own items (a static schema); everything else is other functions' items, read
 * low-level with only the attributes the figures need, as {@link DynamoDbChurnRepository} reads them.
 */
public final class DynamoDbAnalyticsRepository implements AnalyticsRepository {
    private static final int SURVEY_SHARDS = 10;
    private static final String ACTIVE = "active";

    private final Table table;
    private final DynamoDbTable<TargetsItem> targets;

    public DynamoDbAnalyticsRepository(Table table) {
        this.table = table;
        this.targets = table.of(TARGETS);
    }

    @Override
    public List<Customer> customers(TenantId t, String currency, boolean withScores, boolean withContacts, int max) {
        List<Map<String, AttributeValue>> summaries = new ArrayList<>();
        for (int shard = 0; shard < Keys.SUMMARY_SHARDS; shard++) {
            // Low-level: the contacts function's summary items, read with its own mapping (ContactItems.summary).
            query(QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1)
                    .keyConditionExpression("GSI1PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.summariesIndex(t, shard)))), item -> {
                        summaries.add(item);
                        if (summaries.size() > max) {
                            throw new TooMany(max);
                        }
                    });
        }
        List<String> ids = summaries.stream().map(i -> Attr.str(i, "contactId")).toList();
        Map<String, Map<String, Object>> views = withScores ? scoreViews(t, ids) : Map.of();
        Map<String, Contact> contacts = withContacts ? activeContacts(t, ids) : Map.of();
        List<Customer> out = new ArrayList<>(summaries.size());
        for (var item : summaries) {
            String id = Attr.str(item, "contactId");
            if (withContacts && !contacts.containsKey(id)) {
                continue; // erased, anonymised or being erased
            }
            Long nps = Attr.numOrNull(item, "latestNps");
            Map<String, Object> view = views.get(id);
            out.add(new Customer(id, ContactItems.summary(item, currency), nps == null ? null : nps.intValue(),
                    view == null ? null : score(view), view, contacts.get(id)));
        }
        return out;
    }

    private Map<String, Map<String, Object>> scoreViews(TenantId t, List<String> ids) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(Table.key(Keys.contact(t, id), Keys.CHURN_SCORE)));
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("contactId, #v")
                .expressionAttributeNames(Map.of("#v", "view")))) {
            out.put(Attr.str(item, "contactId"), Attr.map(item, "view"));
        }
        return out;
    }

    private Map<String, Contact> activeContacts(TenantId t, List<String> ids) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE)));
        Map<String, Contact> out = new HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b)) {
            if (ACTIVE.equals(Attr.str(item, "status"))) {
                out.put(Attr.str(item, "contactId"), ContactItems.contact(item));
            }
        }
        return out;
    }

    /** The figures of a stored score's API form ({@code ChurnScore.toJson}). */
    @SuppressWarnings("unchecked")
    private static Score score(Map<String, Object> view) {
        return new Score(number(view.get("pAlive")).doubleValue(), number(view.get("expectedPurchases")).doubleValue(),
                number(((Map<String, Object>) view.get("clv")).get("amount")),
                number(((Map<String, Object>) view.get("valueAtRisk")).get("amount")), (String) view.get("riskTier"));
    }

    private static BigDecimal number(Object o) {
        return o == null ? BigDecimal.ZERO : new BigDecimal(String.valueOf(o));
    }

    @Override
    public List<Segment> segments(TenantId t) {
        List<Segment> out = new ArrayList<>();
        // Low-level: the contacts function's segment items (its SegmentItem), of which id, name and rule are read.
        query(QueryRequest.builder().tableName(table.name()).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.segments(t)))), item -> {
                    String id = Attr.str(item, "segmentId");
                    if (id != null) {
                        out.add(new Segment(id, Attr.str(item, "name"), SegmentRules.parseStored(Json.parse(Attr.str(item, "rule")))));
                    }
                });
        return out;
    }

    @Override
    public List<Purchase> purchases(TenantId t, Instant from, Instant to, String currency, int max) {
        List<Purchase> out = new ArrayList<>();
        for (int shard = 0; shard < Keys.SUMMARY_SHARDS; shard++) {
            // Low-level: the contacts function's purchase timeline entries (GSI2); an entry's sort key is
            // `{occurredAt}#…`, so the bare instants bound [from, to).
            query(QueryRequest.builder().tableName(table.name()).indexName(Table.GSI2)
                    .keyConditionExpression("GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.purchasesIndex(t, shard)),
                            ":from", Attr.s(Keys.sortableInstant(from)), ":to", Attr.s(Keys.sortableInstant(to))))
                    .projectionExpression("contactId, #d")
                    .expressionAttributeNames(Map.of("#d", "data")), item -> {
                        Map<String, Object> data = Attr.map(item, "data");
                        BigDecimal amount = null;
                        if (data.get("value") instanceof Map<?, ?> v && currency.equals(v.get("currency"))) {
                            amount = new BigDecimal(String.valueOf(v.get("amount")));
                        }
                        out.add(new Purchase(Attr.str(item, "contactId"), Instant.parse((String) data.get("occurredAt")), amount));
                        if (out.size() > max) {
                            throw new TooMany(max);
                        }
                    });
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public SurveyTally surveyTally(TenantId t, LocalDate from, LocalDate toInclusive) {
        Map<String, String> kinds = new LinkedHashMap<>();
        // Low-level: the surveys function's survey items (GSI1), of which the id and the definition's kind are read.
        query(QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1).keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(AnalyticsKeys.surveys(t)))), item -> {
                    Object kind = Attr.map(item, "definition").get("kind");
                    if ("nps".equals(kind) || "csat".equals(kind)) {
                        kinds.put(Attr.str(item, "surveyId"), (String) kind);
                    }
                });
        long[] n = new long[5]; // promoters, passives, detractors, csat answers, csat satisfied
        kinds.forEach((surveyId, kind) -> {
            for (int shard = 0; shard < SURVEY_SHARDS; shard++) {
                // Low-level: the surveys function's day counters, `c.score:{n}` per answered score.
                query(QueryRequest.builder().tableName(table.name())
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(AnalyticsKeys.surveyCounters(t, surveyId, shard)),
                                ":from", Attr.s(from.toString()), ":to", Attr.s(toInclusive.toString()))), item -> {
                            for (var e : item.entrySet()) {
                                if (!e.getKey().startsWith("c.score:") || e.getValue().n() == null) {
                                    continue;
                                }
                                int score = Integer.parseInt(e.getKey().substring("c.score:".length()));
                                long count = Long.parseLong(e.getValue().n());
                                if ("nps".equals(kind) && score >= 0 && score <= 10) {
                                    n[score >= 9 ? 0 : score >= 7 ? 1 : 2] += count;
                                } else if ("csat".equals(kind) && score >= 1 && score <= 5) {
                                    n[3] += count;
                                    n[4] += score >= 4 ? count : 0;
                                }
                            }
                        });
            }
        });
        return new SurveyTally(n[0], n[1], n[2], n[3], n[4]);
    }

    @Override
    public CaseOutcomes caseOutcomes(TenantId t, Instant from, Instant to, int max) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        // Low-level: the cases function's arrival entries, `{createdAt}#{caseId}`; bare instants bound [from, to).
        query(QueryRequest.builder().tableName(table.name()).keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", Attr.s(AnalyticsKeys.caseArrivals(t)),
                        ":from", Attr.s(Keys.sortableInstant(from)), ":to", Attr.s(Keys.sortableInstant(to))))
                .projectionExpression("caseId"), item -> {
                    keys.add(Table.key(Keys.casePartition(t, Attr.str(item, "caseId")), AnalyticsKeys.CASE_ITEM));
                    if (keys.size() > max) {
                        throw new TooMany(max);
                    }
                });
        int solved = 0;
        int within = 0;
        // Low-level: the cases' own items, of which the status and the recorded breaches are read.
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("#st, breaches")
                .expressionAttributeNames(Map.of("#st", "status")))) {
            String status = Attr.str(item, "status");
            if ("solved".equals(status) || "closed".equals(status)) {
                solved++;
                if (!Attr.strings(item, "breaches").contains("resolution")) {
                    within++;
                }
            }
        }
        return new CaseOutcomes(keys.size(), solved, within);
    }

    @Override
    public void putTargets(TenantId t, Targets values) {
        TargetsItem item = new TargetsItem();
        item.pk = AnalyticsKeys.analytics(t);
        item.sk = AnalyticsKeys.targets(values.period());
        item.entity = "ANALYTICS_TARGETS";
        item.tenantId = t.value();
        item.period = values.period().toString();
        item.targets = new LinkedHashMap<>();
        values.values().forEach((m, v) -> item.targets.put(m.wire(), v));
        item.updatedAt = values.updatedAt();
        targets.putItem(item);
    }

    @Override
    public Targets targets(TenantId t, Period period) {
        TargetsItem item = targets.getItem(GetItemEnhancedRequest.builder().consistentRead(true)
                .key(Key.builder().partitionValue(AnalyticsKeys.analytics(t)).sortValue(AnalyticsKeys.targets(period)).build())
                .build());
        if (item == null) {
            return null;
        }
        Map<Measure, BigDecimal> values = new EnumMap<>(Measure.class);
        item.targets.forEach((k, v) -> {
            Measure m = Measure.ofWire(k);
            if (m != null && v != null) {
                values.put(m, number(v));
            }
        });
        return new Targets(period, values, item.updatedAt);
    }

    /** Every page of a query. */
    private void query(QueryRequest.Builder b, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            r.items().forEach(each);
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** A period's targets ({@code TARGETS#{period}} in {@code {t}#ANALYTICS}). */
    static final class TargetsItem {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String period;
        Map<String, Object> targets;
        Instant updatedAt;
    }

    private static final EnhancedType<Map<String, Object>> DOCUMENT = Converters.DOCUMENT.type();

    static final StaticTableSchema<TargetsItem> TARGETS = StaticTableSchema.builder(TargetsItem.class)
            .newItemSupplier(TargetsItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("period").getter(i -> i.period).setter((i, v) -> i.period = v))
            .addAttribute(DOCUMENT, a -> a.name("targets").getter(i -> i.targets).setter((i, v) -> i.targets = v)
                    .attributeConverter(Converters.DOCUMENT))
            .addAttribute(Instant.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .build();
}
