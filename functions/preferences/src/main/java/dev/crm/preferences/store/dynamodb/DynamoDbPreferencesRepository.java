package dev.crm.preferences.store.dynamodb;

import java.util.function.Function;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.consent.Preferences;
import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.RateLimit;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.store.dynamodb.ConsentTable;
import dev.crm.shared.consent.Send;
import dev.crm.preferences.domain.TokenUse;
import dev.crm.preferences.domain.TokenUsed;
import dev.crm.preferences.domain.Topic;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Cursors;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link PreferencesRepository} on the single table (docs/data-model.md, "Preferences"), its items mapped
 * by the Enhanced Client with static schemas. Contacts are read through the shared {@link ContactDirectory}.
 */
public final class DynamoDbPreferencesRepository implements PreferencesRepository {
    private static final int TOPIC_ATTEMPTS = 8;
    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(PK)").build();
    private static final Expression CONTACT_ACTIVE = Expression.builder().expression("#st = :active")
            .putExpressionName("#st", "status").putExpressionValue(":active", AttributeValue.fromS("active")).build();

    private final Table table;
    private final ContactDirectory contacts;
    // Table views set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<ItemKey> keyItems;
    private DynamoDbTable<PreferencesItem> preferenceItems;
    private DynamoDbTable<TokenUseItem> tokenUseItems;
    private DynamoDbTable<LedgerItem> ledgerItems;
    private DynamoDbTable<TimelineItem> timelineItems;
    private final ConsentTable consent;
    private DynamoDbTable<TopicItem> topicItems;

    /** @param secrets each tenant's secrets, which key its email guards */
    public DynamoDbPreferencesRepository(Table table, Function<TenantId, TenantSecrets> secrets) {
        this.table = table;
        this.contacts = new ContactDirectory(table, secrets);
        this.consent = new ConsentTable(table);
    }

    /**
     * Builds the schemas of this function's items now (keys, preferences, token uses, ledger, timeline,
     * topics): SnapStart priming, so the snapshot holds them as when the store built them eagerly.
     */
    public static void buildSchemas() {
        Objects.requireNonNull(ItemKey.SCHEMA);
        Objects.requireNonNull(PreferencesItem.SCHEMA);
        Objects.requireNonNull(TokenUseItem.SCHEMA);
        Objects.requireNonNull(LedgerItem.SCHEMA);
        Objects.requireNonNull(TimelineItem.SCHEMA);
        Objects.requireNonNull(TopicItem.SCHEMA);
    }

    private DynamoDbTable<ItemKey> keyItems() {
        if (keyItems == null) {
            keyItems = table.of(ItemKey.SCHEMA);
        }
        return keyItems;
    }

    private DynamoDbTable<PreferencesItem> preferenceItems() {
        if (preferenceItems == null) {
            preferenceItems = table.of(PreferencesItem.SCHEMA);
        }
        return preferenceItems;
    }

    private DynamoDbTable<TokenUseItem> tokenUseItems() {
        if (tokenUseItems == null) {
            tokenUseItems = table.of(TokenUseItem.SCHEMA);
        }
        return tokenUseItems;
    }

    private DynamoDbTable<LedgerItem> ledgerItems() {
        if (ledgerItems == null) {
            ledgerItems = table.of(LedgerItem.SCHEMA);
        }
        return ledgerItems;
    }

    private DynamoDbTable<TimelineItem> timelineItems() {
        if (timelineItems == null) {
            timelineItems = table.of(TimelineItem.SCHEMA);
        }
        return timelineItems;
    }

