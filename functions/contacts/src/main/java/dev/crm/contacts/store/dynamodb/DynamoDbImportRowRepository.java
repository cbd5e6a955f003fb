package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.tenant.TenantSecrets;
import java.util.function.Function;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.EnhancedTransaction;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.contacts.domain.ImportRowRepository;
import dev.crm.contacts.store.dynamodb.ImportItems.Lines;
import dev.crm.contacts.store.dynamodb.ImportItems.RowMarker;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.contacts.domain.InteractionType;
import java.time.LocalDate;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@link ImportRowRepository} on the single table (docs/data-model.md, "Contact jobs"). */
public final class DynamoDbImportRowRepository implements ImportRowRepository {
    /** Import chunks stay well under DynamoDB's 400 KB item limit. */
    static final int CHUNK_BYTES = 300 * 1024;
    /** Import rows and outcomes are kept a week after the job, then expire. */
    static final Duration IMPORT_RETENTION = Duration.ofDays(7);
    /** DynamoDB's limit on one TransactWriteItems. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    private static final Expression FIRST_OUTCOME = EnhancedTransaction.condition("attribute_not_exists(PK)");

    private final Table table;
    private final Clock clock;
    // Table views set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<Lines> lines;
    private DynamoDbTable<RowMarker> markers;
    private DynamoDbTable<ContactRecord> profiles;
    private final ContactGuards guards;

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbImportRowRepository(Table table, Clock clock, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.clock = clock;
        this.guards = new ContactGuards(table, secrets);
    }

    private DynamoDbTable<Lines> lines() {
        if (lines == null) {
            lines = table.of(Lines.SCHEMA);
        }
        return lines;
    }

    private DynamoDbTable<RowMarker> markers() {
        if (markers == null) {
            markers = table.of(RowMarker.SCHEMA);
        }
        return markers;
    }

    private DynamoDbTable<ContactRecord> profiles() {
        if (profiles == null) {
            profiles = table.of(ContactRecord.SCHEMA);
        }
        return profiles;
    }

    private Instant expiry() {
        return clock.instant().plus(IMPORT_RETENTION);
    }

    @Override
    public List<Integer> storeImportRows(TenantId t, String jobId, List<String> rows) {
        List<Integer> sizes = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        for (List<String> chunk : chunks(rows)) {
            writes.add(linesWrite(Lines.of(Keys.job(t, jobId), ContactKeys.importChunk(sizes.size()), "IMPORT_CHUNK", t.value(),
                    chunk, expiry())));
            sizes.add(chunk.size());
        }
        BatchWrites.write(table, writes);
        return sizes;
    }

    /** Lines grouped so that no group exceeds {@link #CHUNK_BYTES} (counting 3 bytes a character). */
    private static List<List<String>> chunks(List<String> rows) {
        List<List<String>> out = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int bytes = 0;
        for (String row : rows) {
            int len = row.length() * 3;
            if (!chunk.isEmpty() && bytes + len > CHUNK_BYTES) {
                out.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(row);
            bytes += len;
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    /** Low-level batch write (its unprocessed items are retried by {@link BatchWrites}); the item is the schema's. */
    private static WriteRequest linesWrite(Lines item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(Lines.SCHEMA.itemToMap(item, true)).build()).build();
    }

    @Override
    public List<String> importChunk(TenantId t, String jobId, int index) {
        Lines chunk = lines().getItem(b -> b.key(DynamoDbContactRepository.key(Keys.job(t, jobId), ContactKeys.importChunk(index)))
                .consistentRead(true));
        return chunk == null ? List.of() : chunk.rows();
    }

    @Override
    public Set<Integer> rowsDone(TenantId t, String jobId, int fromRow, int toRowExclusive) {
        // One range query (a step's markers are contiguous sort keys), projected to what tells a row done.
        Set<Integer> done = new HashSet<>();
        if (fromRow >= toRowExclusive) {
            return done;
        }
        for (var item : range(t, jobId, ContactKeys.importRow(fromRow), ContactKeys.importRow(toRowExclusive - 1), "SK")) {
            done.add(ContactKeys.rowOf(Attr.str(item, Table.SK)));
        }
        return done;
    }

    /** The job partition's items with sort keys in [from, to], projected (low-level query: the projection). */
    private List<Map<String, AttributeValue>> range(TenantId t, String jobId, String from, String to, String projection) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :a AND :b")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":a", Attr.s(from), ":b", Attr.s(to)))
                    .projectionExpression(projection)
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private RowMarker marker(TenantId t, String jobId, int row, RowOutcome outcome, String contactId,
            List<Map<String, Object>> errors) {
        return RowMarker.of(Keys.job(t, jobId), ContactKeys.importRow(row), t.value(), outcome.name().toLowerCase(Locale.ROOT),
                contactId, errors == null ? null : Json.write(errors), expiry());
    }

    @Override
    public boolean writeImportedContact(TenantId t, String jobId, int row, Contact previous, Contact contact,
            RowOutcome outcome) {
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        tx.put(markers(), marker(t, jobId, row, outcome, contact.id(), null), FIRST_OUTCOME);
        tx.put(profiles(), ContactRecord.of(t, contact), previous == null
                ? EnhancedTransaction.condition("attribute_not_exists(PK)")
                : EnhancedTransaction.condition("version = :v AND #st = :active", Map.of("#st", "status"),
                        Map.of(":v", Attr.n(previous.version()), ":active", Attr.s("active"))));
        ContactGuards.Placed placed = guards.addChanges(tx, t, previous, contact);
        try {
            tx.run();
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            StoreException.UniqueViolation taken = placed.violation(f);
            if (taken != null) {
                throw taken;
            }
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public boolean createImportedContacts(TenantId t, String jobId, List<ImportedContact> created) {
        // up to 5 items a contact (marker, profile, email guard, legacy email check, external id guard)
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        for (ImportedContact c : created) {
            tx.put(markers(), marker(t, jobId, c.row(), RowOutcome.CREATED, c.contact().id(), null), FIRST_OUTCOME);
            tx.put(profiles(), ContactRecord.of(t, c.contact()), EnhancedTransaction.condition("attribute_not_exists(PK)"));
            guards.addChanges(tx, t, null, c.contact());
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

    @Override
    public boolean rejectRow(TenantId t, String jobId, int row, List<Map<String, Object>> errors) {
        try {
            markers().putItem(PutItemEnhancedRequest.builder(RowMarker.class)
                    .item(marker(t, jobId, row, RowOutcome.REJECTED, null, errors)).conditionExpression(FIRST_OUTCOME).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public ImportTally tally(TenantId t, String jobId) {
        long created = 0;
        long updated = 0;
        List<Rejection> rejected = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            // Low-level query: it reads three attributes of each marker only (a projection).
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :r)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":r", Attr.s(ContactKeys.IMPORT_ROW_PREFIX)))
                    .projectionExpression("SK, outcome, #e")
                    .expressionAttributeNames(Map.of("#e", "errors"))
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                RowMarker m = RowMarker.SCHEMA.mapToItem(item);
                switch (m.outcome()) {
                    case "created" -> created++;
                    case "updated" -> updated++;
                    default -> rejected.add(new Rejection(ContactKeys.rowOf(m.sk()),
                            (List<Map<String, Object>>) Json.parse(m.errors())));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return new ImportTally(created, updated, rejected);
    }

    @Override
    public void storeRejections(TenantId t, String jobId, List<Rejection> rejected) {
        List<String> rows = new ArrayList<>();
        for (Rejection r : rejected) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r.row());
            m.put("errors", r.errors());
            rows.add(Json.write(m));
        }
        List<WriteRequest> writes = new ArrayList<>();
        for (List<String> chunk : chunks(rows)) {
            writes.add(linesWrite(Lines.of(Keys.job(t, jobId), ContactKeys.rejections(writes.size()), "IMPORT_REJECTIONS",
                    t.value(), chunk, expiry())));
        }
        BatchWrites.write(table, writes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Rejection> rejections(TenantId t, String jobId) {
        List<Rejection> out = new ArrayList<>();
        for (var page : lines().query(q -> q.queryConditional(QueryConditional.sortBeginsWith(
                DynamoDbContactRepository.key(Keys.job(t, jobId), ContactKeys.REJECTIONS_PREFIX))))) {
            for (Lines item : page.items()) {
                for (String row : item.rows()) {
                    Map<String, Object> m = (Map<String, Object>) Json.parse(row);
                    out.add(new Rejection(((Number) m.get("row")).intValue(), (List<Map<String, Object>>) m.get("errors")));
                }
            }
        }
        return out;
    }

    // ---- interaction imports ----

    /**
     * The summary's attribute holding the last line of {@code jobId} applied to the contact: one small
     * attribute per import that touched the contact, on the item every effect writes anyway.
     */
    static String appliedMark(String jobId) {
        return "importedThrough_" + jobId;
    }

    /** The summary's set of imported purchase days (epoch days): an import writes no day items. */
    static final String IMPORTED_DAYS = "importedDays";

    @Override
    public Map<String, PurchaseBase> purchaseBases(TenantId t, String jobId, Map<String, Set<LocalDate>> daysByContact,
            String defaultCurrency) {
        // one batched read (100 keys a request) of every contact's summary and the day items of the days
        // its lines touch (a live purchase's day is an item; an imported one is in the summary's set)
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (var e : daysByContact.entrySet()) {
            String pk = Keys.contact(t, e.getKey());
            keys.add(Table.key(pk, Keys.PURCHASE_SUMMARY));
            for (LocalDate d : e.getValue()) {
                keys.add(Table.key(pk, Keys.purchaseDay(d)));
            }
        }
        Map<String, Map<String, AttributeValue>> summaries = new java.util.HashMap<>();
        Map<String, Set<LocalDate>> days = new java.util.HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true))) {
            String pk = Attr.str(item, Table.PK);
            String contactId = pk.substring(pk.lastIndexOf('#') + 1);
            String sk = Attr.str(item, Table.SK);
            if (sk.equals(Keys.PURCHASE_SUMMARY)) {
                summaries.put(contactId, item);
            } else {
                for (LocalDate d : daysByContact.getOrDefault(contactId, Set.of())) {
                    if (Keys.purchaseDay(d).equals(sk)) {
                        days.computeIfAbsent(contactId, k -> new HashSet<>()).add(d);
                    }
                }
            }
        }
        Map<String, PurchaseBase> out = new java.util.HashMap<>();
        for (String contactId : daysByContact.keySet()) {
            Map<String, AttributeValue> summary = summaries.get(contactId);
            Set<LocalDate> had = days.computeIfAbsent(contactId, k -> new HashSet<>());
            Set<LocalDate> imported = importedDays(summary);
            for (LocalDate d : daysByContact.get(contactId)) {
                if (imported.contains(d)) {
                    had.add(d);
                }
            }
            AttributeValue mark = summary == null ? null : summary.get(appliedMark(jobId));
            out.put(contactId, new PurchaseBase(ContactItems.summary(summary, defaultCurrency), had,
                    mark == null ? 0 : Integer.parseInt(mark.n())));
        }
        return out;
    }

    /** The imported purchase days a summary item holds (none when it has no set). */
    static Set<LocalDate> importedDays(Map<String, AttributeValue> summary) {
        Set<LocalDate> out = new HashSet<>();
        AttributeValue set = summary == null ? null : summary.get(IMPORTED_DAYS);
        if (set != null && set.hasNs()) {
            for (String n : set.ns()) {
                out.add(LocalDate.ofEpochDay(Long.parseLong(n)));
            }
        }
        return out;
    }

    @Override
    public Holders holders(TenantId t, Set<String> emails, Set<String> externalIds) {
        return guards.holders(t, emails, externalIds);
    }

    @Override
    public Map<String, String> externalIdHolders(TenantId t, Set<String> externalIds) {
        Map<String, String> byKey = new java.util.HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : externalIds) {
            String pk = Keys.externalIdGuard(t, ContactItems.externalIdHash(id));
            byKey.put(pk, id);
            keys.add(Table.key(pk, Keys.ITEM));
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true).projectionExpression("PK, contactId"))) {
            out.put(byKey.get(Attr.str(item, Table.PK)), Attr.str(item, "contactId"));
        }
        return out;
    }

    @Override
    public int importWriteBudget() {
        return MAX_TRANSACTION_ITEMS;
    }

    /** Imported days an effect may add before it counts as one more item (a set of 5,000 epoch days is ~40 KB). */
    static final int DAYS_PER_ITEM = 5_000;

    @Override
    public int importWriteCost(int purchaseDays) {
        // in the effect's transaction: the active check and the summary; a long set of days weighs as an item
        return 2 + purchaseDays / DAYS_PER_ITEM;
    }

    @Override
    public List<BatchOutcome> writeImported(TenantId t, String jobId, List<ContactBatch> batches, Instant recordedAt) {
        // The touch points first, by batch writes: their keys and content derive from the job and line, so
        // a replay puts the same items again (a MODIFY that announces nothing). Their effect follows in a
        // transaction that checks the contact is still active: an erasure or anonymisation that starts
        // after it sees these items; one that started before it refuses the effect, and the items go again.
        BatchWrites.write(table, touchPoints(t, jobId, batches, recordedAt));
        List<BatchOutcome> out = new ArrayList<>();
        boolean together = false;
        if (batches.size() > 1) {
            List<TransactWriteItem> tx = new ArrayList<>();
            for (ContactBatch batch : batches) {
                addEffect(tx, t, jobId, batch);
            }
            try {
                table.transact(tx);
                together = true;
            } catch (Table.TransactionFailure f) {
                if (f.isThrottled()) {
                    throw new StoreException.Busy();
                }
                // one batch refused the group: each on its own tells which and why
            }
        }
        List<ContactBatch> missing = new ArrayList<>();
        for (ContactBatch batch : batches) {
            BatchOutcome o = together ? BatchOutcome.WRITTEN : writeEffect(t, jobId, batch);
            if (o == BatchOutcome.CONTACT_MISSING) {
                missing.add(batch);
            }
            out.add(o);
        }
        if (!missing.isEmpty()) {
            List<WriteRequest> deletes = new ArrayList<>();
            for (var w : touchPoints(t, jobId, missing, recordedAt)) {
                Map<String, AttributeValue> item = w.putRequest().item();
                deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(Table.key(Attr.str(item, Table.PK), Attr.str(item, Table.SK))))
                        .build());
            }
            BatchWrites.write(table, deletes);
        }
        return out;
    }

    private BatchOutcome writeEffect(TenantId t, String jobId, ContactBatch batch) {
        List<TransactWriteItem> tx = new ArrayList<>();
        addEffect(tx, t, jobId, batch);
        try {
            table.transact(tx);
            return BatchOutcome.WRITTEN;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return BatchOutcome.CONTACT_MISSING;
            }
            if (f.anyConditionFailed() || f.isConflict()) {
                return BatchOutcome.REFUSED; // applied by another run, or the summary moved on
            }
            throw f.storeOutcome();
        }
    }

    /**
     * Each line's touch point: its timeline entry alone, which is also its guard (the id {@code
     * {jobId}:{line}} is the import's), marked with the job so the event decoder announces none.
     */
    private List<WriteRequest> touchPoints(TenantId t, String jobId, List<ContactBatch> batches, Instant recordedAt) {
        List<WriteRequest> out = new ArrayList<>();
        for (ContactBatch batch : batches) {
            for (ImportedInteraction row : batch.rows()) {
                var i = row.interaction();
                String timelineSk = Keys.timeline(i.occurredAt(), "interaction", i.id());
                Map<String, AttributeValue> entry = DynamoDbContactRepository.timelineItem(t, batch.contactId(), i, timelineSk,
                        recordedAt, i.type() == InteractionType.PURCHASE);
                entry.put(IMPORT_JOB, Attr.s(jobId));
                out.add(WriteRequest.builder().putRequest(PutRequest.builder().item(entry).build()).build());
            }
        }
        return out;
    }

    /** The attribute that marks an imported timeline entry (ContactChangeDecoder announces none of them). */
    static final String IMPORT_JOB = "importJob";

    /**
     * Adds one batch's effect to a transaction: the contact's active check, then one update of its
     * summary item: the figures (conditioned on the version they were computed from) and the days added
     * to its set, or the complaints alone, and always this job's mark, conditioned on being before the
     * batch's first line (a replay is refused).
     */
    private void addEffect(List<TransactWriteItem> tx, TenantId t, String jobId, ContactBatch batch) {
        String contactId = batch.contactId();
        String pk = Keys.contact(t, contactId);
        // Low-level transaction: the summary's update expressions are ones the Enhanced Client cannot express.
        tx.add(DynamoDbContactRepository.activeCheck(table, pk));
        Map<String, String> names = new java.util.HashMap<>();
        names.put("#mark", appliedMark(jobId));
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        // placeholders of their own: the summary's update already uses :first and :last (its days)
        values.put(":markFrom", Attr.n(batch.rows().get(0).row()));
        values.put(":markTo", Attr.n(batch.lastRow()));
        String notYet = "(attribute_not_exists(#mark) OR #mark < :markFrom)";
        Update.Builder u = Update.builder().tableName(table.name()).key(Table.key(pk, Keys.PURCHASE_SUMMARY));
        if (batch.summary() != null) {
            Update figures = DynamoDbContactRepository.summaryUpdate(table, t, contactId, batch.summary(), batch.expectedVersion(),
                    batch.complaints()).update();
            List<String> days = new ArrayList<>();
            for (LocalDate d : batch.purchaseDays()) {
                days.add(Long.toString(d.toEpochDay()));
            }
            names.put("#days", IMPORTED_DAYS);
            values.putAll(figures.expressionAttributeValues());
            values.put(":days", AttributeValue.builder().ns(days).build());
            String expr = figures.updateExpression();
            // SET … [ADD complaints …]: the mark joins the SET, the days the ADD
            int add = expr.indexOf(" ADD ");
            String set = add < 0 ? expr : expr.substring(0, add);
            String adds = add < 0 ? " ADD #days :days" : expr.substring(add) + ", #days :days";
            u.updateExpression(set + ", #mark = :markTo" + adds)
                    .conditionExpression("(" + figures.conditionExpression() + ") AND " + notYet);
        } else if (batch.complaints() > 0) {
            Update complaints = DynamoDbContactRepository.complaintsUpdate(table, t, contactId, batch.complaints()).update();
            values.putAll(complaints.expressionAttributeValues());
            u.updateExpression(complaints.updateExpression() + ", #mark = :markTo").conditionExpression(notYet);
        } else {
            // touch points with no effect on the figures: the mark alone, on an item the churn index does not hold
            values.put(":entity", Attr.s("PURCHASE_SUMMARY"));
            values.put(":tid", Attr.s(t.value()));
            values.put(":cid", Attr.s(contactId));
            u.updateExpression("SET #mark = :markTo, entity = :entity, tenantId = :tid, contactId = :cid").conditionExpression(notYet);
        }
        tx.add(TransactWriteItem.builder().update(u.expressionAttributeNames(names).expressionAttributeValues(values).build()).build());
    }
}
