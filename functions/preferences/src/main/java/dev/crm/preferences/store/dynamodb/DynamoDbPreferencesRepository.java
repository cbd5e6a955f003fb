package dev.crm.preferences.store.dynamodb;

import dev.crm.preferences.domain.Channel;
import dev.crm.preferences.domain.FrequencyCap;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.Preferences;
import dev.crm.preferences.domain.Send;
import dev.crm.preferences.domain.Topic;
import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.RateLimit;
import dev.crm.preferences.domain.RecordedSend;
import dev.crm.preferences.domain.TokenUse;
import dev.crm.preferences.domain.TokenUsed;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link PreferencesRepository} on the single table (docs/data-model.md, "Preferences"). */
public final class DynamoDbPreferencesRepository implements PreferencesRepository {
    /**
     * Sends and their id guards outlive the longest cap period by a day, so every send a window can
     * contain is still there; DynamoDB's TTL deletes them afterwards.
     */
    static final Duration SEND_RETENTION = Duration.ofDays(FrequencyCap.MAX_PERIOD_DAYS + 1L);
    private static final int SEND_ATTEMPTS = 5;
    private static final int TOPIC_ATTEMPTS = 8;

    private final Table table;
    private final ContactDirectory contacts;

    public DynamoDbPreferencesRepository(Table table) {
        this.table = table;
        this.contacts = new ContactDirectory(table);
    }

    // ---- contacts ----

    @Override
    public Contact findContact(TenantId t, String contactId) {
        Contact c = contacts.find(t, contactId);
        return c == null || c.status() != Contact.Status.ACTIVE ? null : c;
    }

    @Override
    public boolean isSuppressed(TenantId t, String addressPseudonym) {
        return table.get(Keys.suppression(t, addressPseudonym), Keys.ITEM) != null;
    }

