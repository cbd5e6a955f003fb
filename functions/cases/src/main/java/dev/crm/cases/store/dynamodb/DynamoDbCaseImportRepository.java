package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link CaseImportRepository} on the single table (docs/data-model.md, "Case imports"). An imported
 * line is one transaction: the number counter moved on (as a live create moves it), the case (with its
 * SLA index keys, as a live write stores them), a check that the contact is active, the line's outcome
 * marker, its arrival entry, the contact's case link and timeline entries, and every history entry. The
 * case item and the history entries carry {@link #IMPORT_JOB}.
 */
public final class DynamoDbCaseImportRepository implements CaseImportRepository {
    /** Chunks stay well under DynamoDB's 400 KB item limit. */
    static final int CHUNK_BYTES = 300 * 1024;
    /** Lines and outcomes are kept a week after the import, then expire. */
    static final Duration RETENTION = Duration.ofDays(7);
    private static final int ATTEMPTS = 100;
    /**
     * The mark on an imported case item and its imported history entries (the import job's id): the
     * event decoder announces nothing for them, so a migrated history sends no webhooks. A live write of
     * the case later rewrites the case item without it, and announces what it changes.
     */
    static final String IMPORT_JOB = "importJob";

    private final Table table;
    private final Clock clock;

    public DynamoDbCaseImportRepository(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    private AttributeValue expiry() {
        return Attr.ttl(clock.instant().plus(RETENTION));
    }

    @Override
    public List<Integer> storeLines(TenantId t, String jobId, List<String> lines) {
        List<Integer> sizes = new ArrayList<>();
        List<WriteRequest> writes = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : null;
            // three bytes a character at most
            if (!chunk.isEmpty() && (line == null || bytes + line.length() * 3 > CHUNK_BYTES)) {
                Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId),
                        CaseMeasureKeys.importChunk(sizes.size())));
                item.put(Table.ENTITY, Attr.s("CASE_IMPORT_CHUNK"));
                item.put("tenantId", Attr.s(t.value()));
                item.put("lines", Attr.of(List.copyOf(chunk)));
                item.put(Table.TTL, expiry());
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                sizes.add(chunk.size());
                chunk = new ArrayList<>();
                bytes = 0;
            }
            if (line != null) {
                chunk.add(line);
                bytes += line.length() * 3;
            }
        }
        BatchWrites.write(table, writes);
        return sizes;
    }

    @Override
    public List<String> chunk(TenantId t, String jobId, int index) {
        var item = table.get(Keys.job(t, jobId), CaseMeasureKeys.importChunk(index));
        return item == null ? List.of() : Attr.strings(item, "lines");
    }

    @Override
    public void dropLines(TenantId t, String jobId, int chunks) {
        List<WriteRequest> deletes = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            deletes.add(WriteRequest.builder().deleteRequest(software.amazon.awssdk.services.dynamodb.model.DeleteRequest
                    .builder().key(Table.key(Keys.job(t, jobId), CaseMeasureKeys.importChunk(i))).build()).build());
        }
        BatchWrites.write(table, deletes);
    }

    @Override
    public Set<Integer> linesDone(TenantId t, String jobId, int fromLine, int toLineExclusive) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int line = fromLine; line < toLineExclusive; line++) {
            keys.add(Table.key(Keys.job(t, jobId), CaseMeasureKeys.importLine(line)));
        }
        Set<Integer> done = new HashSet<>();
        for (var item : BatchReads.items(table, keys, b -> b.projectionExpression("SK").consistentRead(true))) {
            done.add(CaseMeasureKeys.lineOf(Attr.str(item, Table.SK)));
        }
        return done;
    }

    private Map<String, AttributeValue> marker(TenantId t, String jobId, int line, String outcome) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.job(t, jobId), CaseMeasureKeys.importLine(line)));
        item.put(Table.ENTITY, Attr.s("CASE_IMPORT_LINE"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("outcome", Attr.s(outcome));
        item.put(Table.TTL, expiry());
        return item;
    }

    @Override
    public OptionalLong storeImported(TenantId t, String jobId, int line, SupportCase draft, List<HistoryEntry> history) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var counter = table.get(CaseKeys.counter(t), CaseKeys.COUNTER);
            long last = counter == null ? 0 : Attr.num(counter, "last", 0);
            SupportCase c = draft.numbered(last + 1);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":next", Attr.n(last + 1));
            String condition = "attribute_not_exists(PK)";
            if (last > 0) {
                condition = "#last = :last";
                values.put(":last", Attr.n(last));
            }
            List<TransactWriteItem> tx = new ArrayList<>();
            tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                    .key(Table.key(CaseKeys.counter(t), CaseKeys.COUNTER)).updateExpression("SET #last = :next")
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#last", "last"))
                    .expressionAttributeValues(values).build()).build());
            Map<String, AttributeValue> caseItem = DynamoDbCaseRepository.item(c);
            caseItem.put(IMPORT_JOB, Attr.s(jobId));
            tx.add(table.putIfAbsent(caseItem));
            tx.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                    .key(Table.key(Keys.contact(t, draft.contactId()), Keys.CONTACT_PROFILE))
                    .conditionExpression("#st = :active").expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":active", Attr.s("active"))).build()).build());
            Map<String, AttributeValue> marker = marker(t, jobId, line, "imported");
            marker.put("caseId", Attr.s(c.id()));
            marker.put("number", Attr.n(c.number()));
            tx.add(table.putIfAbsent(marker));
            tx.add(table.putIfAbsent(CaseArrivalItems.item(c)));
            // the contact's link and timeline entries, as a live case writes them: the 360 view, the
            // timeline and the contact's erasure find an imported case the same way
            tx.addAll(CaseLinks.created(table.name(), c));
            Instant previous = null;
            int position = 0;
            for (HistoryEntry e : history) {
                // entries of one instant keep their replay order
                position = e.at().equals(previous) ? position + 1 : 0;
                previous = e.at();
                Map<String, AttributeValue> entry = DynamoDbCaseRepository.entryItem(c, e, position);
                entry.put(IMPORT_JOB, Attr.s(jobId));
                tx.add(table.putIfAbsent(entry));
            }
            try {
                table.transact(tx);
                return OptionalLong.of(c.number());
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(3) || f.conditionFailed(1)) {
                    return OptionalLong.empty(); // the line was imported by an earlier run of this step
                }
                if (f.conditionFailed(2)) {
                    throw new CaseRepository.ContactNotActive();
                }
                if (f.conditionFailed(0) || f.isConflict()) {
                    continue; // a live create or another import took the number: read it again
                }
                throw f.storeOutcome();
            }
        }
        throw new StoreException.Contention();
    }

    @Override
    public boolean rejectLine(TenantId t, String jobId, int line, List<Map<String, Object>> errors) {
        Map<String, AttributeValue> item = marker(t, jobId, line, "rejected");
        item.put("errors", Attr.s(Json.write(errors)));
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(PK)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Tally tally(TenantId t, String jobId) {
        long imported = 0;
        List<Rejection> rejected = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :l)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":l",
                            Attr.s(CaseMeasureKeys.LINE_PREFIX)))
                    .projectionExpression("SK, outcome, #e").expressionAttributeNames(Map.of("#e", "errors"))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            for (var item : r.items()) {
                if ("imported".equals(Attr.str(item, "outcome"))) {
                    imported++;
                } else {
                    rejected.add(new Rejection(CaseMeasureKeys.lineOf(Attr.str(item, Table.SK)),
                            (List<Map<String, Object>>) Json.parse(Attr.str(item, "errors"))));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return new Tally(imported, rejected);
    }
}
