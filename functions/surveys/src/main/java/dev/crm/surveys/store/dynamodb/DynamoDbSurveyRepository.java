package dev.crm.surveys.store.dynamodb;

import java.util.function.Function;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.SurveyKeys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ScoreCounts;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link SurveyRepository} on the single table (key formats in {@link SurveyTableKeys}). Surveys, their
 * lookups, responses and their guards are mapped by static Enhanced Client schemas ({@link SurveyItem},
 * {@link SurveyLookupItem}, {@link ResponseItem}, {@link ResponseIdItem}, {@link RespondentItem}).
 * A response is one low-level transaction (of items mapped by those schemas): its day counters are incremented with {@code ADD}, which the
 * Enhanced Client cannot express, and a transaction cannot mix the two clients. The contacts function's
 * items (contacts, summaries, segments) are read as that function writes them ({@code ContactItems}).
 */
public final class DynamoDbSurveyRepository implements SurveyRepository {
    /** Survey id → tenant never changes once written, so lookups are cached for the life of the process. */
    private static final int MAX_CACHED_LOOKUPS = 10_000;
    /** A repair writes at most this many counters per update (well within the 4 KB expression limit). */
    static final int REPAIR_CHUNK = 100;
    static final String RESPONSE_KIND = "survey_response";

    private final Table table;
    private final DynamoDbTable<SurveyItem> surveyItems;
    private final DynamoDbTable<SurveyLookupItem> lookupItems;
    private final DynamoDbTable<ResponseItem> responseItems;
    private final DynamoDbTable<ResponseIdItem> responseIdItems;
    private final DynamoDbTable<RespondentItem> respondentItems;
    private final ContactDirectory contacts;
    private final Map<String, TenantId> lookups = new ConcurrentHashMap<>();

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbSurveyRepository(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.surveyItems = table.of(SurveyItem.SCHEMA);
        this.lookupItems = table.of(SurveyLookupItem.SCHEMA);
        this.responseItems = table.of(ResponseItem.SCHEMA);
        this.responseIdItems = table.of(ResponseIdItem.SCHEMA);
        this.respondentItems = table.of(RespondentItem.SCHEMA);
        this.contacts = new ContactDirectory(table, secrets);
    }

