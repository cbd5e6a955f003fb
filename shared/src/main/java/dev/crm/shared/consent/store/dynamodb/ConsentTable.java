package dev.crm.shared.consent.store.dynamodb;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.FrequencyCap;
import dev.crm.shared.consent.Preferences;
import dev.crm.shared.consent.RecordedSend;
import dev.crm.shared.consent.Send;
import dev.crm.shared.store.Backoff;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The consent items two functions read and write: the preferences item's stored view, the recorded sends
 * and their id guards (docs/data-model.md, "Preferences"). The preferences function records a send alone
 * ({@link #recordSend}); a journey adds the same two puts to the transaction that advances its enrolment
 * ({@link #recordSendWrites}), so a cap counts journey and manual sends alike.
 */
public final class ConsentTable {
    /**
     * Sends and their id guards outlive the longest cap period by a day, so every send a window can
     * contain is still there; DynamoDB's TTL deletes them afterwards.
     */
    public static final Duration SEND_RETENTION = Duration.ofDays(FrequencyCap.MAX_PERIOD_DAYS + 1L);
    private static final int SEND_ATTEMPTS = 5;
    private static final String CONTACT_ACTIVE = "#st = :active";

    private final Table table;
    // Set on first use, so building the store builds no schema (a race only builds the same view twice).
    private DynamoDbTable<SendItem> sendItems;

    public ConsentTable(Table table) {
        this.table = table;
    }

    /** Builds the send items' schema now: SnapStart priming (its functions' buildSchemas), so the snapshot holds it. */
    public static void buildSchema() {
        Objects.requireNonNull(SendItem.SCHEMA);
    }

    private DynamoDbTable<SendItem> sendItems() {
        if (sendItems == null) {
            sendItems = table.of(SendItem.SCHEMA);
        }
        return sendItems;
    }

    /** @return the stored state, or {@link Preferences#empty()} (version 0) when never written */
    public Preferences preferences(TenantId t, String contactId) {
        Map<String, AttributeValue> item = table.get(Keys.contact(t, contactId), Keys.PREFERENCES);
        if (item == null || item.isEmpty()) {
            return Preferences.empty();
        }
        AttributeValue view = item.get("view");
        return view == null ? Preferences.empty()
                : Preferences.fromStored(new LinkedHashMap<>(Converters.DOCUMENT.transformTo(view)));
    }

    /** The instants of the sends on a channel at or after {@code from} (later ones included), in order. */
    public List<Instant> sends(TenantId t, String contactId, Channel channel, Instant from) {
        String pk = Keys.contact(t, contactId);
        QueryConditional window = QueryConditional.sortBetween(
                key(pk, ConsentKeys.sendsOf(channel) + Keys.sortableInstant(from)),
                key(pk, ConsentKeys.afterAllSends(channel)));
        return sendItems().query(r -> r.queryConditional(window).attributesToProject("sentAt").consistentRead(true)).items()
                .stream().map(i -> i.sentAt).toList();
    }

    /**
     * The writes that record a send: the contact is active, the id guard is new (or expired), the send item
     * is new. Index 0 is the contact check and index 1 the guard, for reading a cancelled transaction.
     */
    public List<TransactWriteItem> recordSendWrites(TenantId t, String contactId, Send send, Instant now) {
        String pk = Keys.contact(t, contactId);
        String sendSk = ConsentKeys.send(send.channel(), send.at(), send.id());
        Instant expiresAt = send.at().plus(SEND_RETENTION);
        SendItem guard = SendItem.of(pk, ConsentKeys.sendGuard(send.id()), SendItem.GUARD, t.value(), send, expiresAt);
        guard.fingerprint = send.fingerprint();
        guard.sendSk = sendSk;
        SendItem item = SendItem.of(pk, sendSk, SendItem.SEND, t.value(), send, expiresAt);
        // Low-level items: a caller mixes them with its own writes (a journey's enrolment update) in one transaction.
        TransactWriteItem contactActive = TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                .key(Table.key(pk, Keys.CONTACT_PROFILE)).conditionExpression(CONTACT_ACTIVE)
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":active", AttributeValue.fromS("active")))).build();
        // An expired guard (TTL deletion is lazy) no longer holds the id.
        TransactWriteItem guardPut = TransactWriteItem.builder().put(p -> p.tableName(table.name())
                .item(SendItem.SCHEMA.itemToMap(guard, true))
                .conditionExpression("attribute_not_exists(PK) OR #ttl < :now")
                .expressionAttributeNames(Map.of("#ttl", Table.TTL))
                .expressionAttributeValues(Map.of(":now", Attr.ttl(now)))
                .returnValuesOnConditionCheckFailure("ALL_OLD")).build();
        return List.of(contactActive, guardPut, table.putIfAbsent(SendItem.SCHEMA.itemToMap(item, true)));
    }

    /**
     * Records a send once per id: a replay of the same send answers the stored one, another send under the
     * same id a conflict.
     *
     * @throws StoreException.Contention concurrent reports of the same id kept clashing
     */
    public RecordedSend recordSend(TenantId t, String contactId, Send send, Instant now) {
        String pk = Keys.contact(t, contactId);
        List<TransactWriteItem> tx = recordSendWrites(t, contactId, send, now);
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            try {
                table.transact(tx);
                return RecordedSend.created(send);
            } catch (Table.TransactionFailure c) {
                if (c.conditionFailed(1)) {
                    Map<String, AttributeValue> oldItem = c.oldItem(1);
                    SendItem old = oldItem != null ? SendItem.SCHEMA.mapToItem(oldItem)
                            : sendItems().getItem(r -> r.key(key(pk, ConsentKeys.sendGuard(send.id()))).consistentRead(true));
                    if (old == null) {
                        continue; // expired and deleted in between: try again
                    }
                    if (!send.fingerprint().equals(old.fingerprint)) {
                        return RecordedSend.idConflict();
                    }
                    return RecordedSend.replayed(old.send());
                }
                if (c.conditionFailed(0)) {
                    return RecordedSend.contactMissing();
                }
                if (!c.isConflict() && !c.anyConditionFailed()) {
                    throw c.isThrottled() ? new StoreException.Busy() : c;
                }
                // a concurrent replay of the same id: the next attempt sees its guard
                Backoff.JITTER.pause(attempt);
            }
        }
        throw new StoreException.Contention();
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
