package dev.crm.contacts.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.contacts.domain.Segment;
import dev.crm.shared.json.Json;
import dev.crm.shared.segment.SegmentRules;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** A segment item in the tenant's segments partition: the rule is stored as its JSON text and parsed back on read. */
final class SegmentItem {
    static final TableSchema<SegmentItem> SCHEMA = StaticTableSchema.builder(SegmentItem.class)
            .newItemSupplier(SegmentItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(r -> r.pk).setter((r, v) -> r.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(r -> r.sk).setter((r, v) -> r.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(r -> r.entity).setter((r, v) -> r.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(r -> r.tenantId).setter((r, v) -> r.tenantId = v))
            .addAttribute(String.class, a -> a.name("segmentId").getter(r -> r.segmentId).setter((r, v) -> r.segmentId = v))
            .addAttribute(String.class, a -> a.name("name").getter(r -> r.name).setter((r, v) -> r.name = v))
            .addAttribute(String.class, a -> a.name("description").getter(r -> r.description).setter((r, v) -> r.description = v))
            .addAttribute(String.class, a -> a.name("rule").getter(r -> r.rule).setter((r, v) -> r.rule = v))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(r -> r.createdAt).setter((r, v) -> r.createdAt = v)
                    .attributeConverter(Converters.INSTANT))
            .build();

    private String pk;
    private String sk;
    private String entity;
    private String tenantId;
    private String segmentId;
    private String name;
    private String description;
    private String rule;
    private Instant createdAt;

    static SegmentItem of(TenantId t, Segment s) {
        SegmentItem i = new SegmentItem();
        i.pk = Keys.segments(t);
        i.sk = s.id();
        i.entity = "SEGMENT";
        i.tenantId = t.value();
        i.segmentId = s.id();
        i.name = s.name();
        i.description = s.description();
        i.rule = Json.write(s.rule().toJson());
        i.createdAt = s.createdAt();
        return i;
    }

    Segment toSegment() {
        return new Segment(segmentId, name, description, SegmentRules.parseStored(Json.parse(rule)), createdAt);
    }
}
