package dev.crm.preferences.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.preferences.domain.Topic;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** A topic of the tenant ({@code {t}#TOPICS} / {@code {topicKey}}). */
final class TopicItem {
    static final String ENTITY = "TOPIC";

    String pk;
    String sk;
    String entity;
    String tenantId;
    String topicKey;
    String name;
    String description;
    Instant createdAt;

    static final TableSchema<TopicItem> SCHEMA = StaticTableSchema.builder(TopicItem.class)
            .newItemSupplier(TopicItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("topicKey").getter(i -> i.topicKey).setter((i, v) -> i.topicKey = v))
            .addAttribute(String.class, a -> a.name("name").getter(i -> i.name).setter((i, v) -> i.name = v))
            .addAttribute(String.class, a -> a.name("description").getter(i -> i.description)
                    .setter((i, v) -> i.description = v))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v)
                    .attributeConverter(Converters.INSTANT))
            .build();

    static TopicItem of(TenantId t, Topic topic) {
        TopicItem i = new TopicItem();
        i.pk = PreferenceKeys.topics(t);
        i.sk = topic.key();
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.topicKey = topic.key();
        i.name = topic.name();
        i.description = topic.description();
        i.createdAt = topic.createdAt();
        return i;
    }

    Topic topic() {
        return new Topic(topicKey, name, description, createdAt);
    }
}
