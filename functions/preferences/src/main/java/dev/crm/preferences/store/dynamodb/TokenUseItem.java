package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** The used-marker of a single-use token ({@code TU#{nonce}}), kept until the token expires anyway. */
final class TokenUseItem {
    static final String ENTITY = "TOKEN_USE";

    String pk;
    String sk;
    String entity;
    String tenantId;
    Instant usedAt;
    Instant expiresAt;

    static final TableSchema<TokenUseItem> SCHEMA = StaticTableSchema.builder(TokenUseItem.class)
            .newItemSupplier(TokenUseItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(Instant.class, a -> a.name("usedAt").getter(i -> i.usedAt).setter((i, v) -> i.usedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name(Table.TTL).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v)
                    .attributeConverter(Converters.EPOCH_SECONDS))
            .build();
}
