package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.CaseSla;
import dev.crm.shared.service.SlaClock;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link CaseRepository} on the single table (docs/data-model.md, "Cases"): one partition per case
 * ({@code {t}#CASE#{id}}), one counter item per tenant ({@code {t}#CASES}, {@code COUNTER}).
 *
 * <p>A create reads the counter, then writes in ONE transaction: the counter moved from the number it
 * read to the next (conditioned on still being that number), the case (conditioned on its id being
 * free), a check that the contact's profile is active and, with an assignee, a check that the agent's
 * item is the tenant's and active. Any failed condition cancels the whole transaction, so a failed
 * create uses no number; a lost race on the counter re-reads and retries. A change that assigns the
 * case to a new agent carries the same agent check: nobody reads the agent before the write, so an
 * agent deactivated at any moment before it gets no case.
 */
public final class DynamoDbCaseRepository implements CaseRepository {
    static final String ENTITY = "CASE";
    static final String HISTORY_ENTITY = "CASE_HISTORY";
    private static final int ATTEMPTS = 100;

    private final Table table;

    public DynamoDbCaseRepository(Table table) {
        this.table = table;
    }

    static Map<String, AttributeValue> item(SupportCase c) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(CaseKeys.caseItem(c.tenant(), c.id()), CaseKeys.CASE));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(c.tenant().value()));
        item.put("caseId", Attr.s(c.id()));
        item.put("number", Attr.n(c.number()));
        item.put("contactId", Attr.s(c.contactId()));
        item.put("channel", Attr.s(SupportCase.wire(c.channel())));
        item.put("category", Attr.s(c.category()));
        item.put("priority", Attr.s(SupportCase.wire(c.priority())));
        item.put("status", Attr.s(SupportCase.wire(c.status())));
        item.put("subject", Attr.s(c.subject()));
        if (c.description() != null) {
            item.put("description", Attr.s(c.description()));
        }
        if (c.assignee() != null) {
            item.put("assignee", Attr.s(c.assignee()));
        }
        if (c.orderRef() != null) {
            item.put("orderRef", Attr.s(c.orderRef()));
        }
        if (c.solvedAt() != null) {
            item.put("solvedAt", Attr.instant(c.solvedAt()));
        }
        if (c.firstResponseAt() != null) {
            item.put("firstResponseAt", Attr.instant(c.firstResponseAt()));
        }
        item.put(Table.GSI1PK, Attr.s(CaseKeys.allCases(c.tenant())));
        item.put(Table.GSI1SK, Attr.s(CaseKeys.byNumber(c.number())));
        item.put(Table.GSI2PK, Attr.s(CaseKeys.casesIn(c.tenant(), SupportCase.wire(c.status()))));
        item.put(Table.GSI2SK, Attr.s(CaseKeys.byNumber(c.number())));
        item.put("createdAt", Attr.instant(c.createdAt()));
        item.put("updatedAt", Attr.instant(c.updatedAt()));
        item.put("version", Attr.n(c.version()));
        CaseSla sla = c.sla();
        Map<String, Object> targets = new java.util.LinkedHashMap<>(sla.targetsJson());
        item.put("slaTargets", Attr.of(targets));
        List<Object> pauses = new ArrayList<>();
        for (SlaClock.Pause p : sla.pauses()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("from", dev.crm.shared.json.Times.format(p.from()));
            if (p.to() != null) {
                m.put("to", dev.crm.shared.json.Times.format(p.to()));
            }
            m.put("always", p.always());
            pauses.add(m);
        }
        item.put("slaPauses", Attr.of(pauses));
        if (!sla.breaches().isEmpty()) {
            item.put(BREACHES, Attr.ss(sla.breachesWire()));
        }
        if (sla.lastBreachAt() != null) {
            item.put("lastBreachAt", Attr.instant(sla.lastBreachAt()));
        }
        if (sla.nextDue() != null) {
            item.put(CaseKeys.DUE_PK, Attr.s(CaseKeys.dueCases(c.tenant())));
            item.put(CaseKeys.DUE_SK, Attr.n(sla.nextDue().toEpochMilli()));
        }
        if (sla.nextCheck() != null) {
            item.put(Table.OPEN_JOBS_PK, Attr.s(CaseKeys.checkShard(CaseKeys.caseItem(c.tenant(), c.id()))));
            item.put(Table.OPEN_JOBS_SK, Attr.n(sla.nextCheck().toEpochMilli()));
        }
        return item;
    }

    /** The recorded breaches: a string set, absent while none (the breach condition tests it). */
    static final String BREACHES = "breaches";

    @SuppressWarnings("unchecked")
    static CaseSla sla(Map<String, AttributeValue> item) {
        Map<String, Object> t = Attr.map(item, "slaTargets");
        SlaPolicy targets = t == null || t.isEmpty()
                ? SlaPolicy.defaultFor(Attr.str(item, "priority"))
                : new SlaPolicy(java.time.Duration.parse((String) t.get("firstResponse")),
                        java.time.Duration.parse((String) t.get("resolution")),
                        SlaPolicy.Clock.fromWire((String) t.get("clock")), Boolean.TRUE.equals(t.get("pauseWhilePending")));
        List<SlaClock.Pause> pauses = new ArrayList<>();
        Object raw = item.containsKey("slaPauses") ? Attr.toPlain(item.get("slaPauses")) : null;
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> p = (Map<String, Object>) o;
                pauses.add(new SlaClock.Pause(java.time.Instant.parse((String) p.get("from")),
                        p.get("to") == null ? null : java.time.Instant.parse((String) p.get("to")),
                        Boolean.TRUE.equals(p.get("always"))));
            }
        }
        java.util.Set<CaseSla.Metric> breaches = java.util.EnumSet.noneOf(CaseSla.Metric.class);
        for (String b : Attr.strings(item, BREACHES)) {
            CaseSla.Metric m = CaseSla.Metric.fromWire(b);
            if (m != null) {
                breaches.add(m);
            }
        }
        Long due = Attr.numOrNull(item, CaseKeys.DUE_SK);
        Long check = Attr.numOrNull(item, Table.OPEN_JOBS_SK);
        return new CaseSla(targets, pauses, breaches, due == null ? null : java.time.Instant.ofEpochMilli(due),
                check == null ? null : java.time.Instant.ofEpochMilli(check), Attr.instant(item, "lastBreachAt"));
    }

    static SupportCase supportCase(Map<String, AttributeValue> item) {
        return new SupportCase(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "caseId"),
                Attr.num(item, "number", 0), Attr.str(item, "contactId"),
                SupportCase.Channel.valueOf(Attr.str(item, "channel").toUpperCase(java.util.Locale.ROOT)),
                Attr.str(item, "category"),
                SupportCase.Priority.valueOf(Attr.str(item, "priority").toUpperCase(java.util.Locale.ROOT)),
                Attr.str(item, "subject"), Attr.str(item, "description"), Attr.str(item, "assignee"),
                Attr.str(item, "orderRef"),
                SupportCase.Status.valueOf(Attr.str(item, "status").toUpperCase(java.util.Locale.ROOT)),
                Attr.instant(item, "solvedAt"), Attr.instant(item, "firstResponseAt"), Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"), Attr.num(item, "version", 1), sla(item));
    }

    @Override
    public SupportCase create(SupportCase draft, HistoryEntry created) {
        TenantId t = draft.tenant();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var counter = table.get(CaseKeys.counter(t), CaseKeys.COUNTER);
            long last = counter == null ? 0 : Attr.num(counter, "last", 0);
            SupportCase c = draft.numbered(last + 1);
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":next", Attr.n(last + 1));
            String condition;
            if (last == 0) {
                condition = "attribute_not_exists(PK)";
            } else {
                condition = "#last = :last";
                values.put(":last", Attr.n(last));
            }
            List<TransactWriteItem> tx = new ArrayList<>();
            tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                    .key(Table.key(CaseKeys.counter(t), CaseKeys.COUNTER)).updateExpression("SET #last = :next")
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#last", "last"))
                    .expressionAttributeValues(values).build()).build());
            tx.add(table.putIfAbsent(item(c)));
            tx.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                    .key(Table.key(Keys.contact(t, draft.contactId()), Keys.CONTACT_PROFILE))
                    .conditionExpression("#st = :active").expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":active", Attr.s("active"))).build()).build());
            tx.add(table.putIfAbsent(entryItem(c, created, 0)));
            tx.addAll(CaseLinks.created(table.name(), c)); // the contact's link and timeline entry
            // the case's arrival entry (measures, forecast): written with the case, never changed
            tx.add(table.putIfAbsent(CaseArrivalItems.item(c)));
            int agentCheck = addAgentCheck(tx, t, draft.assignee());
            try {
                table.transact(tx);
                return c;
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(1)) {
                    // a keyed request's re-run: the first run created it
                    return find(t, draft.id()).orElseThrow(StoreException.Contention::new);
                }
                if (f.conditionFailed(agentCheck)) {
                    throw new AssigneeNotActive();
                }
                if (f.conditionFailed(2)) {
                    throw new ContactNotActive();
                }
                if (f.conditionFailed(0) || f.isConflict()) {
                    continue; // another create took the number: read it again
                }
                throw f.storeOutcome();
            }
        }
        throw new StoreException.Contention();
    }

    @Override
    public SupportCase replace(SupportCase updated, long expectedVersion, List<HistoryEntry> entries) {
        List<TransactWriteItem> tx = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":v", Attr.n(expectedVersion));
        StringBuilder condition = new StringBuilder("attribute_exists(PK) AND version = :v");
        for (HistoryEntry e : entries) {
            if (HistoryEntry.SLA_BREACHED.equals(e.kind())) {
                // the breach is recorded by one writer only: whoever finds it recorded lost the race
                String name = ":b" + values.size();
                values.put(name, Attr.s(String.valueOf(e.fields().get("metric"))));
                condition.append(" AND NOT contains(").append(BREACHES).append(", ").append(name).append(")");
            }
        }
        tx.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item(updated))
                .conditionExpression(condition.toString())
                .expressionAttributeValues(values).build()).build());
        for (int i = 0; i < entries.size(); i++) {
            tx.add(table.putIfAbsent(entryItem(updated, entries.get(i), i)));
        }
        tx.addAll(CaseLinks.changed(table.name(), updated)); // the contact's link follows the case (TOUCH)
        int agentCheck = addAgentCheck(tx, updated.tenant(), HistoryEntry.newAssignee(entries));
        try {
            table.transact(tx);
            // counted once: the condition above lets only one writer record a breach
            Metrics.count(MetricNames.SLA_BREACHES, entries.stream().filter(e -> HistoryEntry.SLA_BREACHED.equals(e.kind())).count());
            return updated;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                if (find(updated.tenant(), updated.id()).isEmpty()) {
                    throw new StoreException.NotFound();
                }
                throw new StoreException.VersionConflict();
            }
            if (f.conditionFailed(agentCheck)) {
                throw new AssigneeNotActive();
            }
            throw f.storeOutcome();
        }
    }

    /**
     * Adds the check that {@code agentId} is an active agent of the tenant to {@code tx} (none when
     * null) and answers its index (-1: none). The key is the tenant's, so another tenant's agent id
     * finds no item and fails exactly as an unknown one.
     */
    private int addAgentCheck(List<TransactWriteItem> tx, TenantId t, String agentId) {
        if (agentId == null) {
            return -1;
        }
        tx.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                .key(Table.key(AgentKeys.agent(t, agentId), AgentKeys.AGENT))
                .conditionExpression("attribute_exists(PK) AND #tenant = :tenant AND #active = :true")
                .expressionAttributeNames(Map.of("#tenant", "tenantId", "#active", "active"))
                .expressionAttributeValues(Map.of(":tenant", Attr.s(t.value()), ":true", Attr.bool(true))).build())
                .build());
        return tx.size() - 1;
    }

    /**
     * A history entry item; it names its case (tenant, id, number, contact) so the event decoder can
     * announce it without reading the case.
     */
    static Map<String, AttributeValue> entryItem(SupportCase c, HistoryEntry e, int position) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(CaseKeys.caseItem(c.tenant(), c.id()),
                CaseKeys.history(e.at(), position, e.id())));
        item.put(Table.ENTITY, Attr.s(HISTORY_ENTITY));
        item.put("tenantId", Attr.s(c.tenant().value()));
        item.put("caseId", Attr.s(c.id()));
        item.put("number", Attr.n(c.number()));
        item.put("contactId", Attr.s(c.contactId()));
        item.put("entryId", Attr.s(e.id()));
        item.put("at", Attr.instant(e.at()));
        item.put("kind", Attr.s(e.kind()));
        item.put("fields", Attr.of(e.fields()));
        return item;
    }

    @SuppressWarnings("unchecked")
    static HistoryEntry entry(Map<String, AttributeValue> item) {
        Object fields = Attr.toPlain(item.get("fields"));
        return new HistoryEntry(Attr.str(item, "entryId"), Attr.instant(item, "at"), Attr.str(item, "kind"),
                fields instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    @Override
    public Slice<HistoryEntry> history(TenantId tenant, String caseId, Cursor after, int limit) {
        String pk = CaseKeys.caseItem(tenant, caseId);
        var q = QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :h)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":h", Attr.s(CaseKeys.HISTORY_PREFIX)))
                .limit(limit + 1).consistentRead(true);
        if (after != null) {
            q.exclusiveStartKey(Table.key(pk, after.value()));
        }
        var items = table.client().query(q.build()).items();
        List<HistoryEntry> found = items.stream().map(DynamoDbCaseRepository::entry).toList();
        if (found.size() <= limit) {
            return Slice.last(found);
        }
        return new Slice<>(found.subList(0, limit), new Cursor(Attr.str(items.get(limit - 1), Table.SK)));
    }

    @Override
    public Slice<SupportCase> list(TenantId tenant, Filter filter, Cursor after, int limit) {
        if (filter.sort() == Sort.DUE_AT) {
            return listByDue(tenant, filter, after, limit);
        }
        boolean byStatus = filter.status() != null;
        String index = byStatus ? Table.GSI2 : Table.GSI1;
        String ipk = byStatus ? Table.GSI2PK : Table.GSI1PK;
        String isk = byStatus ? Table.GSI2SK : Table.GSI1SK;
        String pkValue = byStatus ? CaseKeys.casesIn(tenant, SupportCase.wire(filter.status())) : CaseKeys.allCases(tenant);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#ipk", ipk);
        values.put(":ipk", Attr.s(pkValue));
        List<String> conditions = new ArrayList<>();
        filterOn("assignee", filter.assignee(), conditions, names, values);
        filterOn("category", filter.category(), conditions, names, values);
        filterOn("priority", filter.priority() == null ? null : SupportCase.wire(filter.priority()), conditions, names,
                values);
        filterOn("contactId", filter.contactId(), conditions, names, values);
        if (filter.breached()) {
            names.put("#breaches", BREACHES);
            conditions.add("attribute_exists(#breaches)");
        }
        Map<String, AttributeValue> start = after == null ? null : startKey(tenant, after, ipk, pkValue, isk);
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        int examined = 0;
        Map<String, AttributeValue> last = null;
        // Unfiltered, every entry read is a case of the page: read the page and one more (whether there is
        // a next page), not 100 (a page of 25 read ~12 RCU for ~3.5). Filtered, read in hundreds so a
        // selective filter needs few round trips.
        int perQuery = conditions.isEmpty() ? limit + 1 : Math.max(limit + 1, 100);
        do {
            var q = QueryRequest.builder().tableName(table.name()).indexName(index)
                    .keyConditionExpression("#ipk = :ipk").expressionAttributeNames(names)
                    .expressionAttributeValues(values).scanIndexForward(false)
                    .limit(Math.min(MAX_EXAMINED - examined, perQuery));
            if (!conditions.isEmpty()) {
                q.filterExpression(String.join(" AND ", conditions));
            }
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var r = table.client().query(q.build());
            examined += r.scannedCount();
            for (var item : r.items()) {
                if (found.size() <= limit) {
                    found.add(item);
                }
            }
            last = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            start = last;
        } while (found.size() <= limit && last != null && examined < MAX_EXAMINED);
        if (found.size() > limit) {
            List<Map<String, AttributeValue>> page = found.subList(0, limit);
            return new Slice<>(page.stream().map(DynamoDbCaseRepository::supportCase).toList(),
                    cursorAt(page.get(limit - 1)));
        }
        List<SupportCase> items = found.stream().map(DynamoDbCaseRepository::supportCase).toList();
        // the budget ran out before the index did: a short page, and the cursor where reading stopped
        return last == null ? Slice.last(items) : new Slice<>(items, cursorAt(last));
    }

    private static void filterOn(String attribute, String value, List<String> conditions, Map<String, String> names,
            Map<String, AttributeValue> values) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, Attr.s(value));
            conditions.add("#" + attribute + " = :" + attribute);
        }
    }

    /** A list cursor: the index sort key and the case's partition key (what DynamoDB needs to resume). */
    private static Cursor cursorAt(Map<String, AttributeValue> item) {
        String isk = item.containsKey(Table.GSI2SK) && !item.containsKey(Table.GSI1SK) ? Attr.str(item, Table.GSI2SK)
                : Attr.str(item, Table.GSI1SK);
        return new Cursor(isk + "|" + Attr.str(item, Table.PK));
    }

    private static Map<String, AttributeValue> startKey(TenantId tenant, Cursor after, String ipk, String pkValue,
            String isk) {
        String[] parts = after.value().split("\\|", 2);
        if (parts.length != 2 || !parts[1].startsWith(tenant.value() + "#CASE#")) {
            throw new IllegalArgumentException("not a case list cursor");
        }
        Map<String, AttributeValue> key = new HashMap<>(Table.key(parts[1], CaseKeys.CASE));
        key.put(ipk, Attr.s(pkValue));
        key.put(isk, Attr.s(parts[0]));
        return key;
    }

    /**
     * {@code sort=dueAt}: the tenant's partition of the due index, ascending, keys only; the cases read
     * with one consistent BatchGetItem per page and the other filters applied to them, examining at most
     * {@link #MAX_EXAMINED} index entries per call. Cursor: {@code {dueAt ms}|{case PK}}.
     */
    private Slice<SupportCase> listByDue(TenantId tenant, Filter filter, Cursor after, int limit) {
        String partition = CaseKeys.dueCases(tenant);
        Map<String, AttributeValue> start = null;
        if (after != null) {
            String[] parts = after.value().split("\\|", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9]{1,15}") || !parts[1].startsWith(tenant.value() + "#CASE#")) {
                throw new IllegalArgumentException("not a case list cursor");
            }
            start = new HashMap<>(Table.key(parts[1], CaseKeys.CASE));
            start.put(CaseKeys.DUE_PK, Attr.s(partition));
            start.put(CaseKeys.DUE_SK, Attr.n(Long.parseLong(parts[0])));
        }
        List<SupportCase> found = new ArrayList<>();
        Map<String, AttributeValue> lastKey = null;
        Cursor resume = null;
        int examined = 0;
        do {
            var q = QueryRequest.builder().tableName(table.name()).indexName(CaseKeys.DUE_INDEX)
                    .keyConditionExpression("#p = :p").expressionAttributeNames(Map.of("#p", CaseKeys.DUE_PK))
                    .expressionAttributeValues(Map.of(":p", Attr.s(partition))).scanIndexForward(true)
                    .limit(Math.min(MAX_EXAMINED - examined, 100));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var r = table.client().query(q.build());
            examined += r.items().size();
            Map<String, SupportCase> byPk = read(r.items());
            for (var key : r.items()) {
                SupportCase c = byPk.get(Attr.str(key, Table.PK));
                // the index lags the table: a case whose clock stopped meanwhile is skipped
                if (c == null || c.sla().nextDue() == null || !matches(c, filter)) {
                    continue;
                }
                if (found.size() == limit) {
                    return new Slice<>(found, resume);
                }
                found.add(c);
                resume = dueCursor(key);
            }
            lastKey = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            start = lastKey;
        } while (lastKey != null && examined < MAX_EXAMINED);
        if (lastKey == null) {
            return Slice.last(found);
        }
        return new Slice<>(found, dueCursor(lastKey));
    }

    private static Cursor dueCursor(Map<String, AttributeValue> key) {
        return new Cursor(key.get(CaseKeys.DUE_SK).n() + "|" + Attr.str(key, Table.PK));
    }

    private static boolean matches(SupportCase c, Filter f) {
        return (f.status() == null || c.status() == f.status())
                && (f.assignee() == null || f.assignee().equals(c.assignee()))
                && (f.category() == null || f.category().equals(c.category()))
                && (f.priority() == null || f.priority() == c.priority())
                && (f.contactId() == null || f.contactId().equals(c.contactId()))
                && (!f.breached() || !c.sla().breaches().isEmpty());
    }

    /** The case items of these index keys (one consistent BatchGetItem; at most 100 keys). */
    private Map<String, SupportCase> read(List<Map<String, AttributeValue>> keys) {
        Map<String, SupportCase> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        List<Map<String, AttributeValue>> wanted = new ArrayList<>();
        for (var k : keys) {
            wanted.add(Table.key(Attr.str(k, Table.PK), Attr.str(k, Table.SK)));
        }
        Map<String, KeysAndAttributes> request = Map.of(table.name(),
                KeysAndAttributes.builder().keys(wanted).consistentRead(true).build());
        for (int attempt = 0; !request.isEmpty() && attempt < 10; attempt++) {
            var r = table.client().batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
            for (var item : r.responses().getOrDefault(table.name(), List.of())) {
                out.put(Attr.str(item, Table.PK), supportCase(item));
            }
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        return out;
    }

    @Override
    public List<CaseRef> dueForCheck(java.time.Instant now, int limit) {
        List<CaseRef> out = new ArrayList<>();
        int perShard = Math.max(1, limit / CaseKeys.CHECK_SHARDS);
        for (int shard = 0; shard < CaseKeys.CHECK_SHARDS; shard++) {
            var r = table.client().query(QueryRequest.builder().tableName(table.name()).indexName(Table.OPEN_JOBS)
                    .keyConditionExpression("#s = :s AND #d <= :now")
                    .expressionAttributeNames(Map.of("#s", Table.OPEN_JOBS_PK, "#d", Table.OPEN_JOBS_SK))
                    .expressionAttributeValues(Map.of(":s", Attr.s(CaseKeys.checkShard(shard)), ":now",
                            Attr.n(now.toEpochMilli())))
                    .limit(perShard).build());
            for (var key : r.items()) {
                String[] parts = CaseKeys.parseCaseItem(Attr.str(key, Table.PK));
                if (parts != null) {
                    out.add(new CaseRef(new TenantId(parts[0]), parts[1]));
                }
            }
        }
        return out;
    }

    @Override
    public void refreshCheck(SupportCase c) {
        Map<String, String> names = new HashMap<>(Map.of("#s", Table.OPEN_JOBS_PK, "#d", Table.OPEN_JOBS_SK, "#ds",
                CaseKeys.DUE_PK, "#da", CaseKeys.DUE_SK));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":v", Attr.n(c.version()));
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        if (c.sla().nextCheck() != null) {
            set.add("#s = :s, #d = :d");
            values.put(":s", Attr.s(CaseKeys.checkShard(CaseKeys.caseItem(c.tenant(), c.id()))));
            values.put(":d", Attr.n(c.sla().nextCheck().toEpochMilli()));
        } else {
            remove.add("#s, #d");
        }
        if (c.sla().nextDue() != null) {
            set.add("#ds = :ds, #da = :da");
            values.put(":ds", Attr.s(CaseKeys.dueCases(c.tenant())));
            values.put(":da", Attr.n(c.sla().nextDue().toEpochMilli()));
        } else {
            remove.add("#ds, #da");
        }
        String update = (set.isEmpty() ? "" : "SET " + String.join(", ", set))
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                    .key(Table.key(CaseKeys.caseItem(c.tenant(), c.id()), CaseKeys.CASE))
                    .updateExpression(update.trim()).conditionExpression("version = :v")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
        } catch (ConditionalCheckFailedException e) {
            // it changed meanwhile: that write stored its own instants
        }
    }

    @Override
    public Optional<SupportCase> find(TenantId tenant, String id) {
        var item = table.get(CaseKeys.caseItem(tenant, id), CaseKeys.CASE);
        return item == null ? Optional.empty() : Optional.of(supportCase(item));
    }
}