    private DynamoDbTable<TopicItem> topicItems() {
        if (topicItems == null) {
            topicItems = table.of(TopicItem.SCHEMA);
        }
        return topicItems;
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    private static <T> TransactPutItemEnhancedRequest<T> putNew(Class<T> type, T item) {
        return TransactPutItemEnhancedRequest.builder(type).item(item).conditionExpression(NEW_ITEM).build();
    }

    /** The transaction's first item: the contact exists and is active (not being erased). */
    private static ConditionCheck<ItemKey> contactActive(TenantId t, String contactId) {
        return ConditionCheck.builder().key(key(Keys.contact(t, contactId), Keys.CONTACT_PROFILE))
                .conditionExpression(CONTACT_ACTIVE).build();
    }

    // ---- contacts ----

    @Override
    public Contact findContact(TenantId t, String contactId) {
        Contact c = contacts.find(t, contactId);
        return c == null || c.status() != Contact.Status.ACTIVE ? null : c;
    }

    @Override
    public String findContactIdByEmail(TenantId t, String email) {
        return contacts.findIdByEmail(t, email);
    }

    @Override
    public Contact findOrCreateContactByEmail(TenantId t, String email, Instant now) {
        return contacts.findOrCreateByEmail(t, email, now);
    }

    @Override
    public boolean isSuppressed(TenantId t, String addressPseudonym) {
        return keyItems().getItem(r -> r.key(key(Keys.suppression(t, addressPseudonym), Keys.ITEM)).consistentRead(true)) != null;
    }

    // ---- preferences and the ledger ----

    @Override
    public Preferences find(TenantId t, String contactId) {
        return consent.preferences(t, contactId);
    }

    @Override
    public void write(TenantId t, String contactId, long expectedVersion, Preferences next, List<LedgerEntry> entries,
            TokenUse token, Instant now) {
        if (next == null && !entries.isEmpty()) {
            throw new IllegalArgumentException("ledger entries come with a state change");
        }
        String pk = Keys.contact(t, contactId);
        var tx = TransactWriteItemsEnhancedRequest.builder().addConditionCheck(keyItems(), contactActive(t, contactId));
        int items = 1;
        int stateIndex = -1;
        long newVersion = expectedVersion + 1;
        if (next != null) {
            stateIndex = items++;
            PreferencesItem state = new PreferencesItem();
            state.pk = pk;
            state.sk = Keys.PREFERENCES;
            state.entity = PreferencesItem.ENTITY;
            state.tenantId = t.value();
            state.contactId = contactId;
            state.version = newVersion;
            state.updatedAt = now;
            // The API representation, which the contacts function's 360-degree view reads as it is.
            state.view = next.withVersion(newVersion).toJson();
            Expression expected = expectedVersion == 0 ? NEW_ITEM : Expression.builder().expression("version = :expected")
                    .putExpressionValue(":expected", AttributeValue.fromN(Long.toString(expectedVersion))).build();
            tx.addPutItem(preferenceItems(), TransactPutItemEnhancedRequest.builder(PreferencesItem.class).item(state)
                    .conditionExpression(expected).build());
        }
        int tokenIndex = -1;
        if (token != null) {
            tokenIndex = items++;
            TokenUseItem used = new TokenUseItem();
            used.pk = pk;
            used.sk = PreferenceKeys.tokenUse(token.nonce());
            used.entity = TokenUseItem.ENTITY;
            used.tenantId = t.value();
            used.usedAt = now;
            used.expiresAt = token.expiresAt();
            tx.addPutItem(tokenUseItems(), putNew(TokenUseItem.class, used));
            if (token.liftsSuppression() != null) {
                // Unconditional: lifting a suppression that is not there is harmless.
                items++;
                tx.addDeleteItem(keyItems(), key(Keys.suppression(t, token.liftsSuppression()), Keys.ITEM));
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            tx.addPutItem(ledgerItems(), putNew(LedgerItem.class, LedgerItem.of(t, e, newVersion, i)));
            tx.addPutItem(timelineItems(), putNew(TimelineItem.class, TimelineItem.of(t, e, now)));
            items += 2;
        }
        if (items > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("a consent write of " + items + " items exceeds one transaction");
        }
        try {
            table.enhanced().transactWriteItems(tx.build());
            for (LedgerEntry e : entries) {
                Metrics.count(MetricNames.consentChange(e.newStatus() == null ? null : e.newStatus().name()));
            }
        } catch (TransactionCanceledException e) {
            Table.TransactionFailure c = Table.TransactionFailure.of(e);
            if (c.conditionFailed(0)) {
                throw new StoreException.NotFound();
            }
            if (c.conditionFailed(tokenIndex)) {
                throw new TokenUsed();
            }
            if (c.conditionFailed(stateIndex)) {
                throw new StoreException.VersionConflict();
            }
            if (c.isConflict() || c.anyConditionFailed()) {
                // A conflicting transaction, or (vanishingly unlikely) an entry id already taken: both are
                // cured by reading again and retrying with fresh ids.
                throw new StoreException.Contention();
            }
            throw c.isThrottled() ? new StoreException.Busy() : e;
        }
    }

    @Override
    public boolean isTokenUsed(TenantId t, String contactId, String nonce) {
        return keyItems().getItem(r -> r.key(key(Keys.contact(t, contactId), PreferenceKeys.tokenUse(nonce)))
                .consistentRead(true)) != null;
    }

    private static QueryConditional ledgerOf(TenantId t, String contactId) {
        return QueryConditional.sortBeginsWith(key(Keys.contact(t, contactId), Keys.LEDGER_PREFIX));
    }

    @Override
    public List<LedgerEntry> ledger(TenantId t, String contactId) {
        // Append order is the order of the state versions the entries produced (writes are serialised by
        // the version check), then the order within one write; timestamps of writers may disagree.
        return ledgerItems().query(r -> r.queryConditional(ledgerOf(t, contactId)).consistentRead(true)).items().stream()
                .sorted(Comparator.comparingLong(LedgerItem::stateVersion).thenComparingInt(LedgerItem::position))
                .map(LedgerItem::entry).toList();
    }

    @Override
    public Slice<LedgerEntry> history(TenantId t, String contactId, int limit, Cursor from) {
        return firstPage(ledgerItems(), QueryEnhancedRequest.builder().queryConditional(ledgerOf(t, contactId)).limit(limit)
                .exclusiveStartKey(Cursors.startKey(from)).build()).map(LedgerItem::entry);
    }

    /** One page of a query (not the following ones), and where the next starts. */
    private static <T> Slice<T> firstPage(DynamoDbTable<T> table, QueryEnhancedRequest request) {
        Page<T> page = table.query(request).iterator().next();
        return new Slice<>(page.items(), Cursors.of(page.lastEvaluatedKey()));
    }

    // ---- sends ----

    @Override
    public RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        return consent.recordSend(t, contactId, send, now);
    }

    @Override
    public List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        return consent.sends(t, contactId, channel, from);
    }

