package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.cases.domain.measures.CaseRecordsRepository;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link CaseRecordsRepository} on the single table (docs/data-model.md, "Case arrivals"): a range query of
 * the tenant's arrival partition, batch reads of the cases, and one query per case history, a few at a time.
 */
public final class DynamoDbCaseRecordsRepository implements CaseRecordsRepository {
    /** Histories read at once: enough to hide the round trips, few enough not to burst the partition's budget. */
    static final int PARALLEL_HISTORIES = 8;
    private static final ExecutorService READERS = Executors.newFixedThreadPool(PARALLEL_HISTORIES, r -> {
        Thread t = new Thread(r, "case-history-read");
        t.setDaemon(true);
        return t;
    });

    private final Table table;

    public DynamoDbCaseRecordsRepository(Table table) {
        this.table = table;
    }

    @Override
    public List<Arrival> arrivals(TenantId tenant, Instant from, Instant before, SupportCase.Channel channel, int max) {
        Map<String, String> names = new HashMap<>(Map.of("#ch", "channel"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", Attr.s(CaseMeasureKeys.arrivals(tenant)));
        values.put(":from", Attr.s(CaseMeasureKeys.arrivalBound(from)));
        values.put(":before", Attr.s(CaseMeasureKeys.arrivalBound(before)));
        String filter = null;
        if (channel != null) {
            values.put(":channel", Attr.s(SupportCase.wire(channel)));
            filter = "#ch = :channel";
        }
        List<Arrival> out = new ArrayList<>();
        long examined = 0;
        Map<String, AttributeValue> start = null;
        do {
            // Low-level query: a projection of three attributes; the key range is [from, before)
            // because "{before}" sorts before every "{before}#{caseId}".
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :before")
                    .projectionExpression("caseId, createdAt, #ch").expressionAttributeNames(names)
                    .expressionAttributeValues(values);
            if (filter != null) {
                q.filterExpression(filter);
            }
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            examined += r.scannedCount();
            for (var item : r.items()) {
                out.add(new Arrival(Attr.str(item, "caseId"), Attr.instant(item, "createdAt"),
                        SupportCase.Channel.valueOf(Attr.str(item, "channel").toUpperCase(Locale.ROOT))));
            }
            if (out.size() > max || examined > max) {
                throw new TooMany(max);
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public List<SupportCase> cases(TenantId tenant, List<String> caseIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : caseIds) {
            keys.add(Table.key(CaseKeys.caseItem(tenant, id), CaseKeys.CASE));
        }
        return BatchReads.items(table, keys, b -> b).stream().map(DynamoDbCaseRepository::supportCase).toList();
    }

    @Override
    public Map<String, List<HistoryEntry>> histories(TenantId tenant, List<String> caseIds) {
        Map<String, Future<List<HistoryEntry>>> pending = new LinkedHashMap<>();
        for (String id : caseIds) {
            pending.put(id, READERS.submit(() -> history(tenant, id)));
        }
        Map<String, List<HistoryEntry>> out = new HashMap<>();
        for (var e : pending.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(x);
            } catch (ExecutionException x) {
                throw x.getCause() instanceof RuntimeException r ? r : new IllegalStateException(x.getCause());
            }
        }
        return out;
    }

    private List<HistoryEntry> history(TenantId tenant, String caseId) {
        String pk = CaseKeys.caseItem(tenant, caseId);
        List<HistoryEntry> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :h)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":h", Attr.s(CaseKeys.HISTORY_PREFIX)));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            r.items().stream().map(DynamoDbCaseRepository::entry).forEach(out::add);
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
