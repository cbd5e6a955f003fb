package dev.crm.surveys.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import java.time.ZoneId;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A survey's own item (docs/data-model.md, "Surveys"): its definition as a document, the zone its
 * responses are counted in, its version, and its place in the tenant's list (GSI1, newest first).
 */
final class SurveyItem {
    static final String ENTITY = "SURVEY";

    /** Built once: a static schema, no reflection at cold start. */
    static final TableSchema<SurveyItem> SCHEMA = StaticTableSchema.builder(SurveyItem.class)
            .newItemSupplier(SurveyItem::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("surveyId").getter(i -> i.surveyId).setter((i, v) -> i.surveyId = v))
            .addAttribute(EnhancedType.mapOf(String.class, Object.class), a -> a.name("definition")
                    .getter(i -> i.definition).setter((i, v) -> i.definition = v).attributeConverter(Converters.DOCUMENT))
            .addAttribute(String.class, a -> a.name("timeZone").getter(i -> i.timeZone).setter((i, v) -> i.timeZone = v))
            .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
            .addAttribute(String.class, a -> a.name(Table.GSI1PK).getter(i -> i.gsi1pk).setter((i, v) -> i.gsi1pk = v)
                    .tags(secondaryPartitionKey(Table.GSI1)))
            .addAttribute(String.class, a -> a.name(Table.GSI1SK).getter(i -> i.gsi1sk).setter((i, v) -> i.gsi1sk = v)
                    .tags(secondarySortKey(Table.GSI1)))
            .build();

    String pk;
    String sk;
    String entity;
    String tenantId;
    String surveyId;
    Map<String, Object> definition;
    String timeZone;
    Long version;
    String gsi1pk;
    String gsi1sk;

    static SurveyItem of(StoredSurvey stored) {
        Survey s = stored.survey();
        SurveyItem i = new SurveyItem();
        i.pk = SurveyTableKeys.survey(s.tenantId(), s.id());
        i.sk = Keys.ITEM;
        i.entity = ENTITY;
        i.tenantId = s.tenantId().value();
        i.surveyId = s.id();
        i.definition = s.toJson();
        i.timeZone = stored.zone().getId();
        i.version = s.version();
        i.gsi1pk = SurveyTableKeys.surveysIndex(s.tenantId());
        i.gsi1sk = SurveyTableKeys.surveysIndexSort(s.createdAt(), s.id());
        return i;
    }

    StoredSurvey toStored() {
        return new StoredSurvey(Survey.fromStored(definition), ZoneId.of(timeZone));
    }
}
