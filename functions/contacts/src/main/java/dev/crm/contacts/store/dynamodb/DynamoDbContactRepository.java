package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.tenant.TenantSecrets;
import java.util.function.Function;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.EnhancedTransaction;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.contacts.domain.Interaction;
import dev.crm.contacts.domain.InteractionType;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.contacts.domain.Segment;
import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.TimelineEntry;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.CaseLink;
import dev.crm.shared.contact.CaseLinkItems;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** {@link ContactRepository} on the single table. */
public final class DynamoDbContactRepository implements ContactRepository {
    /** The 360° view's second read runs beside the first; two daemon threads are all it needs. */
    private static final ExecutorService PARALLEL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "contacts-read");
        t.setDaemon(true);
        return t;
    });

    private final Table table;
    // Table views set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<ContactRecord> profiles;
    private DynamoDbTable<SegmentItem> segmentItems;
    private final ContactGuards guards;

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbContactRepository(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.guards = new ContactGuards(table, secrets);
    }

    /**
     * Builds the schemas of every store of this function now (profiles, segments, guards, erasure and
     * import items): SnapStart priming, so the snapshot holds them as when the stores built them eagerly.
     */
    public static void buildSchemas() {
        Objects.requireNonNull(ContactRecord.SCHEMA);
        Objects.requireNonNull(SegmentItem.SCHEMA);
        Objects.requireNonNull(GuardItem.SCHEMA);
        Objects.requireNonNull(ErasureItems.Suppression.SCHEMA);
        Objects.requireNonNull(ErasureItems.Record.SCHEMA);
        Objects.requireNonNull(ImportItems.Lines.SCHEMA);
        Objects.requireNonNull(ImportItems.RowMarker.SCHEMA);
    }

    private DynamoDbTable<ContactRecord> profiles() {
        if (profiles == null) {
            profiles = table.of(ContactRecord.SCHEMA);
        }
        return profiles;
    }

    private DynamoDbTable<SegmentItem> segmentItems() {
        if (segmentItems == null) {
            segmentItems = table.of(SegmentItem.SCHEMA);
        }
        return segmentItems;
    }

    // ---- contacts ----

    @Override
    public void create(TenantId t, Contact c) {
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        tx.put(profiles(), ContactRecord.of(t, c), EnhancedTransaction.condition("attribute_not_exists(PK)"));
        ContactGuards.Placed guards = this.guards.addChanges(tx, t, null, c);
        try {
            tx.run();
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                // The id is taken, by a re-run's own first run (its guards then fail too, held by itself).
                throw new StoreException.VersionConflict();
            }
            throw uniqueViolation(f, guards);
        }
    }

    @Override
    public boolean createAll(TenantId t, List<Contact> batch) {
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        for (Contact c : batch) {
            tx.put(profiles(), ContactRecord.of(t, c), EnhancedTransaction.condition("attribute_not_exists(PK)"));
            this.guards.addChanges(tx, t, null, c);
        }
        try {
            tx.run();
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.isThrottled()) {
                throw new StoreException.Busy();
            }
            return false;
        }
    }

    /** The contact's put is the transaction's first item; its guards' puts are where {@code guards} says. */
    private static RuntimeException uniqueViolation(Table.TransactionFailure f, ContactGuards.Placed guards) {
        RuntimeException taken = guards.violation(f);
        if (taken != null) {
            return taken;
        }
        if (f.conditionFailed(0)) {
            return new StoreException.VersionConflict();
        }
        return f.storeOutcome();
    }

    @Override
    public Contact find(TenantId t, String contactId) {
        ContactRecord r = profiles().getItem(b -> b.key(key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE)).consistentRead(true));
        return r == null ? null : r.toContact();
    }

    static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    @Override
    public void replace(TenantId t, Contact previous, Contact updated) {
        var stillAsRead = EnhancedTransaction.condition("version = :v AND #st = :st", Map.of("#st", "status"),
                Map.of(":v", Attr.n(previous.version()), ":st", Attr.s(previous.status().name().toLowerCase(java.util.Locale.ROOT))));
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        tx.put(profiles(), ContactRecord.of(t, updated), stillAsRead);
        ContactGuards.Placed guards = this.guards.addChanges(tx, t, previous, updated);
        if (tx.size() == 1) {
            // A plain conditional put: concurrent writers with one If-Match serialise on the version
            // instead of cancelling each other as transactions can.
            try {
                profiles().putItem(PutItemEnhancedRequest.builder(ContactRecord.class).item(ContactRecord.of(t, updated))
                        .conditionExpression(stillAsRead).build());
                return;
            } catch (ConditionalCheckFailedException e) {
                throw new StoreException.VersionConflict();
            }
        }
        try {
            tx.run();
        } catch (Table.TransactionFailure f) {
            if (f.isConflict() && !f.anyConditionFailed()) {
                throw new StoreException.VersionConflict();
            }
            throw uniqueViolation(f, guards);
        }
    }

    @Override
    public String findIdByEmail(TenantId t, String email) {
        return guards.emailHolder(t, email);
    }

    @Override
    public String findIdByExternalId(TenantId t, String externalId) {
        return guards.externalIdHolder(t, externalId);
    }

    @Override
    public Slice<Contact> list(TenantId t, ListQuery q, int limit, Cursor from) {
        boolean byStage = q.stage() != null;
        String index = byStage ? Table.GSI2 : Table.GSI1;
        String pkName = byStage ? Table.GSI2PK : Table.GSI1PK;
        String skName = byStage ? Table.GSI2SK : Table.GSI1SK;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", pkName);
        values.put(":pk", Attr.s(byStage ? Keys.stageIndex(t, q.stage().wire()) : Keys.contactsIndex(t)));
        String key = "#pk = :pk";
        if (q.updatedSince() != null) {
            names.put("#sk", skName);
            values.put(":since", Attr.s(Keys.sortableInstant(q.updatedSince())));
            key += " AND #sk >= :since";
        }
        var b = QueryRequest.builder().tableName(table.name()).indexName(index)
                .keyConditionExpression(key)
                // Newest changes first, except for a sync (updatedSince), which reads forward in time.
                .scanIndexForward(q.updatedSince() != null)
                .limit(limit);
        String filter = "#st = :active";
        names.put("#st", "status");
        values.put(":active", Attr.s("active"));
        if (q.tag() != null) {
            filter += " AND contains(tags, :tag)";
            values.put(":tag", Attr.s(q.tag()));
        }
        b.filterExpression(filter).expressionAttributeNames(names).expressionAttributeValues(values);
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<Contact> items = new ArrayList<>();
        for (var item : r.items()) {
            items.add(ContactRecord.read(item));
        }
        return new Slice<>(items, Cursors.of(r.lastEvaluatedKey()));
    }

    @Override
    public Cursor resumeAfter(TenantId t, Contact c) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put(Table.PK, Keys.contact(t, c.id()));
        k.put(Table.SK, Keys.CONTACT_PROFILE);
        k.put(Table.GSI1PK, Keys.contactsIndex(t));
        k.put(Table.GSI1SK, ContactItems.indexSort(c));
        return Cursors.ofPlain(k);
    }

    // ---- touch points ----

    @Override
    public PurchaseState purchaseState(TenantId t, String contactId, LocalDate day, String defaultCurrency) {
        String pk = Keys.contact(t, contactId);
        Map<String, AttributeValue> summary = table.get(pk, Keys.PURCHASE_SUMMARY);
        Map<String, AttributeValue> dayItem = table.get(pk, Keys.purchaseDay(day));
        // a day an import brought is in the summary's set, not an item (its day spend is not kept)
        boolean imported = DynamoDbImportRowRepository.importedDays(summary).contains(day);
        return new PurchaseState(ContactItems.summary(summary, defaultCurrency), dayItem != null || imported,
                dayItem == null ? BigDecimal.ZERO : Attr.decimal(dayItem, "spend"),
                dayItem == null ? 0 : Attr.num(dayItem, "purchases", 0));
    }

    @Override
    public AppendOutcome appendInteraction(TenantId t, String contactId, Interaction i, PurchaseUpdate purchase,
            boolean complaint, Instant recordedAt) {
        String pk = Keys.contact(t, contactId);
        String timelineSk = Keys.timeline(i.occurredAt(), "interaction", i.id());
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(activeCheck(table, pk));
        tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(guardItem(t, pk, i, timelineSk))
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build());
        Map<String, AttributeValue> entry = timelineItem(t, contactId, i, timelineSk, recordedAt, purchase != null);
        tx.add(table.put(entry, null));
        int firstContended = tx.size();
        // Low-level transaction: the summary's ADD of complaints and its SET of the index identity
        // are update expressions the Enhanced Client has no model for.
        if (purchase != null) {
            tx.add(summaryUpdate(t, contactId, purchase));
            tx.add(dayUpdate(pk, purchase));
        } else if (complaint) {
            tx.add(complaintsUpdate(table, t, contactId, 1));
        }
        try {
            table.transact(tx);
            return AppendOutcome.CREATED;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(1)) {
                Map<String, AttributeValue> old = f.oldItem(1);
                if (old == null) {
                    old = table.get(pk, Keys.interactionGuard(i.id()));
                }
                Map<String, AttributeValue> stored = old == null ? null : table.get(pk, Attr.str(old, "timelineSk"));
                throw new InteractionExists(new ExistingInteraction(old == null ? null : Attr.str(old, "fingerprint"),
                        stored == null ? Map.of() : Attr.map(stored, "data")));
            }
            if (f.conditionFailed(0)) {
                return AppendOutcome.CONTACT_MISSING;
            }
            for (int k = firstContended; k < tx.size(); k++) {
                if (f.conditionFailed(k)) {
                    // the summary or the day moved on since it was read
                    throw new StoreException.Contention();
                }
            }
            throw f.storeOutcome();
        }
    }

    /** The condition every touch point is written under: its contact is active. */
    static TransactWriteItem activeCheck(Table table, String pk) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                .key(Table.key(pk, Keys.CONTACT_PROFILE))
                .conditionExpression("#st = :active")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":active", Attr.s("active"))).build()).build();
    }

    /** Complaints counted on the summary item (which a contact without purchases has for them alone). */
    static TransactWriteItem complaintsUpdate(Table table, TenantId t, String contactId, long n) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, contactId), Keys.PURCHASE_SUMMARY))
                .updateExpression("ADD complaints :one SET " + summaryIdentity())
                .expressionAttributeValues(summaryIdentityValues(t, contactId, Map.of(":one", Attr.n(n))))
                .build()).build();
    }

    /** A touch point's guard: its id taken in the contact's partition, with what tells a replay from a clash. */
    static Map<String, AttributeValue> guardItem(TenantId t, String pk, Interaction i, String timelineSk) {
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(pk, Keys.interactionGuard(i.id())));
        guard.put(Table.ENTITY, Attr.s("INTERACTION_GUARD"));
        guard.put("tenantId", Attr.s(t.value()));
        guard.put("fingerprint", Attr.s(i.fingerprint()));
        guard.put("timelineSk", Attr.s(timelineSk));
        return guard;
    }

    /** A touch point's timeline entry; a purchase's is also in the tenant's purchases index. */
    static Map<String, AttributeValue> timelineItem(TenantId t, String contactId, Interaction i, String timelineSk,
            Instant recordedAt, boolean purchase) {
        Map<String, AttributeValue> entry = new HashMap<>(Table.key(Keys.contact(t, contactId), timelineSk));
        entry.put(Table.ENTITY, Attr.s("TIMELINE"));
        entry.put("tenantId", Attr.s(t.value()));
        entry.put("kind", Attr.s("interaction"));
        entry.put("interactionType", Attr.s(i.type().wire()));
        entry.put("entryId", Attr.s(i.id()));
        entry.put("occurredAt", Attr.instant(i.occurredAt()));
        entry.put("recordedAt", Attr.instant(recordedAt));
        entry.put("data", Attr.of(i.toJson()));
        entry.put("contactId", Attr.s(contactId));
        if (purchase) {
            // the churn backtest reads every purchase of a tenant up to a day from this index
            entry.put(Table.GSI2PK, Attr.s(Keys.purchasesIndex(t, Keys.contactShard(contactId))));
            entry.put(Table.GSI2SK, Attr.s(Keys.sortableInstant(i.occurredAt()) + "#" + contactId + "#" + i.id()));
        }
        return entry;
    }

    /** The summary item's identity and its place in the churn job's sharded index. */
    static String summaryIdentity() {
        return "entity = :entity, tenantId = :tid, contactId = :cid, GSI1PK = :gpk, GSI1SK = :gsk";
    }

    static Map<String, AttributeValue> summaryIdentityValues(TenantId t, String contactId,
            Map<String, AttributeValue> more) {
        Map<String, AttributeValue> v = new HashMap<>(more);
        v.put(":entity", Attr.s("PURCHASE_SUMMARY"));
        v.put(":tid", Attr.s(t.value()));
        v.put(":cid", Attr.s(contactId));
        v.put(":gpk", Attr.s(Keys.summariesIndex(t, ContactItems.summaryShard(contactId))));
        v.put(":gsk", Attr.s(contactId));
        return v;
    }

    private TransactWriteItem summaryUpdate(TenantId t, String contactId, PurchaseUpdate u) {
        return summaryUpdate(table, t, contactId, u.summary(), u.expectedVersion(), 0);
    }

    /**
     * The summary's new figures, conditioned on the version they were computed from; {@code complaints}
     * more complaints are added with them (an import's batch).
     */
    static TransactWriteItem summaryUpdate(Table table, TenantId t, String contactId, PurchaseSummary s, long expectedVersion,
            long complaints) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":cur", Attr.s(s.currency()));
        v.put(":first", Attr.s(s.firstPurchaseDay().toString()));
        v.put(":firstSpend", Attr.n(s.firstDaySpend()));
        v.put(":last", Attr.s(s.lastPurchaseDay().toString()));
        v.put(":repeatDays", Attr.n(s.repeatPurchaseDays()));
        v.put(":repeatSpend", Attr.n(s.repeatSpend()));
        v.put(":total", Attr.n(s.totalSpend()));
        v.put(":purchases", Attr.n(s.purchases()));
        v.put(":version", Attr.n(s.version()));
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(purchaseVersion)";
        } else {
            condition = "purchaseVersion = :expected";
            v.put(":expected", Attr.n(expectedVersion));
        }
        String add = "";
        if (complaints > 0) {
            add = " ADD complaints :complaints";
            v.put(":complaints", Attr.n(complaints));
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.contact(t, contactId), Keys.PURCHASE_SUMMARY))
                .updateExpression("SET currency = :cur, firstPurchaseDay = :first, firstDaySpend = :firstSpend, "
                        + "lastPurchaseDay = :last, repeatPurchaseDays = :repeatDays, repeatSpend = :repeatSpend, "
                        + "totalSpend = :total, purchases = :purchases, purchaseVersion = :version, " + summaryIdentity() + add)
                .conditionExpression(condition)
                .expressionAttributeValues(summaryIdentityValues(t, contactId, v))
                .build()).build();
    }

    private TransactWriteItem dayUpdate(String pk, PurchaseUpdate u) {
        return dayUpdate(table, pk, u.day(), u.daySpend(), u.dayPurchases(), u.dayExisted());
    }

    /**
     * A purchase day's new figures. Unconditioned: every purchase write conditions the summary's version in
     * the same transaction, which orders them; and a day only an import brought has no item yet although
     * it had purchases ({@code existed} true).
     */
    static TransactWriteItem dayUpdate(Table table, String pk, LocalDate day, BigDecimal spend, long purchases, boolean existed) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":spend", Attr.n(spend));
        v.put(":n", Attr.n(purchases));
        v.put(":entity", Attr.s("PURCHASE_DAY"));
        return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(pk, Keys.purchaseDay(day)))
                .updateExpression("SET spend = :spend, purchases = :n, entity = :entity")
                .expressionAttributeValues(v)
                .build()).build();
    }

    @Override
    public Slice<TimelineEntry> timeline(TenantId t, String contactId, int limit, Cursor from) {
        var b = QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":t", Attr.s(Keys.TIMELINE_PREFIX)))
                .scanIndexForward(false)
                .limit(limit);
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<TimelineEntry> items = new ArrayList<>();
        for (var item : r.items()) {
            items.add(timelineEntry(item));
        }
        return new Slice<>(items, Cursors.of(r.lastEvaluatedKey()));
    }

    static TimelineEntry timelineEntry(Map<String, AttributeValue> item) {
        return new TimelineEntry(Attr.str(item, "kind"), Attr.str(item, "entryId"), Attr.instant(item, "occurredAt"),
                Attr.map(item, "data"));
    }

    @Override
    public List<Interaction> purchases(TenantId t, String contactId) {
        List<Interaction> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                    .filterExpression("kind = :k AND interactionType = :p")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":t",
                            Attr.s(Keys.TIMELINE_PREFIX), ":k", Attr.s("interaction"), ":p", Attr.s(InteractionType.PURCHASE.wire())))
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                out.add(InteractionJson.read(Attr.map(item, "data")));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public View360 view360(TenantId t, String contactId, int recent, String defaultCurrency) {
        String pk = Keys.contact(t, contactId);
        CompletableFuture<QueryResponse> timeline = CompletableFuture.supplyAsync(() -> table.client().query(
                QueryRequest.builder().tableName(table.name())
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :t)")
                        .filterExpression("kind = :k")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":t", Attr.s(Keys.TIMELINE_PREFIX),
                                ":k", Attr.s("interaction")))
                        .scanIndexForward(false)
                        .limit(Math.max(recent * 5, 50))
                        .build()), PARALLEL);
        QueryResponse state = table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :a)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":a", Attr.s(Keys.STATE_PREFIX)))
                .consistentRead(true)
                .build());
        Map<String, Map<String, AttributeValue>> bySk = new HashMap<>();
        List<CaseLink> openCases = new ArrayList<>();
        for (var item : state.items()) {
            bySk.put(Attr.str(item, Table.SK), item);
            if (CaseLinkItems.isLink(item)) {
                // under A# only while unresolved (Keys.OPEN_CASE_PREFIX): the same read lists the open cases
                openCases.add(CaseLinkItems.link(item));
            }
        }
        openCases.sort(java.util.Comparator.comparingLong(CaseLink::number));
        List<TimelineEntry> interactions = new ArrayList<>();
        for (var item : timeline.join().items()) {
            if (interactions.size() < recent) {
                interactions.add(timelineEntry(item));
            }
        }
        Map<String, AttributeValue> profile = bySk.get(Keys.CONTACT_PROFILE);
        if (profile == null) {
            return null;
        }
        Map<String, AttributeValue> summary = bySk.get(Keys.PURCHASE_SUMMARY);
        return new View360(ContactRecord.read(profile), summary == null ? null : ContactItems.summary(summary, defaultCurrency),
                summary == null ? 0 : Attr.num(summary, "complaints", 0),
                view(bySk.get(Keys.PREFERENCES)), view(bySk.get(Keys.SURVEY_SCORES)), view(bySk.get(Keys.CHURN_SCORE)),
                interactions, openCases);
    }

    /** Items other functions own carry their API representation in {@code view}. */
    private static Map<String, Object> view(Map<String, AttributeValue> item) {
        return item == null ? null : Attr.map(item, "view");
    }

    @Override
    public Map<String, ContactFacts> facts(TenantId t, List<Contact> contacts) {
        Map<String, ContactFacts> out = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Contact c : contacts) {
            String pk = Keys.contact(t, c.id());
            keys.add(Table.key(pk, Keys.PURCHASE_SUMMARY));
            keys.add(Table.key(pk, Keys.CHURN_SCORE));
            keys.add(Table.key(pk, Keys.SURVEY_SCORES));
        }
        var found = BatchReads.get(table, keys, false);
        for (Contact c : contacts) {
            var items = found.getOrDefault(Keys.contact(t, c.id()), Map.of());
            var summary = items.get(Keys.PURCHASE_SUMMARY);
            var surveys = view(items.get(Keys.SURVEY_SCORES));
            Integer nps = null;
            if (surveys != null && surveys.get("nps") instanceof Map<?, ?> n && n.get("score") instanceof Number s) {
                nps = s.intValue();
            }
            out.put(c.id(), new ContactFacts(c, summary == null ? null : ContactItems.summary(summary, null),
                    view(items.get(Keys.CHURN_SCORE)), nps));
        }
        return out;
    }

    // ---- segments ----

    @Override
    public void createSegment(TenantId t, Segment s) {
        Map<String, AttributeValue> item = SegmentItem.SCHEMA.itemToMap(SegmentItem.of(t, s), true);
        // Low-level: the count's ADD has no Enhanced Client model, and it shares this transaction.
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.segments(t), Keys.ITEM))
                .updateExpression("ADD segmentCount :one SET entity = :e, tenantId = :tid")
                .conditionExpression("attribute_not_exists(segmentCount) OR segmentCount < :max")
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":max", Attr.n(Segment.MAX_PER_TENANT),
                        ":e", Attr.s("SEGMENT_COUNT"), ":tid", Attr.s(t.value())))
                .build()).build());
        tx.add(table.put(item, "attribute_not_exists(PK)"));
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(1)) {
                throw new StoreException.VersionConflict();
            }
            if (f.conditionFailed(0)) {
                throw new StoreException.LimitReached("at most " + Segment.MAX_PER_TENANT + " segments");
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public Segment findSegment(TenantId t, String segmentId) {
        SegmentItem item = segmentItems().getItem(b -> b.key(key(Keys.segments(t), segmentId)).consistentRead(true));
        return item == null ? null : item.toSegment();
    }

    @Override
    public List<Segment> segments(TenantId t) {
        List<Segment> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :s)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.segments(t)), ":s", Attr.s(Segment.ID_PREFIX)));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                out.add(SegmentItem.SCHEMA.mapToItem(item).toSegment());
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public boolean deleteSegment(TenantId t, String segmentId) {
        // Low-level: the count's ADD has no Enhanced Client model, and it shares this transaction.
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Table.key(Keys.segments(t), segmentId)).conditionExpression("attribute_exists(PK)").build()).build());
        tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(Keys.segments(t), Keys.ITEM))
                .updateExpression("ADD segmentCount :minus")
                .expressionAttributeValues(Map.of(":minus", Attr.n(-1))).build()).build());
        try {
            table.transact(tx);
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f.storeOutcome();
        }
    }
}
