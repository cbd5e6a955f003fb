package dev.crm.contacts.store.dynamodb;

import dev.crm.shared.tenant.TenantSecrets;
import java.util.function.Function;
import dev.crm.shared.store.dynamodb.EnhancedTransaction;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.contacts.domain.PrivacyRepository;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@link PrivacyRepository} on the single table: the contact's partition and what references it. */
public final class DynamoDbPrivacyRepository implements PrivacyRepository {
    /** Attributes the export leaves out of an item: its keys and bookkeeping. */
    private static final List<String> NOT_EXPORTED = List.of(Table.PK, Table.SK, Table.GSI1PK, Table.GSI1SK, Table.GSI2PK,
            Table.GSI2SK, "tenantId", Table.ENTITY, Table.TTL);

    private final Table table;
    private final Clock clock;
    // Table views set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<ContactRecord> profiles;
    private DynamoDbTable<ErasureItems.Suppression> suppressions;
    private DynamoDbTable<ErasureItems.Record> records;
    private final ContactGuards guards;

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbPrivacyRepository(Table table, Clock clock, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.clock = clock;
        this.guards = new ContactGuards(table, secrets);
    }

    private DynamoDbTable<ContactRecord> profiles() {
        if (profiles == null) {
            profiles = table.of(ContactRecord.SCHEMA);
        }
        return profiles;
    }

    private DynamoDbTable<ErasureItems.Suppression> suppressions() {
        if (suppressions == null) {
            suppressions = table.of(ErasureItems.Suppression.SCHEMA);
        }
        return suppressions;
    }

    private DynamoDbTable<ErasureItems.Record> records() {
        if (records == null) {
            records = table.of(ErasureItems.Record.SCHEMA);
        }
        return records;
    }

    @Override
    public boolean beginErasure(TenantId t, String contactId, NewJob job, Instant at) {
        // Low-level transaction: the jobs adapter hands over its item as a low-level write, and the
        // update REMOVEs the stage index attributes.
        try {
            table.transact(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                            .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                            .updateExpression("SET #st = :erasing, GSI1PK = :gone, erasureJobId = :job REMOVE GSI2PK, GSI2SK")
                            .conditionExpression("#st IN (:active, :anon)")
                            .expressionAttributeNames(Map.of("#st", "status"))
                            .expressionAttributeValues(Map.of(":erasing", Attr.s("erasing"), ":active", Attr.s("active"),
                                    ":anon", Attr.s("anonymized"), ":gone", Attr.s(ContactKeys.erasingIndex(t)),
                                    ":job", Attr.s(job.ref().id())))
                            .build()).build(),
                    DynamoDbJobRepository.createItem(table.name(), job, at)));
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public String erasureJobOf(TenantId t, String contactId) {
        // Low-level: erasureJobId is set by the erasure's own update, outside the profile's schema.
        var item = table.client().getItem(b -> b.tableName(table.name()).consistentRead(true)
                .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .projectionExpression("#st, erasureJobId").expressionAttributeNames(Map.of("#st", "status")));
        return item.hasItem() && "erasing".equals(Attr.str(item.item(), "status")) ? Attr.str(item.item(), "erasureJobId") : null;
    }

