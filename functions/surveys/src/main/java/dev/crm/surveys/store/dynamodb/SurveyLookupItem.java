package dev.crm.surveys.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.SurveyKeys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** The public id lookup of a survey (system namespace): which tenant the id belongs to. */
final class SurveyLookupItem {
    static final String ENTITY = "SURVEY_LOOKUP";

    /** Built once: a static schema, no reflection at cold start. */
    static final TableSchema<SurveyLookupItem> SCHEMA = StaticTableSchema.builder(SurveyLookupItem.class)
            .newItemSupplier(SurveyLookupItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .build();

    String pk;
    String sk;
    String entity;
    String tenantId;

    static SurveyLookupItem of(String surveyId, TenantId tenant) {
        SurveyLookupItem i = new SurveyLookupItem();
        i.pk = SurveyKeys.surveyMapping(surveyId);
        i.sk = Keys.ITEM;
        i.entity = ENTITY;
        i.tenantId = tenant.value();
        return i;
    }
}
