package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.contacts.store.ContactJobRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactItems;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@link ContactJobRepository} on the single table (docs/data-model.md, "Contact jobs"). */
public final class DynamoDbContactJobRepository implements ContactJobRepository {
    /** Import chunks stay well under DynamoDB's 400 KB item limit. */
    static final int CHUNK_BYTES = 300 * 1024;
    /** Import rows and outcomes are kept a week after the job, then expire. */
    static final Duration IMPORT_RETENTION = Duration.ofDays(7);

    private final Table table;
    private final java.time.Clock clock;
    private final ContactGuards guards;

    public DynamoDbContactJobRepository(Table table, java.time.Clock clock) {
        this.table = table;
        this.clock = clock;
        this.guards = new ContactGuards(table.name());
    }

    private long expiry() {
        return clock.instant().plus(IMPORT_RETENTION).getEpochSecond();
    }

    // ---- imports ----

    static String chunkKey(int index) {
        return String.format("CHUNK#%04d", index);
    }

    static String rowKey(int row) {
        return String.format("ROW#%06d", row);
    }

    @Override
    public List<Integer> storeImportRows(TenantId t, String jobId, List<String> rows) {
        List<Integer> sizes = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int bytes = 0;
        for (String row : rows) {
            int len = row.length() * 3;
            if (!chunk.isEmpty() && bytes + len > CHUNK_BYTES) {
                writes.add(chunkWrite(t, jobId, sizes.size(), chunk));
                sizes.add(chunk.size());
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(row);
            bytes += len;
        }
        if (!chunk.isEmpty()) {
            writes.add(chunkWrite(t, jobId, sizes.size(), chunk));
            sizes.add(chunk.size());
        }
        batchWrite(writes);
        return sizes;
    }

    private WriteRequest chunkWrite(TenantId t, String jobId, int index, List<String> rows) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), chunkKey(index)));
        item.put(Table.ENTITY, Attr.s("IMPORT_CHUNK"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("rows", Attr.ss(rows));
        item.put(Table.TTL, Attr.n(expiry()));
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private void batchWrite(List<WriteRequest> writes) {
        for (int i = 0; i < writes.size(); i += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), writes.subList(i, Math.min(writes.size(), i + 25)));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                var r = table.client().batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    if (attempt > 10) {
                        throw new IllegalStateException("batch write still throttled after retries");
                    }
                    sleep(Math.min(1000, 20L << attempt));
                }
            }
        }
    }

    @Override
    public List<String> importChunk(TenantId t, String jobId, int index) {
        Map<String, AttributeValue> item = table.get(Keys.job(t, jobId), chunkKey(index));
        return item == null ? List.of() : Attr.strings(item, "rows");
    }

    @Override
    public Set<Integer> rowsDone(TenantId t, String jobId, int fromRow, int toRowExclusive) {
        Set<Integer> done = new HashSet<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int row = fromRow; row < toRowExclusive; row++) {
            keys.add(Table.key(Keys.job(t, jobId), rowKey(row)));
        }
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).projectionExpression("SK").consistentRead(true).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                var r = table.client().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                for (var item : r.responses().getOrDefault(table.name(), List.of())) {
                    done.add(Integer.parseInt(Attr.str(item, Table.SK).substring(4)));
                }
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty() && attempt > 10) {
                    throw new IllegalStateException("batch read still throttled after retries");
                }
            }
        }
        return done;
    }

    private TransactWriteItem marker(TenantId t, String jobId, int row, RowOutcome outcome, String contactId,
            List<Map<String, Object>> errors) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), rowKey(row)));
        item.put(Table.ENTITY, Attr.s("IMPORT_ROW"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("outcome", Attr.s(outcome.name().toLowerCase(java.util.Locale.ROOT)));
        if (contactId != null) {
            item.put("contactId", Attr.s(contactId));
        }
        if (errors != null) {
            item.put("errors", Attr.s(Json.write(errors)));
        }
        item.put(Table.TTL, Attr.n(expiry()));
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }

    @Override
    public boolean writeImportedContact(TenantId t, String jobId, int row, Contact previous, Contact contact,
            RowOutcome outcome) {
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(marker(t, jobId, row, outcome, contact.id(), null));
        if (previous == null) {
            tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(ContactItems.contact(t, contact))
                    .conditionExpression("attribute_not_exists(PK)").build()).build());
        } else {
            tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(ContactItems.contact(t, contact))
                    .conditionExpression("version = :v AND #st = :active")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":v", Attr.n(previous.version()), ":active", Attr.s("active")))
                    .build()).build());
        }
        ContactGuards.Placed guards = this.guards.addChanges(tx, t, previous, contact);
        try {
            table.transact(tx);
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            StoreException.UniqueViolation taken = guards.violation(f);
            if (taken != null) {
                throw taken;
            }
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public boolean rejectRow(TenantId t, String jobId, int row, List<Map<String, Object>> errors) {
        try {
            table.transact(List.of(marker(t, jobId, row, RowOutcome.REJECTED, null, errors)));
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f;
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
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :r)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":r", Attr.s("ROW#")))
                    .projectionExpression("SK, outcome, #e")
                    .expressionAttributeNames(Map.of("#e", "errors"))
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                switch (Attr.str(item, "outcome")) {
                    case "created" -> created++;
                    case "updated" -> updated++;
                    default -> rejected.add(new Rejection(Integer.parseInt(Attr.str(item, Table.SK).substring(4)),
                            (List<Map<String, Object>>) Json.parse(Attr.str(item, "errors"))));
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
        List<String> chunk = new ArrayList<>();
        int bytes = 0;
        int index = 0;
        for (String row : rows) {
            if (!chunk.isEmpty() && bytes + row.length() * 3 > CHUNK_BYTES) {
                writes.add(rejectionWrite(t, jobId, index++, chunk));
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(row);
            bytes += row.length() * 3;
        }
        if (!chunk.isEmpty()) {
            writes.add(rejectionWrite(t, jobId, index, chunk));
        }
        batchWrite(writes);
    }

    private WriteRequest rejectionWrite(TenantId t, String jobId, int index, List<String> rows) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), String.format("REJECTED#%04d", index)));
        item.put(Table.ENTITY, Attr.s("IMPORT_REJECTIONS"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("rows", Attr.ss(rows));
        item.put(Table.TTL, Attr.n(expiry()));
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Rejection> rejections(TenantId t, String jobId) {
        List<Rejection> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :r)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":r", Attr.s("REJECTED#")));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                for (String row : Attr.strings(item, "rows")) {
                    Map<String, Object> m = (Map<String, Object>) Json.parse(row);
                    out.add(new Rejection(((Number) m.get("row")).intValue(), (List<Map<String, Object>>) m.get("errors")));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    // ---- erasure and anonymization ----

    @Override
    public boolean beginErasure(TenantId t, String contactId, dev.crm.shared.jobs.NewJob job) {
        try {
            table.transact(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                            .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                            .updateExpression("SET #st = :erasing, GSI1PK = :gone REMOVE GSI2PK, GSI2SK")
                            .conditionExpression("#st IN (:active, :anon)")
                            .expressionAttributeNames(Map.of("#st", "status"))
                            .expressionAttributeValues(Map.of(":erasing", Attr.s("erasing"), ":active", Attr.s("active"),
                                    ":anon", Attr.s("anonymized"), ":gone", Attr.s(t.value() + "#ERASING")))
                            .build()).build(),
                    DynamoDbJobRepository.createItem(table.name(), job, clock.instant())));
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f;
        }
    }

    @Override
    public Contact findAnyState(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.CONTACT_PROFILE);
        return item == null ? null : ContactItems.contact(item);
    }

    @Override
    public void suppress(TenantId t, String pseudonym, String reason, String jobId, Instant at) {
        Map<String, AttributeValue> suppression = new HashMap<>(Table.key(Keys.suppression(t, pseudonym), Keys.ITEM));
        suppression.put(Table.ENTITY, Attr.s("SUPPRESSION"));
        suppression.put("tenantId", Attr.s(t.value()));
        suppression.put("channels", Attr.s("all"));
        suppression.put("reason", Attr.s(reason));
        suppression.put("suppressedAt", Attr.instant(at));
        Map<String, AttributeValue> record = new HashMap<>(Table.key(Keys.erasureRecord(t), jobId));
        record.put(Table.ENTITY, Attr.s("ERASURE_RECORD"));
        record.put("tenantId", Attr.s(t.value()));
        record.put("pseudonym", Attr.s(pseudonym));
        record.put("kind", Attr.s(reason));
        record.put("at", Attr.instant(at));
        // Plain puts: re-running after a crash writes the same items again.
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(suppression).build());
        table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(record).build());
    }

    @Override
    public ItemPage items(TenantId t, String contactId, String skPrefix, Map<String, Object> from, int limit) {
        var b = QueryRequest.builder().tableName(table.name()).consistentRead(true).limit(limit);
        if (skPrefix == null) {
            b.keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId))));
        } else {
            b.keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":p", Attr.s(skPrefix)));
        }
        if (from != null) {
            b.exclusiveStartKey(DynamoDbContactRepository.plainKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<Map<String, Object>> items = new ArrayList<>();
        for (var item : r.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            item.forEach((k, v) -> m.put(k, Attr.toPlain(v)));
            items.add(m);
        }
        return new ItemPage(items, DynamoDbContactRepository.next(r));
    }

    @Override
    public void copyLedgerPseudonymously(TenantId t, String pseudonym, List<Map<String, Object>> ledgerItems) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Map<String, Object> entry : ledgerItems) {
            Map<String, AttributeValue> item = new HashMap<>();
            for (var e : entry.entrySet()) {
                switch (e.getKey()) {
                    case "PK", "contactId", "ip", "userAgent", "actor" -> { }
                    default -> item.put(e.getKey(), Attr.of(e.getValue()));
                }
            }
            item.put(Table.PK, Attr.s(Keys.pseudonymousLedger(t, pseudonym)));
            item.put("pseudonymised", Attr.bool(true));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        batchWrite(writes);
    }

    @Override
    public void detachReferences(List<Map<String, Object>> timelineItems, boolean removeContactId) {
        for (Map<String, Object> entry : timelineItems) {
            Object pk = entry.get("refPk");
            Object sk = entry.get("refSk");
            if (!(pk instanceof String p) || !(sk instanceof String s)) {
                continue;
            }
            try {
                table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Table.key(p, s))
                        .updateExpression(removeContactId ? "REMOVE contactId, personal SET erased = :t" : "REMOVE personal SET anonymized = :t")
                        .conditionExpression("attribute_exists(PK)")
                        .expressionAttributeValues(Map.of(":t", Attr.bool(true)))
                        .build());
            } catch (ConditionalCheckFailedException e) {
                // the referenced item is already gone
            }
        }
    }

    @Override
    public int delete(List<Map<String, Object>> items) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Map<String, Object> item : items) {
            writes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Table.key((String) item.get(Table.PK), (String) item.get(Table.SK))).build()).build());
        }
        batchWrite(writes);
        return writes.size();
    }

    @Override
    public void releaseGuards(TenantId t, Contact contact) {
        List<String> guardKeys = new ArrayList<>();
        if (contact.data().email() != null) {
            guardKeys.add(Keys.emailGuard(t, EmailAddress.hash(contact.data().email())));
        }
        if (contact.data().externalId() != null) {
            guardKeys.add(Keys.externalIdGuard(t, ContactItems.externalIdHash(contact.data().externalId())));
        }
        for (String pk : guardKeys) {
            try {
                table.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(pk, Keys.ITEM))
                        .conditionExpression("contactId = :c")
                        .expressionAttributeValues(Map.of(":c", Attr.s(contact.id()))));
            } catch (ConditionalCheckFailedException e) {
                // already released, or the address now belongs to another contact
            }
        }
    }

    @Override
    public void anonymize(TenantId t, Contact previous, Contact anonymized) {
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(ContactItems.contact(t, anonymized))
                .conditionExpression("version = :v")
                .expressionAttributeValues(Map.of(":v", Attr.n(previous.version()))).build()).build());
        guards.addReleases(tx, t, previous);
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void stripPersonalData(List<Map<String, Object>> items) {
        for (Map<String, Object> item : items) {
            String pk = (String) item.get(Table.PK);
            String sk = (String) item.get(Table.SK);
            if (sk.startsWith(Keys.TIMELINE_PREFIX) && "interaction".equals(item.get("kind"))) {
                Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) item.getOrDefault("data", Map.of()));
                data.put("summary", null);
                table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Table.key(pk, sk))
                        .updateExpression("SET #d = :d").expressionAttributeNames(Map.of("#d", "data"))
                        .expressionAttributeValues(Map.of(":d", Attr.of(data))).build());
            }
        }
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
