package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Table;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * Only the key of an item: for items whose existence is all this function asks about (the contact
 * profile a transaction checks, an erasure's suppression) and which other functions own and map.
 */
final class ItemKey {
    String pk;
    String sk;

    static final TableSchema<ItemKey> SCHEMA = StaticTableSchema.builder(ItemKey.class)
            .newItemSupplier(ItemKey::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .build();
}