    // ---- surveys ----

    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    @Override
    public void create(StoredSurvey stored) {
        try {
            table.enhanced().transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(surveyItems, TransactPutItemEnhancedRequest.builder(SurveyItem.class)
                            .item(SurveyItem.of(stored)).conditionExpression(NEW_ITEM).build())
                    .addPutItem(lookupItems, TransactPutItemEnhancedRequest.builder(SurveyLookupItem.class)
                            .item(SurveyLookupItem.of(stored.id(), stored.survey().tenantId())).conditionExpression(NEW_ITEM).build())
                    .build());
        } catch (TransactionCanceledException e) {
            if (Table.TransactionFailure.of(e).conditionFailed(0)) {
                throw new StoreException.VersionConflict();
            }
            throw throttled(e) ? new StoreException.Busy() : e;
        }
    }

    /** Cancelled for capacity rather than for a condition: worth retrying later. */
    private static boolean throttled(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> "ThrottlingError".equals(r.code()) || "ProvisionedThroughputExceeded".equals(r.code()));
    }

    @Override
    public StoredSurvey find(TenantId t, String surveyId) {
        SurveyItem item = surveyItems.getItem(GetItemEnhancedRequest.builder()
                .key(key(SurveyTableKeys.survey(t, surveyId), Keys.ITEM)).consistentRead(true).build());
        return item == null ? null : item.toStored();
    }

    @Override
    public void replace(StoredSurvey previous, Survey updated) {
        try {
            surveyItems.putItem(PutItemEnhancedRequest.builder(SurveyItem.class).item(SurveyItem.of(previous.with(updated)))
                    .conditionExpression(Expression.builder().expression("version = :v")
                            .putExpressionValue(":v", Attr.n(previous.survey().version())).build())
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public Slice<StoredSurvey> list(TenantId t, int limit, Cursor from) {
        Page<SurveyItem> page = surveyItems.index(Table.GSI1).query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(SurveyTableKeys.surveysIndex(t)).build()))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(Cursors.startKey(from))
                .build()).iterator().next(); // one page: one request
        List<StoredSurvey> items = new ArrayList<>();
        for (SurveyItem item : page.items()) {
            items.add(item.toStored());
        }
        return new Slice<>(items, Cursors.of(page.lastEvaluatedKey()));
    }

    @Override
    public TenantId tenantOf(String surveyId) {
        TenantId cached = lookups.get(surveyId);
        if (cached != null) {
            return cached;
        }
        SurveyLookupItem item = lookupItems.getItem(GetItemEnhancedRequest.builder()
                .key(key(SurveyKeys.surveyMapping(surveyId), Keys.ITEM)).consistentRead(true).build());
        if (item == null) {
            return null; // absence is not cached: the survey may be created a moment later
        }
        TenantId t = new TenantId(item.tenantId);
        if (lookups.size() >= MAX_CACHED_LOOKUPS) {
            lookups.clear();
        }
        lookups.put(surveyId, t);
        return t;
    }

    // ---- responses ----

    @Override
    public Respondent respondent(TenantId t, String surveyId, String contactId) {
        RespondentItem item = respondentItems.getItem(GetItemEnhancedRequest.builder()
                .key(key(Keys.contact(t, contactId), SurveyTableKeys.respondent(surveyId))).consistentRead(true).build());
        return item == null ? null : new Respondent(contactId, item.responseId, item.submittedAt);
    }

    /** The partition of a response: its survey's shard for the id. */
    private static String responsesOf(TenantId t, String surveyId, String responseId) {
        return SurveyTableKeys.responses(t, surveyId, CounterShards.shardFor(responseId));
    }

    @Override
    public RecordedResponse response(TenantId t, String surveyId, String responseId) {
        String pk = responsesOf(t, surveyId, responseId);
        ResponseIdItem guard = responseIdItems.getItem(GetItemEnhancedRequest.builder()
                .key(key(pk, SurveyTableKeys.responseId(responseId))).consistentRead(true).build());
        return guard == null ? null : response(pk, guard.responseSk);
    }

    @Override
    public RecordedResponse response(TenantId t, String surveyId, Respondent respondent) {
        return response(responsesOf(t, surveyId, respondent.responseId()),
                SurveyTableKeys.response(respondent.submittedAt(), respondent.responseId()));
    }

    private RecordedResponse response(String pk, String sk) {
        ResponseItem item = responseItems.getItem(GetItemEnhancedRequest.builder().key(key(pk, sk)).consistentRead(true).build());
        return item == null ? null : item.toResponse();
    }

    @Override
    public ScoresView latestScores(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.SURVEY_SCORES);
        return item == null ? new ScoresView(Map.of(), 0) : new ScoresView(Attr.map(item, "view"), Attr.num(item, "version", 0));
    }

    @Override
    public Recorded record(NewResponse n) {
        TenantId t = n.tenant();
        StoredSurvey stored = n.survey();
        String surveyId = stored.id();
        RecordedResponse r = n.response();
        int shard = CounterShards.shardFor(r.id());
        String pk = SurveyTableKeys.responses(t, surveyId, shard);
        String sk = SurveyTableKeys.response(r.submittedAt(), r.id());
        LocalDate day = r.day(stored.zone());
        boolean known = r.contactId() != null;

        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(table.put(ResponseItem.SCHEMA.itemToMap(ResponseItem.of(t, r, pk, sk, day, shard), true), null));
        int idGuard = tx.size();
        tx.add(table.put(ResponseIdItem.SCHEMA.itemToMap(ResponseIdItem.of(t, pk, r.id(), sk), true), "attribute_not_exists(PK)"));

        // Day counters; a replaced response's counts leave its own day and shard in the same
        // transaction (one update when it is the same item: a transaction touches an item once).
        RecordedResponse old = n.replacedResponse();
        if (old != null && n.replacedCounts() != null) {
            int oldShard = CounterShards.shardFor(old.id());
            LocalDate oldDay = old.day(stored.zone());
            if (oldShard == shard && oldDay.equals(day)) {
                tx.add(counterUpdate(table, t, surveyId, shard, day, n.counts().plus(n.replacedCounts().negate())));
            } else {
                tx.add(counterUpdate(table, t, surveyId, shard, day, n.counts()));
                tx.add(counterUpdate(table, t, surveyId, oldShard, oldDay, n.replacedCounts().negate()));
            }
        } else {
            tx.add(counterUpdate(table, t, surveyId, shard, day, n.counts()));
        }

        int contactCheck = -1;
        int respondentGuard = -1;
        int scores = -1;
        if (known) {
            String contactPk = Keys.contact(t, r.contactId());
            contactCheck = tx.size();
            tx.add(contacts.requireActive(t, r.contactId()));
            respondentGuard = tx.size();
            tx.add(respondentGuard(t, surveyId, r, pk, sk, n.replaced()));
            tx.add(table.put(timelineEntry(t, r, n.timelineData(), pk, sk), null));
            if (n.replaced() != null) {
                Respondent replaced = n.replaced();
                tx.add(delete(responsesOf(t, surveyId, replaced.responseId()),
                        SurveyTableKeys.response(replaced.submittedAt(), replaced.responseId())));
                if (old != null) {
                    tx.add(delete(contactPk, Keys.timeline(old.submittedAt(), RESPONSE_KIND, old.id())));
                }
            }
            if (n.scoresView() != null) {
                scores = tx.size();
                tx.add(scoresUpdate(table, t, r.contactId(), n.scoresView(), n.scoresVersion()));
            }
            if (n.latestNps() != null) {
                // SET only: the purchase summary's other attributes belong to the contacts function
                tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(contactPk, Keys.PURCHASE_SUMMARY))
                        .updateExpression("SET latestNps = :nps")
                        .expressionAttributeValues(Map.of(":nps", Attr.n(n.latestNps())))
                        .build()).build());
            }
        }
        try {
            table.transact(tx);
            return Recorded.CREATED;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(idGuard)) {
                return Recorded.ID_TAKEN;
            }
            if (contactCheck >= 0 && f.conditionFailed(contactCheck)) {
                return Recorded.CONTACT_GONE;
            }
            if (respondentGuard >= 0 && f.conditionFailed(respondentGuard)) {
                return Recorded.RESPONDENT_TAKEN;
            }
            if ((scores >= 0 && f.conditionFailed(scores)) || f.isConflict()) {
                throw new StoreException.Contention();
            }
            throw f;
        }
    }

    private TransactWriteItem respondentGuard(TenantId t, String surveyId, RecordedResponse r, String pk, String sk,
            Respondent replaced) {
        var p = Put.builder().tableName(table.name())
                .item(RespondentItem.SCHEMA.itemToMap(RespondentItem.of(t, surveyId, r, pk, sk), true));
        if (replaced == null) {
            p.conditionExpression("attribute_not_exists(PK)");
        } else {
            // replace exactly the response that was read, so two replacements cannot both take it off
            p.conditionExpression("responseId = :old").expressionAttributeValues(Map.of(":old", Attr.s(replaced.responseId())));
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    static Map<String, AttributeValue> timelineEntry(TenantId t, RecordedResponse r, Map<String, Object> data,
            String responsePk, String responseSk) {
        Map<String, AttributeValue> entry = new HashMap<>(Table.key(Keys.contact(t, r.contactId()),
                Keys.timeline(r.submittedAt(), RESPONSE_KIND, r.id())));
        entry.put(Table.ENTITY, Attr.s("TIMELINE"));
        entry.put("tenantId", Attr.s(t.value()));
        entry.put("contactId", Attr.s(r.contactId()));
        entry.put("kind", Attr.s(RESPONSE_KIND));
        entry.put("entryId", Attr.s(r.id()));
        entry.put("occurredAt", Attr.instant(r.submittedAt()));
        entry.put("recordedAt", Attr.instant(r.submittedAt()));
        entry.put("data", Attr.of(data));
        // where the response itself is, for an erasure that must also clear it
        entry.put("refPk", Attr.s(responsePk));
        entry.put("refSk", Attr.s(responseSk));
        return entry;
    }

    static TransactWriteItem scoresUpdate(Table table, TenantId t, String contactId, Map<String, Object> view, long expectedVersion) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":view", Attr.of(view));
        values.put(":next", Attr.n(expectedVersion + 1));
        values.put(":entity", Attr.s("SURVEY_SCORES"));
        values.put(":tid", Attr.s(t.value()));
        values.put(":cid", Attr.s(contactId));
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(version)";
        } else {
            condition = "version = :expected";
            values.put(":expected", Attr.n(expectedVersion));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, contactId), Keys.SURVEY_SCORES))
                .updateExpression("SET #view = :view, version = :next, entity = :entity, tenantId = :tid, contactId = :cid")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#view", "view"))
                .expressionAttributeValues(values)
                .build()).build();
    }

    static TransactWriteItem counterUpdate(Table table, TenantId t, String surveyId, int shard, LocalDate day, ScoreCounts counts) {
        CounterUpdates.Expression e = CounterUpdates.add(counts.toCounters(), t.value(), surveyId, SurveyTableKeys.day(day));
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(SurveyTableKeys.counters(t, surveyId, shard), SurveyTableKeys.day(day)))
                .updateExpression(e.update())
                .expressionAttributeNames(e.names())
                .expressionAttributeValues(e.values())
                .build()).build();
    }

    @Override
    public Map<LocalDate, ScoreCounts> dayCounts(TenantId t, String surveyId, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, ScoreCounts> days = new TreeMap<>();
        for (int shard = 0; shard < CounterShards.SHARDS; shard++) {
            Map<String, AttributeValue> start = null;
            do {
                var b = QueryRequest.builder().tableName(table.name())
                        .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :last")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(SurveyTableKeys.counters(t, surveyId, shard)),
                                ":from", Attr.s(SurveyTableKeys.day(from)), ":last", Attr.s(SurveyTableKeys.day(to.minusDays(1)))))
                        // Eventually consistent (half the cost of ten shard reads): a result may miss a
                        // submission of the last second, never a counted one; the recount reads consistently.
                        .consistentRead(false);
                if (start != null) {
                    b.exclusiveStartKey(start);
                }
                QueryResponse r = table.client().query(b.build());
                for (var item : r.items()) {
                    days.merge(LocalDate.parse(Attr.str(item, Table.SK)), CounterUpdates.read(item), ScoreCounts::plus);
                }
                start = lastKey(r);
            } while (start != null);
        }
        return days;
    }

    @Override
    public List<RecordedResponse> responses(TenantId t, String surveyId, Instant from, Instant to, int max) {
        List<RecordedResponse> out = new ArrayList<>();
        for (int shard = 0; shard < CounterShards.SHARDS; shard++) {
            for (ResponseItem item : responseRange(SurveyTableKeys.responses(t, surveyId, shard), from, to,
                    "responseId", "surveyId", "submittedAt", "contactId", "answers")) {
                if (out.size() == max) {
                    throw new TooManyResponses();
                }
                out.add(item.toResponse());
            }
        }
        return out;
    }

    /** The responses of one shard submitted in [from, to), reading only {@code attributes}. */
    private List<ResponseItem> responseRange(String pk, Instant from, Instant to, String... attributes) {
        List<ResponseItem> out = new ArrayList<>();
        if (!to.isAfter(from)) {
            return out;
        }
        responseItems.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(key(pk, SurveyTableKeys.responsesFrom(from)),
                        key(pk, SurveyTableKeys.responsesBefore(to))))
                .attributesToProject(attributes)
                .consistentRead(true)
                .build()).items().forEach(out::add); // every page
        return out;
    }

    // ---- contacts and segments ----

    @Override
    public Contact contact(TenantId t, String contactId) {
        return contacts.find(t, contactId);
    }

    @Override
    public Object segmentRule(TenantId t, String segmentId) {
        Map<String, AttributeValue> item = table.get(Keys.segments(t), segmentId);
        String rule = item == null ? null : Attr.str(item, "rule");
        return rule == null ? null : Json.parse(rule);
    }

    @Override
    public Map<String, ContactFacts> facts(TenantId t, Collection<String> contactIds, boolean withScores) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : contactIds) {
            String pk = Keys.contact(t, id);
            keys.add(Table.key(pk, Keys.CONTACT_PROFILE));
            if (withScores) {
                keys.add(Table.key(pk, Keys.PURCHASE_SUMMARY));
                keys.add(Table.key(pk, Keys.CHURN_SCORE));
                keys.add(Table.key(pk, Keys.SURVEY_SCORES));
            }
        }
        var found = BatchReads.get(table, keys, true);
        Map<String, ContactFacts> out = new LinkedHashMap<>();
        for (String id : contactIds) {
            var items = found.getOrDefault(Keys.contact(t, id), Map.of());
            var profile = items.get(Keys.CONTACT_PROFILE);
            if (profile == null) {
                continue;
            }
            Contact c = ContactItems.contact(profile);
            if (c.status() != Contact.Status.ACTIVE) {
                continue; // the contacts function's member list only ever holds active contacts
            }
            var summary = items.get(Keys.PURCHASE_SUMMARY);
            var churn = items.get(Keys.CHURN_SCORE);
            Map<String, Object> surveys = items.get(Keys.SURVEY_SCORES) == null ? null : Attr.map(items.get(Keys.SURVEY_SCORES), "view");
            Integer nps = surveys != null && surveys.get("nps") instanceof Map<?, ?> m && m.get("score") instanceof Number s
                    ? s.intValue() : null;
            out.put(id, new ContactFacts(c, summary == null ? null : ContactItems.summary(summary, null),
                    churn == null ? null : Attr.map(churn, "view"), nps));
        }
        return out;
    }

    // ---- recount ----

    @Override
    public LocalDate nextDay(TenantId t, StoredSurvey survey, int shard, LocalDate from) {
        LocalDate counted = null;
        var counters = QueryRequest.builder().tableName(table.name()).limit(1).consistentRead(true)
                .projectionExpression("SK");
        if (from == null) {
            counters.keyConditionExpression("PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(SurveyTableKeys.counters(t, survey.id(), shard))));
        } else {
            counters.keyConditionExpression("PK = :pk AND SK >= :from")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(SurveyTableKeys.counters(t, survey.id(), shard)),
                            ":from", Attr.s(SurveyTableKeys.day(from))));
        }
        QueryResponse c = table.client().query(counters.build());
        if (!c.items().isEmpty()) {
            counted = LocalDate.parse(Attr.str(c.items().get(0), Table.SK));
        }
        String first = SurveyTableKeys.responsesFrom(from == null ? null : from.atStartOfDay(survey.zone()).toInstant());
        QueryResponse r = table.client().query(QueryRequest.builder().tableName(table.name()).limit(1).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :first AND :last")
                .expressionAttributeValues(Map.of(":pk", Attr.s(SurveyTableKeys.responses(t, survey.id(), shard)),
                        ":first", Attr.s(first), ":last", Attr.s(SurveyTableKeys.AFTER_RESPONSES)))
                .projectionExpression("submittedAt")
                .build());
        LocalDate responded = r.items().isEmpty() ? null
                : LocalDate.ofInstant(Attr.instant(r.items().get(0), "submittedAt"), survey.zone());
        if (counted == null || (responded != null && responded.isBefore(counted))) {
            return responded;
        }
        return counted;
    }

    @Override
    public CounterSnapshot counters(TenantId t, String surveyId, int shard, LocalDate day) {
        Map<String, AttributeValue> item = table.get(SurveyTableKeys.counters(t, surveyId, shard), SurveyTableKeys.day(day));
        return item == null ? new CounterSnapshot(false, 0, ScoreCounts.EMPTY)
                : new CounterSnapshot(true, Attr.num(item, CounterUpdates.WRITES, 0), CounterUpdates.read(item));
    }

    @Override
    public List<Map<String, Object>> answersOn(TenantId t, StoredSurvey survey, int shard, LocalDate day) {
        List<Map<String, Object>> out = new ArrayList<>();
        Instant from = day.atStartOfDay(survey.zone()).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(survey.zone()).toInstant();
        for (ResponseItem item : responseRange(SurveyTableKeys.responses(t, survey.id(), shard), from, to, "answers")) {
            out.add(item.answers == null ? new LinkedHashMap<>() : item.answers);
        }
        return out;
    }

    @Override
    public boolean repair(TenantId t, String surveyId, int shard, LocalDate day, CounterSnapshot read, Map<String, Long> deltas) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(deltas.entrySet());
        for (int chunk = 0; chunk * REPAIR_CHUNK < all.size(); chunk++) {
            Map<String, Long> part = new LinkedHashMap<>();
            for (var e : all.subList(chunk * REPAIR_CHUNK, Math.min(all.size(), (chunk + 1) * REPAIR_CHUNK))) {
                part.put(e.getKey(), e.getValue());
            }
            CounterUpdates.Expression e = CounterUpdates.add(part, t.value(), surveyId, SurveyTableKeys.day(day));
            Map<String, AttributeValue> values = new HashMap<>(e.values());
            // Each chunk adds 1 to writes, so the next one expects one more than the snapshot had.
            String condition;
            if (!read.exists() && chunk == 0) {
                condition = "attribute_not_exists(PK)";
            } else if (read.writes() == 0 && chunk == 0) {
                // an item no response ever wrote (every response adds to writes): made by hand, or damaged
                condition = "attribute_exists(PK) AND attribute_not_exists(#w)";
            } else {
                condition = "#w = :seen";
                values.put(":seen", Attr.n(read.writes() + chunk));
            }
            try {
                table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                        .key(Table.key(SurveyTableKeys.counters(t, surveyId, shard), SurveyTableKeys.day(day)))
                        .updateExpression(e.update())
                        .conditionExpression(condition)
                        .expressionAttributeNames(e.names())
                        .expressionAttributeValues(values)
                        .build());
            } catch (ConditionalCheckFailedException | TransactionConflictException ex) {
                // changed since the snapshot, or a response's transaction is writing it right now
                return false;
            }
        }
        return true;
    }

    // ---- helpers ----

    private static final Backoff THROTTLED = Backoff.exponential(20, 1000);

    private TransactWriteItem delete(String pk, String sk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(Table.key(pk, sk)).build()).build();
    }

    private static Map<String, AttributeValue> lastKey(QueryResponse r) {
        return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    }

}
