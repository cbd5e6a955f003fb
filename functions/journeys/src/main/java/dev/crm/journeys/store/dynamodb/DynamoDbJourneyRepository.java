package dev.crm.journeys.store.dynamodb;

import dev.crm.journeys.domain.Enrolment;
import dev.crm.journeys.domain.Entry;
import dev.crm.journeys.domain.Journey;
import dev.crm.journeys.domain.JourneyDefinition;
import dev.crm.journeys.domain.JourneyRepository;
import dev.crm.shared.consent.store.dynamodb.ConsentTable;
import dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.json.Json;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.segment.SegmentRules;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link JourneyRepository} on the single table (docs/data-model.md, "Journeys"). Low-level items
 * throughout: every write here is a transaction that mixes this function's items with counter
 * {@code ADD}s and the consent items of a recorded send ({@link ConsentTable#recordSendWrites}), which
 * the Enhanced Client's transactions cannot hold together.
 */
public final class DynamoDbJourneyRepository implements JourneyRepository {
    static final String JOURNEY = "JOURNEY";
    static final String DEFINITION = "JOURNEY_DEFINITION";
    static final String ACTIVE = "JOURNEY_ACTIVE";
    static final String COUNTS = "JOURNEY_COUNTS";
    static final String ENROLMENT = "JOURNEY_ENROLMENT";
    static final String GUARD = "JOURNEY_ENTRY_GUARD";
    private static final int ATTEMPTS = 6;

    private final Table table;
    private final ConsentTable consent;

    public DynamoDbJourneyRepository(Table table) {
        this.table = table;
        this.consent = new ConsentTable(table);
    }

    // ---- journeys ----

    private static Map<String, AttributeValue> journeyItem(TenantId t, Journey j) {
        Map<String, AttributeValue> m = new HashMap<>(Table.key(JourneyKeys.journey(t, j.id()), Keys.ITEM));
        m.put(Table.ENTITY, Attr.s(JOURNEY));
        m.put("tenantId", Attr.s(t.value()));
        m.put("journeyId", Attr.s(j.id()));
        m.put("name", Attr.s(j.name()));
        m.put("status", Attr.s(j.status().wire()));
        m.put("version", Attr.n(j.version()));
        m.put("definitionVersion", Attr.n(j.definitionVersion()));
        m.put("definition", Attr.s(Json.write(j.definition().json())));
        m.put("createdAt", Attr.instant(j.createdAt()));
        m.put("updatedAt", Attr.instant(j.updatedAt()));
        // the list route's indexes: every journey (GSI1) and by status (GSI2), newest first
        String sort = JourneyKeys.journeysIndexSort(j.createdAt(), j.id());
        m.put(Table.GSI1PK, Attr.s(JourneyKeys.journeysIndex(t)));
        m.put(Table.GSI1SK, Attr.s(sort));
        m.put(Table.GSI2PK, Attr.s(JourneyKeys.journeysByStatus(t, j.status().wire())));
        m.put(Table.GSI2SK, Attr.s(sort));
        return m;
    }

    private static Map<String, AttributeValue> definitionItem(TenantId t, Journey j) {
        Map<String, AttributeValue> m = new HashMap<>(Table.key(JourneyKeys.journey(t, j.id()),
                JourneyKeys.definition(j.definitionVersion())));
        m.put(Table.ENTITY, Attr.s(DEFINITION));
        m.put("tenantId", Attr.s(t.value()));
        m.put("journeyId", Attr.s(j.id()));
        m.put("definitionVersion", Attr.n(j.definitionVersion()));
        m.put("definition", Attr.s(Json.write(j.definition().json())));
        m.put("createdAt", Attr.instant(j.updatedAt()));
        return m;
    }

    static JourneyDefinition parseStored(String json) {
        Violations v = new Violations();
        Object parsed = Json.parse(json);
        JourneyDefinition d = JourneyDefinition.parse(JsonObject.of(parsed, v), null);
        if (d == null) {
            throw new IllegalStateException("a stored journey definition no longer parses: " + v.items());
        }
        return d;
    }

    static Journey journey(Map<String, AttributeValue> item) {
        return new Journey(Attr.str(item, "journeyId"), Attr.str(item, "name"),
                Journey.Status.fromWire(Attr.str(item, "status")), Attr.num(item, "version", 1),
                Attr.num(item, "definitionVersion", 1), parseStored(Attr.str(item, "definition")),
                Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"));
    }

    @Override
    public void create(TenantId t, Journey journey) {
        try {
            table.transact(List.of(table.putIfAbsent(journeyItem(t, journey)),
                    table.putIfAbsent(definitionItem(t, journey))));
        } catch (Table.TransactionFailure f) {
            if (f.anyConditionFailed()) {
                throw new StoreException.UniqueViolation("id", journey.id());
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public Optional<Journey> find(TenantId t, String journeyId) {
        Map<String, AttributeValue> item = table.get(JourneyKeys.journey(t, journeyId), Keys.ITEM);
        return item == null ? Optional.empty() : Optional.of(journey(item));
    }

    @Override
    public void update(TenantId t, Journey next, long expectedVersion, boolean newDefinition, boolean scanDates) {
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(journeyItem(t, next))
                .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", Attr.n(expectedVersion))))
                .build());
        if (newDefinition) {
            tx.add(table.putIfAbsent(definitionItem(t, next)));
        }
        Map<String, AttributeValue> activeKey = Table.key(JourneyKeys.activeJourneys(t), next.id());
        if (next.status() == Journey.Status.ACTIVE) {
            Map<String, AttributeValue> a = journeyItem(t, next);
            List.of(Table.GSI1PK, Table.GSI1SK, Table.GSI2PK, Table.GSI2SK).forEach(a::remove); // listed once, as the journey
            a.putAll(activeKey);
            a.put(Table.ENTITY, Attr.s(ACTIVE));
            tx.add(table.put(a, null));
        } else {
            tx.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(activeKey)).build());
        }
        if (scanDates && next.definition().trigger() instanceof dev.crm.journeys.domain.Trigger.DateTrigger dt) {
            // a new scan from the first contact (replacing one under way for an earlier trigger)
            tx.add(table.put(DynamoDbJourneyDates.scanItem(t, next.id(), dt.signature(), next.updatedAt()), null));
        }
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.VersionConflict();
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public Optional<JourneyDefinition> definition(TenantId t, String journeyId, long definitionVersion) {
        Map<String, AttributeValue> item = table.get(JourneyKeys.journey(t, journeyId), JourneyKeys.definition(definitionVersion));
        return item == null ? Optional.empty() : Optional.of(parseStored(Attr.str(item, "definition")));
    }

    @Override
    public List<Journey> activeJourneys(TenantId t) {
        List<Journey> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(JourneyKeys.activeJourneys(t), null, false)) {
            out.add(journey(item));
        }
        return out;
    }

    @Override
    public Set<String> topicKeys(TenantId t) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, AttributeValue> item : query(JourneyKeys.topics(t), null, false)) {
            String sk = Attr.str(item, Table.SK);
            if (!Keys.ITEM.equals(sk)) {
                out.add(sk);
            }
        }
        return out;
    }

    @Override
    public Optional<SegmentRule> segment(TenantId t, String segmentId) {
        Map<String, AttributeValue> item = table.get(Keys.segments(t), segmentId);
        String rule = item == null ? null : Attr.str(item, "rule");
        return rule == null ? Optional.empty() : Optional.of(SegmentRules.parseStored(Json.parse(rule)));
    }

    @Override
    public ContactFacts facts(TenantId t, Contact c, boolean full) {
        if (!full) {
            return new ContactFacts(c, null, null, null);
        }
        String pk = Keys.contact(t, c.id());
        var summary = table.get(pk, Keys.PURCHASE_SUMMARY);
        var churn = table.get(pk, Keys.CHURN_SCORE);
        var scores = table.get(pk, Keys.SURVEY_SCORES);
        Map<String, Object> surveys = scores == null ? null : Attr.map(scores, "view");
        Integer nps = surveys != null && surveys.get("nps") instanceof Map<?, ?> m && m.get("score") instanceof Number s
                ? s.intValue() : null;
        return new ContactFacts(c, summary == null ? null : ContactItems.summary(summary, null),
                churn == null ? null : Attr.map(churn, "view"), nps);
    }

    // ---- enrolments ----

    static Map<String, AttributeValue> enrolmentItem(TenantId t, Enrolment e) {
        Map<String, AttributeValue> m = new HashMap<>(Table.key(Keys.contact(t, e.contactId()),
                JourneyKeys.enrolment(e.journeyId(), e.id())));
        m.put(Table.ENTITY, Attr.s(ENROLMENT));
        m.put("tenantId", Attr.s(t.value()));
        m.put("enrolmentId", Attr.s(e.id()));
        m.put("journeyId", Attr.s(e.journeyId()));
        m.put("contactId", Attr.s(e.contactId()));
        m.put("definitionVersion", Attr.n(e.definitionVersion()));
        m.put("triggerEventId", Attr.s(e.triggerEventId()));
        m.put("status", Attr.s(e.status().wire()));
        if (e.reason() != null) {
            m.put("reason", Attr.s(e.reason()));
        }
        m.put("position", Attr.s(e.position()));
        m.put("enteredAt", Attr.instant(e.enteredAt()));
        m.put("revision", Attr.n(e.revision()));
        m.put("sent", Attr.n(e.sent()));
        m.put("history", Attr.s(Json.write(e.history().stream().map(r -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("step", r.step());
            h.put("kind", r.kind());
            h.put("at", Times.format(r.at()));
            h.put("outcome", r.outcome());
            return h;
        }).toList())));
        if (e.dueAt() != null) {
            // not "dueAt": that name is the DueDeliveries index's numeric sort key
            m.put("nextStepAt", Attr.instant(e.dueAt()));
            // Sparse: only enrolments with a step to run are in the sweep's index.
            m.put(Table.OPEN_JOBS_PK, Attr.s(JourneyKeys.dueShard(e.id())));
            m.put(Table.OPEN_JOBS_SK, Attr.n(e.dueAt().toEpochMilli()));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Enrolment enrolment(Map<String, AttributeValue> item) {
        List<Enrolment.StepRecord> history = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(Attr.str(item, "history"))) {
            Map<String, Object> h = (Map<String, Object>) o;
            history.add(new Enrolment.StepRecord((String) h.get("step"), (String) h.get("kind"),
                    Times.parse((String) h.get("at")), (String) h.get("outcome")));
        }
        return new Enrolment(Attr.str(item, "enrolmentId"), Attr.str(item, "journeyId"), Attr.str(item, "contactId"),
                Attr.num(item, "definitionVersion", 1), Attr.str(item, "triggerEventId"),
                Enrolment.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT)),
                Attr.str(item, "reason"), Attr.str(item, "position"), Attr.instant(item, "nextStepAt"),
                Attr.instant(item, "enteredAt"), Attr.num(item, "revision", 0), (int) Attr.num(item, "sent", 0),
                List.copyOf(history));
    }

    private TransactWriteItem countWrites(TenantId t, String journeyId, String enrolmentId, Map<String, Long> counts) {
        // Low-level: ADD (atomic increments) has no Enhanced Client model.
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (var c : counts.entrySet()) {
            names.put("#c" + i, c.getKey());
            values.put(":c" + i, Attr.n(c.getValue()));
            adds.add("#c" + i + " :c" + i);
            i++;
        }
        names.put("#e", Table.ENTITY);
        values.put(":e", Attr.s(COUNTS));
        values.put(":tid", Attr.s(t.value()));
        int shard = Math.floorMod(enrolmentId.hashCode(), JourneyKeys.COUNT_SHARDS);
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Table.key(JourneyKeys.journey(t, journeyId), JourneyKeys.counts(shard)))
                .updateExpression("ADD " + String.join(", ", adds) + " SET #e = :e, tenantId = :tid")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    @Override
    public EnrolOutcome enrol(TenantId t, Enrolment e, Entry entry, Instant now) {
        return transactEnrol(enrolWrites(t, e, entry, now));
    }

    /** The enrolment's transaction: enrolment, entry guard, contact check, {@code entered} count (in this order). */
    List<TransactWriteItem> enrolWrites(TenantId t, Enrolment e, Entry entry, Instant now) {
        String pk = Keys.contact(t, e.contactId());
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(pk, JourneyKeys.guard(e.journeyId())));
        guard.put(Table.ENTITY, Attr.s(GUARD));
        guard.put("tenantId", Attr.s(t.value()));
        guard.put("journeyId", Attr.s(e.journeyId()));
        guard.put("lastEnteredAt", Attr.n(now.toEpochMilli()));
        guard.put("lastEnrolmentId", Attr.s(e.id()));
        TransactWriteItem guardPut = TransactWriteItem.builder().put(p -> {
            p.tableName(table.name()).item(guard);
            if (entry.every()) {
                p.conditionExpression("attribute_not_exists(PK) OR lastEnteredAt <= :cutoff")
                        .expressionAttributeValues(Map.of(":cutoff", Attr.n(now.minus(entry.minInterval()).toEpochMilli())));
            } else {
                p.conditionExpression("attribute_not_exists(PK)");
            }
        }).build();
        return List.of(
                table.putIfAbsent(enrolmentItem(t, e)),
                guardPut,
                contactActive(pk),
                countWrites(t, e.journeyId(), e.id(), Map.of("entered", 1L)));
    }

    /** Runs {@link #enrolWrites} (and whatever follows them); a condition failing after them reads as DUPLICATE. */
    EnrolOutcome transactEnrol(List<TransactWriteItem> tx) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                table.transact(tx);
                return EnrolOutcome.ENROLLED;
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(0)) {
                    return EnrolOutcome.DUPLICATE;
                }
                if (f.conditionFailed(1)) {
                    return EnrolOutcome.ENTRY_REFUSED;
                }
                if (f.conditionFailed(2)) {
                    return EnrolOutcome.CONTACT_MISSING;
                }
                if (f.anyConditionFailed()) {
                    return EnrolOutcome.DUPLICATE; // a write after the enrolment's own (a date item moved meanwhile)
                }
                if (!f.isConflict()) {
                    throw f.storeOutcome();
                }
                // a concurrent delivery of the same event (or another entry): the next attempt sees its result
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    private TransactWriteItem contactActive(String pk) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                .key(Table.key(pk, Keys.CONTACT_PROFILE)).conditionExpression("#st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":active", Attr.s("active")))).build();
    }

    @Override
    public Optional<Enrolment> enrolment(TenantId t, String contactId, String journeyId, String enrolmentId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), JourneyKeys.enrolment(journeyId, enrolmentId));
        return item == null ? Optional.empty() : Optional.of(enrolment(item));
    }

    @Override
    public List<Enrolment> enrolments(TenantId t, String journeyId, String contactId) {
        List<Enrolment> out = new ArrayList<>();
        for (var item : query(Keys.contact(t, contactId), JourneyKeys.enrolmentsOf(journeyId), true)) {
            out.add(enrolment(item));
        }
        out.sort(java.util.Comparator.comparing(Enrolment::enteredAt));
        return out;
    }

    @Override
    public List<Enrolment> activeEnrolments(TenantId t, String contactId) {
        List<Enrolment> out = new ArrayList<>();
        for (var item : query(Keys.contact(t, contactId), JourneyKeys.ENROLMENT_PREFIX, true)) {
            Enrolment e = enrolment(item);
            if (e.isActive()) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public boolean advance(TenantId t, Enrolment current, Enrolment next, Effect effect) {
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(enrolmentItem(t, next))
                .conditionExpression("revision = :rev")
                .expressionAttributeValues(Map.of(":rev", Attr.n(current.revision())))).build());
        if (effect.send() != null) {
            tx.addAll(consent.recordSendWrites(t, current.contactId(), effect.send(), effect.send().at()));
        }
        if (!effect.counts().isEmpty()) {
            tx.add(countWrites(t, current.journeyId(), current.id(), effect.counts()));
        }
        for (dev.crm.shared.events.Event e : effect.events()) {
            // the stored event itself (the item every outlet reads): it exists exactly when the step committed
            tx.add(table.put(DynamoDbEventRepository.item(e), null));
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                table.transact(tx);
                return true;
            } catch (Table.TransactionFailure f) {
                if (f.anyConditionFailed()) {
                    return false; // moved on by another run, the send already recorded, or the contact gone
                }
                if (!f.isConflict()) {
                    throw f.storeOutcome();
                }
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    @Override
    public List<DueRef> due(Instant now, int limit) {
        List<DueRef> out = new ArrayList<>();
        int perShard = Math.max(1, limit / JourneyKeys.DUE_SHARDS);
        for (int shard = 0; shard < JourneyKeys.DUE_SHARDS && out.size() < limit; shard++) {
            Map<String, AttributeValue> start = null;
            int taken = 0;
            do {
                QueryResponse r = table.client().query(QueryRequest.builder().tableName(table.name())
                        .indexName(Table.OPEN_JOBS).keyConditionExpression("#s = :s AND #d <= :now")
                        .expressionAttributeNames(Map.of("#s", Table.OPEN_JOBS_PK, "#d", Table.OPEN_JOBS_SK))
                        .expressionAttributeValues(Map.of(":s", Attr.s(JourneyKeys.dueShard(shard)),
                                ":now", Attr.n(now.toEpochMilli())))
                        .limit(perShard - taken).exclusiveStartKey(start).build());
                for (var item : r.items()) {
                    String[] c = JourneyKeys.parseContact(Attr.str(item, Table.PK));
                    String[] e = JourneyKeys.parseEnrolment(Attr.str(item, Table.SK));
                    if (c != null && e != null) {
                        out.add(new DueRef(new TenantId(c[0]), c[1], e[0], e[1]));
                        taken++;
                    }
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null && taken < perShard);
        }
        return out;
    }

    @Override
    public Map<String, Long> counts(TenantId t, String journeyId) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (var item : query(JourneyKeys.journey(t, journeyId), JourneyKeys.COUNTS_PREFIX, true)) {
            item.forEach((k, v) -> {
                if (v.n() != null) {
                    out.merge(k, Long.parseLong(v.n()), Long::sum);
                }
            });
        }
        return out;
    }

    @Override
    public dev.crm.shared.store.Slice<Journey> list(TenantId t, Journey.Status status, int limit,
            dev.crm.shared.store.Cursor from) {
        boolean byStatus = status != null;
        var b = QueryRequest.builder().tableName(table.name()).indexName(byStatus ? Table.GSI2 : Table.GSI1)
                .keyConditionExpression((byStatus ? Table.GSI2PK : Table.GSI1PK) + " = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(byStatus ? JourneyKeys.journeysByStatus(t, status.wire())
                        : JourneyKeys.journeysIndex(t))))
                .scanIndexForward(false).limit(limit);
        if (from != null) {
            b.exclusiveStartKey(dev.crm.shared.store.dynamodb.Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<Journey> out = new ArrayList<>();
        for (var item : r.items()) {
            out.add(journey(item));
        }
        return new dev.crm.shared.store.Slice<>(out, dev.crm.shared.store.dynamodb.Cursors.of(r.lastEvaluatedKey()));
    }

    private List<Map<String, AttributeValue>> query(String pk, String skPrefix, boolean consistent) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name()).consistentRead(consistent).exclusiveStartKey(start);
            if (skPrefix == null) {
                b.keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(pk)));
            } else {
                b.keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(skPrefix)));
            }
            QueryResponse r = table.client().query(b.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
