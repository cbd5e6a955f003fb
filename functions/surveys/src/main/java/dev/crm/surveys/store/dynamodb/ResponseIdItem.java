package dev.crm.surveys.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** Guards a response id in its shard's partition, and says where the response is ({@code responseSk}). */
final class ResponseIdItem {
    static final String ENTITY = "SURVEY_RESPONSE_ID";

    /** Built once: a static schema, no reflection at cold start. */
    static final TableSchema<ResponseIdItem> SCHEMA = StaticTableSchema.builder(ResponseIdItem.class)
            .newItemSupplier(ResponseIdItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("responseSk").getter(i -> i.responseSk).setter((i, v) -> i.responseSk = v))
            .build();

    String pk;
    String sk;
    String entity;
    String tenantId;
    String responseSk;

    static ResponseIdItem of(TenantId t, String pk, String responseId, String responseSk) {
        ResponseIdItem i = new ResponseIdItem();
        i.pk = pk;
        i.sk = SurveyTableKeys.responseId(responseId);
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.responseSk = responseSk;
        return i;
    }
}
