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
import software.amazon.awssdk.services.dynamodb.model.Put;
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
    private static final Expression FIRST_OUTCOME = EnhancedTransaction.condition("attribute_not_exists(PK)");

    private final Table table;
    private final Clock clock;
    private final DynamoDbTable<Lines> lines;
    private final DynamoDbTable<RowMarker> markers;
    private final DynamoDbTable<ContactRecord> profiles;
    private final ContactGuards guards;

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbImportRowRepository(Table table, Clock clock, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.clock = clock;
        this.lines = table.of(Lines.SCHEMA);
        this.markers = table.of(RowMarker.SCHEMA);
        this.profiles = table.of(ContactRecord.SCHEMA);
        this.guards = new ContactGuards(table, secrets);
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
        Lines chunk = lines.getItem(b -> b.key(DynamoDbContactRepository.key(Keys.job(t, jobId), ContactKeys.importChunk(index)))
                .consistentRead(true));
        return chunk == null ? List.of() : chunk.rows();
    }

    @Override
    public Set<Integer> rowsDone(TenantId t, String jobId, int fromRow, int toRowExclusive) {
        // Low-level batch get: it reads the sort keys only (a projection), up to 100 keys a request.
        Set<Integer> done = new HashSet<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int row = fromRow; row < toRowExclusive; row++) {
            keys.add(Table.key(Keys.job(t, jobId), ContactKeys.importRow(row)));
        }
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("SK").consistentRead(true))) {
            done.add(ContactKeys.rowOf(Attr.str(item, Table.SK)));
        }
        return done;
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
        tx.put(markers, marker(t, jobId, row, outcome, contact.id(), null), FIRST_OUTCOME);
        tx.put(profiles, ContactRecord.of(t, contact), previous == null
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
    public boolean rejectRow(TenantId t, String jobId, int row, List<Map<String, Object>> errors) {
        try {
            markers.putItem(PutItemEnhancedRequest.builder(RowMarker.class)
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
        for (var page : lines.query(q -> q.queryConditional(QueryConditional.sortBeginsWith(
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

    @Override
    public Map<String, PurchaseBase> purchaseBases(TenantId t, Map<String, Set<LocalDate>> daysByContact, String defaultCurrency) {
        // one batched read (100 keys a request) of every contact's summary and the days its lines touch
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (var e : daysByContact.entrySet()) {
            String pk = Keys.contact(t, e.getKey());
            keys.add(Table.key(pk, Keys.PURCHASE_SUMMARY));
            for (LocalDate d : e.getValue()) {
                keys.add(Table.key(pk, Keys.purchaseDay(d)));
            }
        }
        Map<String, Map<String, AttributeValue>> summaries = new java.util.HashMap<>();
        Map<String, Map<LocalDate, PurchaseDay>> days = new java.util.HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true))) {
            String pk = Attr.str(item, Table.PK);
            String contactId = pk.substring(pk.lastIndexOf('#') + 1);
            String sk = Attr.str(item, Table.SK);
            if (sk.equals(Keys.PURCHASE_SUMMARY)) {
                summaries.put(contactId, item);
            } else {
                for (LocalDate d : daysByContact.getOrDefault(contactId, Set.of())) {
                    if (Keys.purchaseDay(d).equals(sk)) {
                        days.computeIfAbsent(contactId, k -> new java.util.HashMap<>())
                                .put(d, new PurchaseDay(Attr.decimal(item, "spend"), Attr.num(item, "purchases", 0)));
                    }
                }
            }
        }
        Map<String, PurchaseBase> out = new java.util.HashMap<>();
        for (String contactId : daysByContact.keySet()) {
            out.put(contactId, new PurchaseBase(ContactItems.summary(summaries.get(contactId), defaultCurrency),
                    days.getOrDefault(contactId, Map.of())));
        }
        return out;
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
    public BatchOutcome writeImportedInteractions(TenantId t, String jobId, ContactBatch batch, Instant recordedAt) {
        List<TransactWriteItem> tx = new ArrayList<>();
        int firstGuard = addImported(tx, t, jobId, batch, recordedAt);
        int firstMarker = 1;
        try {
            table.transact(tx);
            return BatchOutcome.WRITTEN;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return BatchOutcome.CONTACT_MISSING;
            }
            for (int k = firstMarker; k < firstGuard; k++) {
                if (f.conditionFailed(k)) {
                    return BatchOutcome.ROW_DONE;
                }
            }
            for (int k = firstGuard; k < tx.size(); k++) {
                if (f.conditionFailed(k)) {
                    // the summary or a day moved on since it was read (a guard taken: the same line written meanwhile)
                    throw new StoreException.Contention();
                }
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public boolean writeImportedGroup(TenantId t, String jobId, List<ContactBatch> batches, Instant recordedAt) {
        List<TransactWriteItem> tx = new ArrayList<>();
        for (ContactBatch batch : batches) {
            addImported(tx, t, jobId, batch, recordedAt);
        }
        try {
            table.transact(tx);
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.isThrottled()) {
                throw new StoreException.Busy();
            }
            return false;
        }
    }

    /**
     * Adds one contact's batch to a transaction: the contact's active check first, then the lines'
     * markers, then their touch points and the summary and days.
     *
     * @return the index of the batch's first guard (the items before it, from the check on, are its
     *         check and markers)
     */
    private int addImported(List<TransactWriteItem> tx, TenantId t, String jobId, ContactBatch batch, Instant recordedAt) {
        String contactId = batch.contactId();
        String pk = Keys.contact(t, contactId);
        // Low-level transaction: the items a recorded touch point has (DynamoDbContactRepository's own
        // builders), whose summary update the Enhanced Client cannot express, with the lines' markers.
        tx.add(DynamoDbContactRepository.activeCheck(table, pk));
        for (ImportedInteraction row : batch.rows()) {
            tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                    .item(RowMarker.SCHEMA.itemToMap(marker(t, jobId, row.row(), RowOutcome.CREATED, contactId, null), true))
                    .conditionExpression("attribute_not_exists(PK)").build()).build());
        }
        int firstGuard = tx.size();
        for (ImportedInteraction row : batch.rows()) {
            var i = row.interaction();
            String timelineSk = Keys.timeline(i.occurredAt(), "interaction", i.id());
            tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                    .item(DynamoDbContactRepository.guardItem(t, pk, i, timelineSk))
                    .conditionExpression("attribute_not_exists(PK)").build()).build());
            tx.add(table.put(DynamoDbContactRepository.timelineItem(t, contactId, i, timelineSk, recordedAt,
                    i.type() == InteractionType.PURCHASE), null));
        }
        if (batch.summary() != null) {
            tx.add(DynamoDbContactRepository.summaryUpdate(table, t, contactId, batch.summary(), batch.expectedVersion(),
                    batch.complaints()));
            for (var d : batch.days().entrySet()) {
                tx.add(DynamoDbContactRepository.dayUpdate(table, pk, d.getKey(), d.getValue().spend(), d.getValue().purchases(),
                        batch.daysExisting().contains(d.getKey())));
            }
        } else if (batch.complaints() > 0) {
            tx.add(DynamoDbContactRepository.complaintsUpdate(table, t, contactId, batch.complaints()));
        }
        return firstGuard;
    }
}
