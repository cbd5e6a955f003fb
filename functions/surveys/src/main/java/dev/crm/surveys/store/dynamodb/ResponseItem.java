package dev.crm.surveys.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RecordedResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * One stored response in its shard's partition: the counted answers, and apart from them what an
 * erasure removes ({@code contactId}, and {@code personal}: free texts and the token nonce).
 */
final class ResponseItem {
    static final String ENTITY = "SURVEY_RESPONSE";

    /** Built once: a static schema, no reflection at cold start. */
    static final TableSchema<ResponseItem> SCHEMA = StaticTableSchema.builder(ResponseItem.class)
            .newItemSupplier(ResponseItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("surveyId").getter(i -> i.surveyId).setter((i, v) -> i.surveyId = v))
            .addAttribute(String.class, a -> a.name("responseId").getter(i -> i.responseId).setter((i, v) -> i.responseId = v))
            .addAttribute(Instant.class, a -> a.name("submittedAt").getter(i -> i.submittedAt).setter((i, v) -> i.submittedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(String.class, a -> a.name("day").getter(i -> i.day).setter((i, v) -> i.day = v))
            .addAttribute(Integer.class, a -> a.name("shard").getter(i -> i.shard).setter((i, v) -> i.shard = v))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("answers")
                    .getter(i -> i.answers).setter((i, v) -> i.answers = v).attributeConverter(Converters.DOCUMENT))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("personal")
                    .getter(i -> i.personal).setter((i, v) -> i.personal = v).attributeConverter(Converters.DOCUMENT))
            .build();

    String pk;
    String sk;
    String entity;
    String tenantId;
    String surveyId;
    String responseId;
    Instant submittedAt;
    String day;
    Integer shard;
    Map<String, Object> answers;
    String contactId;
    Map<String, Object> personal;

    static ResponseItem of(TenantId t, RecordedResponse r, String pk, String sk, LocalDate day, int shard) {
        ResponseItem i = new ResponseItem();
        i.pk = pk;
        i.sk = sk;
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.surveyId = r.surveyId();
        i.responseId = r.id();
        i.submittedAt = r.submittedAt();
        i.day = SurveyTableKeys.day(day);
        i.shard = shard;
        i.answers = r.counted();
        // its own attribute, so an erasure can REMOVE it (and personal) and keep the counted answers
        i.contactId = r.contactId();
        Map<String, Object> personal = new LinkedHashMap<>();
        if (!r.texts().isEmpty()) {
            personal.put("texts", r.texts());
        }
        if (r.tokenNonce() != null) {
            personal.put("tokenNonce", r.tokenNonce());
        }
        i.personal = personal.isEmpty() ? null : personal;
        return i;
    }

    RecordedResponse toResponse() {
        Map<String, String> texts = new LinkedHashMap<>();
        String nonce = null;
        if (personal != null) {
            if (personal.get("texts") instanceof Map<?, ?> m) {
                m.forEach((q, text) -> texts.put(String.valueOf(q), String.valueOf(text)));
            }
            nonce = personal.get("tokenNonce") instanceof String n ? n : null;
        }
        return new RecordedResponse(responseId, surveyId, submittedAt, contactId, nonce,
                answers == null ? Map.of() : answers, texts);
    }
}
