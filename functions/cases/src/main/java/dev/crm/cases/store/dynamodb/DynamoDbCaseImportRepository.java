package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link CaseImportRepository} on the single table (docs/data-model.md, "Case imports"). An imported
 * line is one transaction: the number counter moved on (as a live create moves it), the case (with its
 * SLA index keys, as a live write stores them), a check that the contact is active, the line's outcome
 * marker, its arrival entry, the contact's case link and timeline entries, and every history entry. The
 * case item and the history entries carry {@link #IMPORT_JOB}.
 */
public final class DynamoDbCaseImportRepository implements CaseImportRepository {
    private static final int ATTEMPTS = 100;
    /**
     * The mark on an imported case item and its imported history entries (the import job's id): the
     * event decoder announces nothing for them, so a migrated history sends no webhooks. A live write of
     * the case later rewrites the case item without it, and announces what it changes.
     */
    static final String IMPORT_JOB = "importJob";

    private final Table table;
    /** The staged lines and outcome items, laid out as every NDJSON import lays them out. */
    private final ImportLines staged;

    public DynamoDbCaseImportRepository(Table table, Clock clock) {
        this.table = table;
        this.staged = new ImportLines(table, clock, CaseMeasureKeys.IMPORT_LINES);
    }

    @Override
    public List<Integer> storeLines(TenantId t, String jobId, List<String> lines) {
        return staged.store(t, jobId, lines, ImportLines.TEXT);
    }

    @Override
    public List<String> chunk(TenantId t, String jobId, int index) {
        return staged.chunk(t, jobId, index, ImportLines.TEXT);
    }

    @Override
    public void dropLines(TenantId t, String jobId, int chunks) {
        staged.drop(t, jobId, chunks);
    }

    @Override
    public Set<Integer> linesDone(TenantId t, String jobId, int fromLine, int toLineExclusive) {
        return staged.linesDone(t, jobId, IntStream.range(fromLine, toLineExclusive).boxed().toList());
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
            Map<String, AttributeValue> marker = staged.outcome(t, jobId, line, ImportLines.IMPORTED);
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
        Map<String, AttributeValue> item = staged.outcome(t, jobId, line, ImportLines.REJECTED);
        item.put(ImportLines.ERRORS, Attr.s(Json.write(errors)));
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item)
                    .conditionExpression("attribute_not_exists(PK)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Tally tally(TenantId t, String jobId) {
        var o = staged.outcomes(t, jobId);
        return new Tally(o.imported(), o.rejected().stream().map(r -> new Rejection(r.line(), r.errors())).toList());
    }
}