    // ---- topics ----

    @Override
    public void createTopic(TenantId t, Topic topic) {
        String pk = PreferenceKeys.topics(t);
        // Low-level: the counter's ADD has no Enhanced Client model, and one transaction cannot mix both
        // kinds of item; the topic item itself is still mapped by its static schema.
        List<TransactWriteItem> tx = List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(pk, Keys.ITEM))
                        .updateExpression("ADD topicCount :one SET entity = :e, tenantId = :tid")
                        .conditionExpression("attribute_not_exists(topicCount) OR topicCount < :max")
                        .expressionAttributeValues(Map.of(":one", Attr.n(1), ":max", Attr.n(Topic.MAX_PER_TENANT),
                                ":e", Attr.s("TOPIC_COUNT"), ":tid", Attr.s(t.value())))
                        .build()).build(),
                table.putIfAbsent(TopicItem.SCHEMA.itemToMap(TopicItem.of(t, topic), true)));
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
                    throw f.isThrottled() ? new StoreException.Busy() : f;
                }
                // Every topic of the tenant goes through its counter, so concurrent creates of different
                // topics conflict there; the next attempt sees the other's result.
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }


    /** Topic keys start with a letter or digit, so they all sort after the counter's "#". */
    private static QueryConditional topicsOf(TenantId t) {
        return QueryConditional.sortGreaterThan(key(PreferenceKeys.topics(t), Keys.ITEM));
    }

    @Override
    public Slice<Topic> topics(TenantId t, int limit, Cursor from) {
        return firstPage(topicItems(), QueryEnhancedRequest.builder().queryConditional(topicsOf(t)).limit(limit)
                .exclusiveStartKey(Cursors.startKey(from)).build()).map(TopicItem::topic);
    }

    @Override
    public Set<String> topicKeys(TenantId t) {
        return topicItems().query(r -> r.queryConditional(topicsOf(t)).attributesToProject(Table.SK)).items().stream()
                .map(i -> i.sk).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    // ---- rate counters ----

    @Override
    public long countRequest(TenantId t, RateLimit limit, String subjectHash, Instant now) {
        // The counter outlives its window by one window.
        Instant expiresAt = limit.windowEnd(now).plus(limit.window());
        // Low-level: ADD (an atomic increment that returns the new count) has no Enhanced Client model.
        var r = table.client().updateItem(UpdateItemRequest.builder().tableName(table.name())
                .key(Table.key(PreferenceKeys.rateCounter(t, limit.name(), subjectHash),
                        Long.toString(limit.windowStart(now).getEpochSecond())))
                .updateExpression("ADD hits :one SET #ttl = :exp, entity = :e, tenantId = :tid")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":one", Attr.n(1), ":exp", Attr.ttl(expiresAt),
                        ":e", Attr.s("RATE_COUNTER"), ":tid", Attr.s(t.value())))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
        return Attr.num(r.attributes(), "hits", 1);
    }
}
