package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** The preferences item ({@code A#PREFS}); {@code view} is the API representation the 360° view reads as it is. */
final class PreferencesItem {
    static final String ENTITY = "PREFERENCES";

    String pk;
    String sk;
    String entity;
    String tenantId;
    String contactId;
    Long version;
    Instant updatedAt;
    Map<String, Object> view;

    static final TableSchema<PreferencesItem> SCHEMA = StaticTableSchema.builder(PreferencesItem.class)
            .newItemSupplier(PreferencesItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
            .addAttribute(Instant.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("view").getter(i -> i.view)
                    .setter((i, v) -> i.view = v).attributeConverter(Converters.DOCUMENT))
            .build();
}
