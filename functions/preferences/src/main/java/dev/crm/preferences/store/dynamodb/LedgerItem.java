package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.consent.Channel;
import dev.crm.shared.consent.ConsentStatus;
import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.preferences.domain.LegalBasis;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A consent-ledger entry ({@code L#{at}#{entryId}}). {@code stateVersion} (the preferences version the
 * write produced) and {@code position} (its place within that write) record the append order, which a
 * replay needs.
 */
final class LedgerItem {
    static final String ENTITY = "CONSENT_LEDGER";

    String pk;
    String sk;
    String entity;
    String tenantId;
    String contactId;
    String entryId;
    Instant at;
    String actor;
    String channel;
    String topic;
    String oldStatus;
    String newStatus;
    String legalBasis;
    String source;
    String wordingVersion;
    String ip;
    String userAgent;
    Long stateVersion;
    Integer position;

    static final TableSchema<LedgerItem> SCHEMA = StaticTableSchema.builder(LedgerItem.class)
            .newItemSupplier(LedgerItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(String.class, a -> a.name("entryId").getter(i -> i.entryId).setter((i, v) -> i.entryId = v))
            .addAttribute(Instant.class, a -> a.name("at").getter(i -> i.at).setter((i, v) -> i.at = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(String.class, a -> a.name("actor").getter(i -> i.actor).setter((i, v) -> i.actor = v))
            .addAttribute(String.class, a -> a.name("channel").getter(i -> i.channel).setter((i, v) -> i.channel = v))
            .addAttribute(String.class, a -> a.name("topic").getter(i -> i.topic).setter((i, v) -> i.topic = v))
            .addAttribute(String.class, a -> a.name("oldStatus").getter(i -> i.oldStatus).setter((i, v) -> i.oldStatus = v))
            .addAttribute(String.class, a -> a.name("newStatus").getter(i -> i.newStatus).setter((i, v) -> i.newStatus = v))
            .addAttribute(String.class, a -> a.name("legalBasis").getter(i -> i.legalBasis)
                    .setter((i, v) -> i.legalBasis = v))
            .addAttribute(String.class, a -> a.name("source").getter(i -> i.source).setter((i, v) -> i.source = v))
            .addAttribute(String.class, a -> a.name("wordingVersion").getter(i -> i.wordingVersion)
                    .setter((i, v) -> i.wordingVersion = v))
            .addAttribute(String.class, a -> a.name("ip").getter(i -> i.ip).setter((i, v) -> i.ip = v))
            .addAttribute(String.class, a -> a.name("userAgent").getter(i -> i.userAgent).setter((i, v) -> i.userAgent = v))
            .addAttribute(Long.class, a -> a.name("stateVersion").getter(i -> i.stateVersion)
                    .setter((i, v) -> i.stateVersion = v))
            .addAttribute(Integer.class, a -> a.name("position").getter(i -> i.position).setter((i, v) -> i.position = v))
            .build();

    static LedgerItem of(TenantId t, LedgerEntry e, long stateVersion, int position) {
        LedgerItem i = new LedgerItem();
        i.pk = Keys.contact(t, e.contactId());
        i.sk = Keys.ledgerEntry(e.at(), e.entryId());
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.contactId = e.contactId();
        i.entryId = e.entryId();
        i.at = e.at();
        i.actor = e.actor();
        i.channel = e.channel().wire();
        i.topic = e.topic();
        i.oldStatus = e.oldStatus() == null ? null : e.oldStatus().wire();
        i.newStatus = e.newStatus() == null ? null : e.newStatus().wire();
        i.legalBasis = e.legalBasis() == null ? null : e.legalBasis().wire();
        i.source = e.source();
        i.wordingVersion = e.wordingVersion();
        i.ip = e.ip();
        i.userAgent = e.userAgent();
        i.stateVersion = stateVersion;
        i.position = position;
        return i;
    }

    LedgerEntry entry() {
        return new LedgerEntry(entryId, contactId, at, actor, Channel.fromWire(channel), topic, status(oldStatus),
                status(newStatus), legalBasis == null ? null : LegalBasis.fromWire(legalBasis), source, wordingVersion, ip,
                userAgent);
    }

    long stateVersion() {
        return stateVersion == null ? 0 : stateVersion;
    }

    int position() {
        return position == null ? 0 : position;
    }

    private static ConsentStatus status(String wire) {
        return wire == null ? null : ConsentStatus.fromWire(wire);
    }
}
