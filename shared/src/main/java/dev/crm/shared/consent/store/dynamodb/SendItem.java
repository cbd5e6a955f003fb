package dev.crm.shared.consent.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.Send;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A recorded send ({@code S#{channel}#{sentAt}#{sendId}}) and its id guard ({@code SG#{sendId}}), which
 * carries the same attributes plus the fingerprint of the send and the send's sort key.
 */
public final class SendItem {
    static final String SEND = "SEND";
    static final String GUARD = "SEND_GUARD";

    String pk;
    String sk;
    String entity;
    String tenantId;
    /** Guards only: what tells a replay of the send from another send under the same id. */
    String fingerprint;
    /** Guards only. */
    String sendSk;
    String sendId;
    String channel;
    String topic;
    Instant sentAt;
    Instant expiresAt;

    static final TableSchema<SendItem> SCHEMA = StaticTableSchema.builder(SendItem.class)
            .newItemSupplier(SendItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("fingerprint").getter(i -> i.fingerprint)
                    .setter((i, v) -> i.fingerprint = v))
            .addAttribute(String.class, a -> a.name("sendSk").getter(i -> i.sendSk).setter((i, v) -> i.sendSk = v))
            .addAttribute(String.class, a -> a.name("sendId").getter(i -> i.sendId).setter((i, v) -> i.sendId = v))
            .addAttribute(String.class, a -> a.name("channel").getter(i -> i.channel).setter((i, v) -> i.channel = v))
            .addAttribute(String.class, a -> a.name("topic").getter(i -> i.topic).setter((i, v) -> i.topic = v))
            .addAttribute(Instant.class, a -> a.name("sentAt").getter(i -> i.sentAt).setter((i, v) -> i.sentAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name(Table.TTL).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v)
                    .attributeConverter(Converters.EPOCH_SECONDS))
            .build();

    static SendItem of(String pk, String sk, String entity, String tenantId, Send send, Instant expiresAt) {
        SendItem i = new SendItem();
        i.pk = pk;
        i.sk = sk;
        i.entity = entity;
        i.tenantId = tenantId;
        i.sendId = send.id();
        i.channel = send.channel().wire();
        i.topic = send.topic();
        i.sentAt = send.at();
        i.expiresAt = expiresAt;
        return i;
    }

    Send send() {
        return new Send(sendId, Channel.fromWire(channel), topic, sentAt);
    }
}
