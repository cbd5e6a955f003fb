package dev.crm.preferences.store.dynamodb;

import dev.crm.preferences.domain.ConsentImport;
import dev.crm.preferences.domain.ConsentImportRepository;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link ConsentImportRepository} on the single table (docs/data-model.md, "Consent imports"). Low-level
 * items: one transaction mixes condition checks, conditional puts of several item kinds and the outcome
 * markers, which the Enhanced Client's per-schema transaction builder would need a table object for each.
 * The items themselves come from the same static schemas a live write uses.
 */
public final class DynamoDbConsentImportRepository implements ConsentImportRepository {
    /**
     * The mark on imported ledger and timeline entries (the import job's id): the event decoder announces
     * nothing for them, so a migrated history sends no webhooks and starts no journeys.
     */
    public static final String IMPORT_JOB = "importJob";

    /** A chunk keeps each line's number in the file beside its text: {@code numbers}, comma-separated. */
    private static final ImportLines.Codec<NumberedLine> NUMBERED = new ImportLines.Codec<>() {
        @Override
        public String text(NumberedLine line) {
            return line.text();
        }

        @Override
        public int overhead() {
            return 8;
        }

        @Override
        public void annotate(List<NumberedLine> chunk, Map<String, AttributeValue> item) {
            StringBuilder numbers = new StringBuilder();
            for (NumberedLine line : chunk) {
                numbers.append(numbers.isEmpty() ? "" : ",").append(line.line());
            }
            item.put("numbers", Attr.s(numbers.toString()));
        }

        @Override
        public List<NumberedLine> decode(List<String> texts, Map<String, AttributeValue> item) {
            String[] numbers = Attr.str(item, "numbers").split(",");
            List<NumberedLine> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                out.add(new NumberedLine(Integer.parseInt(numbers[i]), texts.get(i)));
            }
            return out;
        }
    };

    private final Table table;
    private final Clock clock;
    /** The staged lines and outcome items, laid out as every NDJSON import lays them out. */
    private final ImportLines staged;

    public DynamoDbConsentImportRepository(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
        this.staged = new ImportLines(table, clock, PreferenceKeys.IMPORT_LINES);
    }

    @Override
    public List<Integer> storeLines(TenantId t, String jobId, List<NumberedLine> lines) {
        return staged.store(t, jobId, lines, NUMBERED);
    }

    @Override
    public List<NumberedLine> chunk(TenantId t, String jobId, int index) {
        return staged.chunk(t, jobId, index, NUMBERED);
    }

    @Override
    public void dropLines(TenantId t, String jobId, int chunks) {
        staged.drop(t, jobId, chunks);
    }

    @Override
    public Set<Integer> linesDone(TenantId t, String jobId, Collection<Integer> lines) {
        return staged.linesDone(t, jobId, lines);
    }

    @Override
    public Map<String, ContactConsent> consentOf(TenantId t, Map<String, Instant> earliestLineAt) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : earliestLineAt.keySet()) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
            keys.add(Table.key(Keys.contact(t, id), Keys.PREFERENCES));
        }
        var found = BatchReads.get(table, keys, true);
        Map<String, ContactConsent> out = new LinkedHashMap<>();
        for (var e : earliestLineAt.entrySet()) {
            var items = found.getOrDefault(Keys.contact(t, e.getKey()), Map.of());
            var profile = items.get(Keys.CONTACT_PROFILE);
            if (profile == null || !"active".equals(Attr.str(profile, "status"))) {
                continue;
            }
            var stored = items.get(Keys.PREFERENCES);
            if (stored == null || stored.get("view") == null) {
                out.put(e.getKey(), new ContactConsent(Preferences.empty(), null, Map.of()));
                continue;
            }
            PreferencesItem state = PreferencesItem.SCHEMA.mapToItem(stored);
            Preferences p = Preferences.fromStored(new LinkedHashMap<>(state.view));
            // the ledger is read only when a write came after the contact's earliest line
            Map<String, Instant> lastChanged = state.updatedAt != null && state.updatedAt.isAfter(e.getValue())
                    ? lastChanged(t, e.getKey()) : Map.of();
            out.put(e.getKey(), new ContactConsent(p, state.updatedAt, lastChanged));
        }
        return out;
    }

    /** When each status last changed, from the contact's ledger (sorted by time). */
    private Map<String, Instant> lastChanged(TenantId t, String contactId) {
        Map<String, Instant> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :l)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)),
                            ":l", Attr.s(Keys.LEDGER_PREFIX)))
                    .projectionExpression("#at, channel, topic").expressionAttributeNames(Map.of("#at", "at"))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            for (var item : r.items()) {
                Instant at = Converters.INSTANT.transformTo(item.get("at"));
                String key = ConsentImport.statusKey(dev.crm.shared.consent.Channel.fromWire(Attr.str(item, "channel")),
                        Attr.str(item, "topic"));
                out.merge(key, at, (a, b) -> a.isAfter(b) ? a : b);
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public void write(TenantId t, String jobId, List<Unit> units) {
        Instant now = clock.instant();
        List<TransactWriteItem> tx = new ArrayList<>();
        for (Unit u : units) {
            if (u.contactId() != null) {
                String pk = Keys.contact(t, u.contactId());
                tx.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                        .key(Table.key(pk, Keys.CONTACT_PROFILE)).conditionExpression("#st = :active")
                        .expressionAttributeNames(Map.of("#st", "status"))
                        .expressionAttributeValues(Map.of(":active", Attr.s("active"))).build()).build());
                if (u.next() != null) {
                    PreferencesItem state = new PreferencesItem();
                    state.pk = pk;
                    state.sk = Keys.PREFERENCES;
                    state.entity = PreferencesItem.ENTITY;
                    state.tenantId = t.value();
                    state.contactId = u.contactId();
                    state.version = u.next().version();
                    state.updatedAt = u.updatedAt();
                    state.view = u.next().toJson();
                    var put = Put.builder().tableName(table.name()).item(PreferencesItem.SCHEMA.itemToMap(state, true));
                    if (u.expectedVersion() == 0) {
                        put.conditionExpression("attribute_not_exists(PK)");
                    } else {
                        put.conditionExpression("version = :expected")
                                .expressionAttributeValues(Map.of(":expected", Attr.n(u.expectedVersion())));
                    }
                    tx.add(TransactWriteItem.builder().put(put.build()).build());
                }
                for (LedgerWrite w : u.entries()) {
                    LedgerEntry e = w.entry();
                    Map<String, AttributeValue> ledger = new HashMap<>(LedgerItem.SCHEMA.itemToMap(
                            LedgerItem.of(t, e, w.stateVersion(), w.position()), true));
                    ledger.put(IMPORT_JOB, Attr.s(jobId));
                    tx.add(table.putIfAbsent(ledger));
                    Map<String, AttributeValue> timeline = new HashMap<>(TimelineItem.SCHEMA.itemToMap(
                            TimelineItem.of(t, e, now), true));
                    timeline.put(IMPORT_JOB, Attr.s(jobId));
                    tx.add(table.putIfAbsent(timeline));
                }
            }
            for (int line : u.imported()) {
                tx.add(table.putIfAbsent(staged.outcome(t, jobId, line, ImportLines.IMPORTED)));
            }
            for (var r : u.rejected().entrySet()) {
                Map<String, AttributeValue> item = staged.outcome(t, jobId, r.getKey(), ImportLines.REJECTED);
                item.put(ImportLines.ERRORS, Attr.s(Json.write(r.getValue())));
                tx.add(table.putIfAbsent(item));
            }
        }
        if (tx.isEmpty()) {
            return;
        }
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.anyConditionFailed()) {
                throw new StoreException.VersionConflict();
            }
            if (f.isConflict()) {
                throw new StoreException.Contention();
            }
            throw f.isThrottled() ? new StoreException.Busy() : f;
        }
    }

    @Override
    public Tally tally(TenantId t, String jobId) {
        var o = staged.outcomes(t, jobId);
        return new Tally(o.imported(), o.rejected().stream().map(r -> new Rejection(r.line(), r.errors())).toList());
    }
}