    @Override
    public boolean restartErasure(TenantId t, String contactId, String failedJobId, NewJob job) {
        try {
            table.transact(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                            .key(Table.key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                            .updateExpression("SET erasureJobId = :job")
                            .conditionExpression("#st = :erasing AND erasureJobId = :failed")
                            .expressionAttributeNames(Map.of("#st", "status"))
                            .expressionAttributeValues(Map.of(":erasing", Attr.s("erasing"), ":failed", Attr.s(failedJobId),
                                    ":job", Attr.s(job.ref().id())))
                            .build()).build(),
                    DynamoDbJobRepository.createItem(table.name(), job, clock.instant())));
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false;
            }
            throw f.storeOutcome();
        }
    }

    @Override
    public Contact findAnyState(TenantId t, String contactId) {
        ContactRecord r = profiles().getItem(b -> b.key(DynamoDbContactRepository.key(Keys.contact(t, contactId),
                Keys.CONTACT_PROFILE)).consistentRead(true));
        return r == null ? null : r.toContact();
    }

    @Override
    public void suppress(TenantId t, String pseudonym, String reason, String jobId, Instant at) {
        // Plain puts: re-running after a crash writes the same items again.
        suppressions().putItem(ErasureItems.Suppression.of(t, pseudonym, reason, at));
        records().putItem(ErasureItems.Record.of(t, jobId, pseudonym, reason, at));
    }

    @Override
    public void releaseGuards(TenantId t, Contact contact) {
        // One conditional delete per guard, each on its own: a guard another contact took meanwhile stays.
        List<String> guardKeys = new ArrayList<>(guards.emailKeys(t, contact));
        if (contact.data().externalId() != null) {
            guardKeys.add(ContactGuards.externalIdKey(t, contact));
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
        EnhancedTransaction tx = new EnhancedTransaction(table.enhanced());
        tx.put(profiles(), ContactRecord.of(t, anonymized), EnhancedTransaction.condition("version = :v", Map.of(),
                Map.of(":v", Attr.n(previous.version()))));
        guards.addReleases(tx, t, previous);
        try {
            tx.run();
        } catch (Table.TransactionFailure f) {
            throw new StoreException.VersionConflict();
        }
    }

    // ---- the contact's partition, a page at a time ----

    /** A page of the contact's items under a sort-key prefix (null: every item), strongly consistent. */
    private QueryResponse items(TenantId t, String contactId, String skPrefix, Cursor from, int limit) {
        var b = QueryRequest.builder().tableName(table.name()).consistentRead(true).limit(limit);
        if (skPrefix == null) {
            b.keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId))));
        } else {
            b.keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)), ":p", Attr.s(skPrefix)));
        }
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        return table.client().query(b.build());
    }

    @Override
    public int moveLedgerPage(TenantId t, String contactId, String pseudonym, int limit) {
        List<Map<String, AttributeValue>> page = items(t, contactId, Keys.LEDGER_PREFIX, null, limit).items();
        List<WriteRequest> copies = new ArrayList<>();
        for (Map<String, AttributeValue> entry : page) {
            Map<String, AttributeValue> item = new HashMap<>();
            for (var e : entry.entrySet()) {
                switch (e.getKey()) {
                    case "PK", "contactId", "ip", "userAgent", "actor" -> { }
                    // through the plain form, as the ledger copies have always been written
                    default -> item.put(e.getKey(), Attr.of(Attr.toPlain(e.getValue())));
                }
            }
            item.put(Table.PK, Attr.s(Keys.pseudonymousLedger(t, pseudonym)));
            item.put("pseudonymised", Attr.bool(true));
            copies.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        BatchWrites.write(table, copies);
        return delete(page);
    }

    @Override
    public Cursor detachReferences(TenantId t, String contactId, Cursor from, int limit) {
        QueryResponse page = items(t, contactId, Keys.TIMELINE_PREFIX, from, limit);
        detach(page.items(), true);
        return Cursors.of(page.lastEvaluatedKey());
    }

    @Override
    public Cursor anonymizeTimeline(TenantId t, String contactId, Cursor from, int limit) {
        QueryResponse page = items(t, contactId, Keys.TIMELINE_PREFIX, from, limit);
        detach(page.items(), false);
        stripFreeText(page.items());
        return Cursors.of(page.lastEvaluatedKey());
    }

    @Override
    public int deleteCasePage(TenantId t, String contactId, int limit) {
        var links = items(t, contactId, Keys.OPEN_CASE_PREFIX, null, 1).items();
        if (links.isEmpty()) {
            links = items(t, contactId, Keys.RESOLVED_CASE_PREFIX, null, 1).items();
        }
        if (links.isEmpty()) {
            return 0;
        }
        Map<String, AttributeValue> link = links.get(0);
        String casePk = Keys.casePartition(t, Attr.str(link, "caseId"));
        // The case item (SK CASE) sorts before its history (H#…): the first page deletes it, and every
        // later write of the case fails its condition on the case's existence.
        List<Map<String, AttributeValue>> page = table.client().query(QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(casePk)))
                .consistentRead(true).limit(limit).build()).items();
        if (!page.isEmpty()) {
            return delete(page);
        }
        return delete(List.of(link));
    }

    @Override
    public int deletePage(TenantId t, String contactId, int limit) {
        return delete(items(t, contactId, null, null, limit).items());
    }

    /**
     * Strips personal data from items elsewhere that reference the contact (a timeline entry's
     * {@code refPk}/{@code refSk}, e.g. a survey response): removes {@code personal}, and on erasure
     * also {@code contactId}.
     */
    private void detach(List<Map<String, AttributeValue>> timelineItems, boolean erased) {
        for (Map<String, AttributeValue> entry : timelineItems) {
            String pk = Attr.str(entry, "refPk");
            String sk = Attr.str(entry, "refSk");
            if (pk == null || sk == null) {
                continue;
            }
            try {
                table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Table.key(pk, sk))
                        .updateExpression(erased ? "REMOVE contactId, personal SET erased = :t" : "REMOVE personal SET anonymized = :t")
                        .conditionExpression("attribute_exists(PK)")
                        .expressionAttributeValues(Map.of(":t", Attr.bool(true)))
                        .build());
            } catch (ConditionalCheckFailedException e) {
                // the referenced item is already gone
            }
        }
    }

    /** Removes free text from interaction entries in place (the ledger is pseudonymised, never edited). */
    private void stripFreeText(List<Map<String, AttributeValue>> items) {
        for (Map<String, AttributeValue> item : items) {
            String pk = Attr.str(item, Table.PK);
            String sk = Attr.str(item, Table.SK);
            if (sk.startsWith(Keys.TIMELINE_PREFIX) && "interaction".equals(Attr.str(item, "kind"))) {
                Map<String, Object> data = new LinkedHashMap<>(Attr.map(item, "data"));
                data.put("summary", null);
                table.client().updateItem(UpdateItemRequest.builder().tableName(table.name()).key(Table.key(pk, sk))
                        .updateExpression("SET #d = :d").expressionAttributeNames(Map.of("#d", "data"))
                        .expressionAttributeValues(Map.of(":d", Attr.of(data))).build());
            }
        }
    }

    /** Deletes the given items (by PK/SK). @return how many */
    private int delete(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            writes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Table.key(Attr.str(item, Table.PK), Attr.str(item, Table.SK))).build()).build());
        }
        BatchWrites.write(table, writes);
        return writes.size();
    }

    // ---- the export ----

    @Override
    public Slice<HeldItem> heldItems(TenantId t, String contactId, Cursor from, int limit) {
        QueryResponse page = items(t, contactId, null, from, limit);
        List<HeldItem> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            out.add(held(item));
        }
        return new Slice<>(out, Cursors.of(page.lastEvaluatedKey()));
    }

    private static HeldItem held(Map<String, AttributeValue> stored) {
        Map<String, Object> item = new LinkedHashMap<>();
        stored.forEach((k, v) -> item.put(k, Attr.toPlain(v)));
        String sk = (String) item.get(Table.SK);
        if (dev.crm.shared.contact.CaseLinkItems.isLink(stored)) {
            // a case's link (open under A#, resolved under CASE#): the case as the 360° view lists it
            @SuppressWarnings("unchecked")
            Map<String, Object> view = item.get("view") instanceof Map<?, ?> v ? (Map<String, Object>) v : withoutKeys(item);
            return new HeldItem(HeldKind.CASE, null, view);
        } else if (sk.startsWith(Keys.TIMELINE_PREFIX)) {
            return new HeldItem(HeldKind.TIMELINE, null, exportedTimelineEntry(item));
        } else if (sk.startsWith(Keys.LEDGER_PREFIX)) {
            return new HeldItem(HeldKind.CONSENT_LEDGER, null, withoutKeys(item));
        } else if (sk.startsWith(ContactKeys.SENDS_PREFIX)) {
            return new HeldItem(HeldKind.SEND, null, withoutKeys(item));
        } else if (sk.equals(Keys.PURCHASE_SUMMARY)) {
            return new HeldItem(HeldKind.PURCHASE_SUMMARY, "purchaseSummary", withoutKeys(item));
        } else if (sk.startsWith(Keys.STATE_PREFIX) && !sk.equals(Keys.CONTACT_PROFILE)) {
            // state other functions own carries its API representation in "view"
            @SuppressWarnings("unchecked")
            Map<String, Object> view = item.get("view") instanceof Map<?, ?> v ? (Map<String, Object>) v : null;
            return new HeldItem(HeldKind.STATE, sk.substring(Keys.STATE_PREFIX.length()).toLowerCase(Locale.ROOT),
                    item.containsKey("view") ? view : withoutKeys(item));
        }
        return new HeldItem(HeldKind.OTHER, null, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> exportedTimelineEntry(Map<String, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", item.get("kind"));
        m.put("id", item.get("entryId"));
        m.put("occurredAt", item.get("occurredAt"));
        if (item.get("data") instanceof Map<?, ?> data) {
            m.putAll((Map<String, Object>) data);
        }
        return m;
    }

    private static Map<String, Object> withoutKeys(Map<String, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>(item);
        NOT_EXPORTED.forEach(m::remove);
        return m;
    }
}
