package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.ImportRowRepository;
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

/** {@link ImportRowRepository} on the single table (docs/data-model.md, "Contact jobs"). */
public final class DynamoDbImportRowRepository implements ImportRowRepository {
    /** Import chunks stay well under DynamoDB's 400 KB item limit. */
    static final int CHUNK_BYTES = 300 * 1024;
    /** Import rows and outcomes are kept a week after the job, then expire. */
    static final Duration IMPORT_RETENTION = Duration.ofDays(7);

    private final Table table;
    private final java.time.Clock clock;
    private final ContactGuards guards;

    public DynamoDbImportRowRepository(Table table, java.time.Clock clock) {
        this.table = table;
        this.clock = clock;
        this.guards = new ContactGuards(table.name());
    }

    private long expiry() {
        return clock.instant().plus(IMPORT_RETENTION).getEpochSecond();
    }

    // ---- imports ----

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
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), ContactKeys.importChunk(index)));
        item.put(Table.ENTITY, Attr.s("IMPORT_CHUNK"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("rows", Attr.ss(rows));
        item.put(Table.TTL, Attr.n(expiry()));
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private void batchWrite(List<WriteRequest> writes) {
        BatchWrites.write(table, writes);
    }

    @Override
    public List<String> importChunk(TenantId t, String jobId, int index) {
        Map<String, AttributeValue> item = table.get(Keys.job(t, jobId), ContactKeys.importChunk(index));
        return item == null ? List.of() : Attr.strings(item, "rows");
    }

    @Override
    public Set<Integer> rowsDone(TenantId t, String jobId, int fromRow, int toRowExclusive) {
        Set<Integer> done = new HashSet<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int row = fromRow; row < toRowExclusive; row++) {
            keys.add(Table.key(Keys.job(t, jobId), ContactKeys.importRow(row)));
        }
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).projectionExpression("SK").consistentRead(true).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                var r = table.client().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                for (var item : r.responses().getOrDefault(table.name(), List.of())) {
                    done.add(ContactKeys.rowOf(Attr.str(item, Table.SK)));
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
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), ContactKeys.importRow(row)));
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
            throw DynamoDbContactRepository.unexpected(f);
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
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":r", Attr.s(ContactKeys.IMPORT_ROW_PREFIX)))
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
                    default -> rejected.add(new Rejection(ContactKeys.rowOf(Attr.str(item, Table.SK)),
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
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), ContactKeys.rejections(index)));
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
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":r", Attr.s(ContactKeys.REJECTIONS_PREFIX)));
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
}
