package dev.crm.surveys.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/** In the contact's partition: the contact's one response to a survey, and where that response is. */
final class RespondentItem {
    static final String ENTITY = "SURVEY_RESPONDENT";

    /** Built once: a static schema, no reflection at cold start. */
    static final TableSchema<RespondentItem> SCHEMA = StaticTableSchema.builder(RespondentItem.class)
            .newItemSupplier(RespondentItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("surveyId").getter(i -> i.surveyId).setter((i, v) -> i.surveyId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(String.class, a -> a.name("responseId").getter(i -> i.responseId).setter((i, v) -> i.responseId = v))
            .addAttribute(String.class, a -> a.name("responsePk").getter(i -> i.responsePk).setter((i, v) -> i.responsePk = v))
            .addAttribute(String.class, a -> a.name("responseSk").getter(i -> i.responseSk).setter((i, v) -> i.responseSk = v))
            .addAttribute(Instant.class, a -> a.name("submittedAt").getter(i -> i.submittedAt).setter((i, v) -> i.submittedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .build();

    String pk;
    String sk;
    String entity;
    String tenantId;
    String surveyId;
    String contactId;
    String responseId;
    String responsePk;
    String responseSk;
    Instant submittedAt;

    static RespondentItem of(TenantId t, String surveyId, RecordedResponse r, String responsePk, String responseSk) {
        RespondentItem i = new RespondentItem();
        i.pk = Keys.contact(t, r.contactId());
        i.sk = SurveyTableKeys.respondent(surveyId);
        i.entity = ENTITY;
        i.tenantId = t.value();
        i.surveyId = surveyId;
        i.contactId = r.contactId();
        i.responseId = r.id();
        i.responsePk = responsePk;
        i.responseSk = responseSk;
        i.submittedAt = r.submittedAt();
        return i;
    }

    Respondent toRespondent() {
        return new Respondent(contactId, responseId, submittedAt);
    }
}