    @Override
    public void liftSuppression(TenantId t, String addressPseudonym) {
        table.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(Keys.suppression(t, addressPseudonym), Keys.ITEM)));
    }

    @Override
    public String findContactIdByEmail(TenantId t, String email) {
        return contacts.findIdByEmail(t, email);
    }

    @Override
    public Contact findOrCreateContactByEmail(TenantId t, String email, Instant now) {
        return contacts.findOrCreateByEmail(t, email, now);
    }

    // ---- preferences and the ledger ----

    @Override
    public Preferences find(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.PREFERENCES);
        return item == null ? Preferences.empty() : Preferences.fromStored(Attr.map(item, "view"));
    }

    @Override
    public void write(TenantId t, String contactId, long expectedVersion, Preferences next, List<LedgerEntry> entries,
            TokenUse token, Instant now) {
        if (next == null && !entries.isEmpty()) {
            throw new IllegalArgumentException("ledger entries come with a state change");
        }
        String pk = Keys.contact(t, contactId);
        List<TransactWriteItem> tx = new ArrayList<>();
        tx.add(contacts.requireActive(t, contactId));
        int stateIndex = -1;
        long newVersion = expectedVersion + 1;
        if (next != null) {
            stateIndex = tx.size();
            tx.add(preferencesPut(t, contactId, next.withVersion(newVersion), expectedVersion, now));
        }
        int tokenIndex = -1;
        if (token != null) {
            tokenIndex = tx.size();
            Map<String, AttributeValue> used = new HashMap<>(Table.key(pk, PreferenceKeys.tokenUse(token.nonce())));
            used.put(Table.ENTITY, Attr.s("TOKEN_USE"));
            used.put("tenantId", Attr.s(t.value()));
            used.put("usedAt", Attr.instant(now));
            used.put(Table.TTL, Attr.ttl(token.expiresAt()));
            tx.add(put(used, "attribute_not_exists(PK)"));
        }
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            tx.add(put(LedgerItems.ledger(t, e, newVersion, i), "attribute_not_exists(PK)"));
            tx.add(put(LedgerItems.timeline(t, e, now), "attribute_not_exists(PK)"));
        }
        if (tx.size() > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("a consent write of " + tx.size() + " items exceeds one transaction");
        }
        try {
            table.transact(tx);
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                throw new StoreException.NotFound();
            }
            if (tokenIndex >= 0 && f.conditionFailed(tokenIndex)) {
                throw new TokenUsed();
            }
            if (stateIndex >= 0 && f.conditionFailed(stateIndex)) {
                throw new StoreException.VersionConflict();
            }
            if (f.isConflict() || f.anyConditionFailed()) {
                // A conflicting transaction, or (vanishingly unlikely) an entry id already taken: both are
                // cured by reading again and retrying with fresh ids.
                throw new StoreException.Contention();
            }
            throw f;
        }
    }

    private TransactWriteItem preferencesPut(TenantId t, String contactId, Preferences state, long expectedVersion,
            Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(Keys.contact(t, contactId), Keys.PREFERENCES));
        item.put(Table.ENTITY, Attr.s("PREFERENCES"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("contactId", Attr.s(contactId));
        item.put("version", Attr.n(state.version()));
        item.put("updatedAt", Attr.instant(now));
        // The API representation, which the contacts function's 360-degree view reads as it is.
        item.put("view", Attr.of(state.toJson()));
        var p = Put.builder().tableName(table.name()).item(item);
        if (expectedVersion == 0) {
            p.conditionExpression("attribute_not_exists(PK)");
        } else {
            p.conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected",
                    Attr.n(expectedVersion)));
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression(condition).build()).build();
    }

    @Override
    public boolean isTokenUsed(TenantId t, String contactId, String nonce) {
        return table.get(Keys.contact(t, contactId), PreferenceKeys.tokenUse(nonce)) != null;
    }

    @Override
    public List<LedgerEntry> ledger(TenantId t, String contactId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :l)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)),
                            ":l", Attr.s(Keys.LEDGER_PREFIX)))
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        // Append order is the order of the state versions the entries produced (writes are serialised by
        // the version check), then the order within one write; timestamps of writers may disagree.
        items.sort(Comparator.comparingLong((Map<String, AttributeValue> i) -> Attr.num(i, "stateVersion", 0))
                .thenComparingLong(i -> Attr.num(i, "position", 0)));
        return items.stream().map(LedgerItems::entry).toList();
    }

    @Override
    public Slice<LedgerEntry> history(TenantId t, String contactId, int limit, Cursor from) {
        var b = QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("PK = :pk AND begins_with(SK, :l)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)),
                        ":l", Attr.s(Keys.LEDGER_PREFIX)))
                .limit(limit);
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        return new Slice<>(r.items().stream().map(LedgerItems::entry).toList(), Cursors.of(r.lastEvaluatedKey()));
    }

    // ---- sends ----

    @Override
    public RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        String pk = Keys.contact(t, contactId);
        String sendSk = PreferenceKeys.send(send.channel(), send.at(), send.id());
        Instant expiresAt = send.at().plus(SEND_RETENTION);
        Map<String, AttributeValue> guard = new HashMap<>(Table.key(pk, PreferenceKeys.sendGuard(send.id())));
        guard.put(Table.ENTITY, Attr.s("SEND_GUARD"));
        guard.put("tenantId", Attr.s(t.value()));
        guard.put("fingerprint", Attr.s(send.fingerprint()));
        guard.put("sendSk", Attr.s(sendSk));
        sendAttributes(guard, send, expiresAt);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, sendSk));
        item.put(Table.ENTITY, Attr.s("SEND"));
        item.put("tenantId", Attr.s(t.value()));
        sendAttributes(item, send, expiresAt);
        List<TransactWriteItem> tx = List.of(
                contacts.requireActive(t, contactId),
                TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(guard)
                        // An expired guard (TTL deletion is lazy) no longer holds the id.
                        .conditionExpression("attribute_not_exists(PK) OR #ttl < :now")
                        .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                        .expressionAttributeValues(Map.of(":now", Attr.ttl(now)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build(),
                put(item, "attribute_not_exists(PK)"));
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            try {
                table.transact(tx);
                return RecordedSend.created(send);
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(1)) {
                    Map<String, AttributeValue> old = f.oldItem(1);
                    if (old == null) {
                        old = table.get(pk, PreferenceKeys.sendGuard(send.id()));
                    }
                    if (old == null) {
                        continue; // expired and deleted in between: try again
                    }
                    if (!send.fingerprint().equals(Attr.str(old, "fingerprint"))) {
                        return RecordedSend.idConflict();
                    }
                    return RecordedSend.replayed(storedSend(old));
                }
                if (f.conditionFailed(0)) {
                    return RecordedSend.contactMissing();
                }
                if (!f.isConflict() && !f.anyConditionFailed()) {
                    throw f;
                }
                // a concurrent replay of the same id: the next attempt sees its guard
                pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    private static void sendAttributes(Map<String, AttributeValue> item, Send send, Instant expiresAt) {
        item.put("sendId", Attr.s(send.id()));
        item.put("channel", Attr.s(send.channel().wire()));
        if (send.topic() != null) {
            item.put("topic", Attr.s(send.topic()));
        }
        item.put("sentAt", Attr.instant(send.at()));
        item.put(Table.TTL, Attr.ttl(expiresAt));
    }

    private static Send storedSend(Map<String, AttributeValue> item) {
        return new Send(Attr.str(item, "sendId"), Channel.fromWire(Attr.str(item, "channel")), Attr.str(item, "topic"),
                Attr.instant(item, "sentAt"));
    }

    @Override
    public List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        List<Instant> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.contact(t, contactId)),
                            ":from", Attr.s(PreferenceKeys.sendsOf(channel) + Keys.sortableInstant(from)),
                            ":to", Attr.s(PreferenceKeys.afterAllSends(channel))))
                    .projectionExpression("sentAt")
                    .consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                out.add(Attr.instant(item, "sentAt"));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    // ---- topics ----

    @Override
    public void createTopic(TenantId t, Topic topic) {
        String pk = PreferenceKeys.topics(t);
        Map<String, AttributeValue> item = new HashMap<>(Table.key(pk, topic.key()));
        item.put(Table.ENTITY, Attr.s("TOPIC"));
        item.put("tenantId", Attr.s(t.value()));
        item.put("topicKey", Attr.s(topic.key()));
        item.put("name", Attr.s(topic.name()));
        if (topic.description() != null) {
            item.put("description", Attr.s(topic.description()));
        }
        item.put("createdAt", Attr.instant(topic.createdAt()));
        List<TransactWriteItem> tx = List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(pk, Keys.ITEM))
                        .updateExpression("ADD topicCount :one SET entity = :e, tenantId = :tid")
                        .conditionExpression("attribute_not_exists(topicCount) OR topicCount < :max")
                        .expressionAttributeValues(Map.of(":one", Attr.n(1), ":max", Attr.n(Topic.MAX_PER_TENANT),
                                ":e", Attr.s("TOPIC_COUNT"), ":tid", Attr.s(t.value())))
                        .build()).build(),
                put(item, "attribute_not_exists(PK)"));
        for (int attempt = 1; attempt <= TOPIC_ATTEMPTS; attempt++) {
            try {
                table.transact(tx);
                return;
            } catch (Table.TransactionFailure f) {
                if (f.conditionFailed(1)) {
                    throw new StoreException.UniqueViolation("key", topic.key());
                }
                if (f.conditionFailed(0)) {
                    throw new StoreException.LimitReached("at most " + Topic.MAX_PER_TENANT + " topics");
                }
                if (!f.isConflict()) {
                    throw f;
                }
                // Every topic of the tenant goes through its counter, so concurrent creates of different
                // topics conflict there; the next attempt sees the other's result.
                pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(attempt * 5L + ThreadLocalRandom.current().nextInt(10 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Slice<Topic> topics(TenantId t, int limit, Cursor from) {
        var b = QueryRequest.builder().tableName(table.name())
                // Topic keys start with a letter or digit, so they all sort after the counter's "#".
                .keyConditionExpression("PK = :pk AND SK > :counter")
                .expressionAttributeValues(Map.of(":pk", Attr.s(PreferenceKeys.topics(t)), ":counter", Attr.s(Keys.ITEM)))
                .limit(limit);
        if (from != null) {
            b.exclusiveStartKey(Cursors.startKey(from));
        }
        QueryResponse r = table.client().query(b.build());
        List<Topic> items = new ArrayList<>();
        for (var item : r.items()) {
            items.add(new Topic(Attr.str(item, "topicKey"), Attr.str(item, "name"), Attr.str(item, "description"),
                    Attr.instant(item, "createdAt")));
        }
        return new Slice<>(items, Cursors.of(r.lastEvaluatedKey()));
    }

    @Override
    public Set<String> topicKeys(TenantId t) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK > :counter")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(PreferenceKeys.topics(t)), ":counter", Attr.s(Keys.ITEM)))
                    .projectionExpression("SK");
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(b.build());
            for (var item : r.items()) {
                keys.add(Attr.str(item, Table.SK));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    // ---- rate counters ----

    @Override
    public long countRequest(TenantId t, RateLimit limit, String subjectHash, Instant now) {
        Instant windowStart = limit.windowStart(now);
        // The counter outlives its window by one window.
        Instant expiresAt = limit.windowEnd(now).plus(limit.window());
        var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(PreferenceKeys.rateCounter(t, limit.name(), subjectHash), Long.toString(windowStart.getEpochSecond())))
                .updateExpression("ADD hits :one SET #ttl = :exp, entity = :e, tenantId = :tid")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":exp", Attr.ttl(expiresAt),
                        ":e", Attr.s("RATE_COUNTER"), ":tid", Attr.s(t.value())))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
        return Attr.num(r.attributes(), "hits", 1);
    }
}
