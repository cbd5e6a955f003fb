package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.preferences.domain.LedgerEntry;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** A consent change on the contact's timeline, beside interactions and survey responses (written only). */
final class TimelineItem {
    static final String ENTITY = "TIMELINE";
    static final String KIND = "consent_change";

    String pk;
    String sk;
    String entity;
    String tenantId;
    String kind;
    String entryId;
    Instant occurredAt;
    Instant recordedAt;
    Map<String, Object> data;

    static final TableSchema<TimelineItem> SCHEMA = StaticTableSchema.builder(TimelineItem.class)
            .newItemSupplier(TimelineItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("kind").getter(i -> i.kind).setter((i, v) -> i.kind = v))
            .addAttribute(String.class, a -> a.name("entryId").getter(i -> i.entryId).setter((i, v) -> i.entryId = v))
            .addAttribute(Instant.class, a -> a.name("occurredAt").getter(i -> i.occurredAt)
                    .setter((i, v) -> i.occurredAt = v).attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name("recordedAt").getter(i -> i.recordedAt)
                    .setter((i, v) -> i.recordedAt = v).attributeConverter(Converters.INSTANT))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("data").getter(i -> i.data)
                    .setter((i, v) -> i.data = v).attributeConverter(Converters.DOCUMENT))
            .build();

    static TimelineItem of(TenantId t, LedgerEntry e, Instant recordedAt) {
        TimelineItem i = new TimelineItem();
        i.pk = Keys.contact(t, e.contactId());
        i.sk = Keys.timeline(e.at(), KIND, e.entryId());
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.kind = KIND;
        i.entryId = e.entryId();
        i.occurredAt = e.at();
        i.recordedAt = recordedAt;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", e.channel().wire());
        data.put("topic", e.topic());
        data.put("oldStatus", e.oldStatus() == null ? null : e.oldStatus().wire());
        data.put("newStatus", e.newStatus() == null ? null : e.newStatus().wire());
        data.put("source", e.source());
        data.put("legalBasis", e.legalBasis() == null ? null : e.legalBasis().wire());
        i.data = data;
        return i;
    }
}
