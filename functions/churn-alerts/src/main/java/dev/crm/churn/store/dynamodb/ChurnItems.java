package dev.crm.churn.store.dynamodb;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.shared.store.dynamodb.Converters;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The churn function's items and their static schemas (built once: no reflection at cold start),
 * attribute for attribute as docs/data-model.md ("Churn") describes them.
 */
final class ChurnItems {
    private ChurnItems() {}

    private static final EnhancedType<Map<String, Object>> DOCUMENT = Converters.DOCUMENT.type();

    /** A contact's churn score ({@code A#SCORE}): the score's API view, for the 360° view. */
    static final class Score {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String contactId;
        Map<String, Object> view;

        static Score of(TenantId t, ChurnScore s) {
            Score i = new Score();
            i.pk = Keys.contact(t, s.contactId());
            i.sk = Keys.CHURN_SCORE;
            i.entity = "CHURN_SCORE";
            i.tenantId = t.value();
            i.contactId = s.contactId();
            i.view = s.toJson();
            return i;
        }
    }

    static final StaticTableSchema<Score> SCORE = StaticTableSchema.builder(Score.class)
            .newItemSupplier(Score::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(DOCUMENT, a -> a.name("view").getter(i -> i.view).setter((i, v) -> i.view = v)
                    .attributeConverter(Converters.DOCUMENT))
            .build();

    /** A churn alert ({@code AL#{yyyymm}} in the contact's partition), listed by status on GSI1. */
    static final class Alert {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String alertId;
        String contactId;
        String period;
        String status;
        Double pAlive;
        String riskTier;
        BigDecimal clv;
        BigDecimal valueAtRisk;
        String currency;
        List<String> reasons;
        Map<String, Object> suggestedAction;
        Map<String, Object> contact;
        String runId;
        Instant createdAt;
        Instant acknowledgedAt;
        String acknowledgedBy;
        Instant resolvedAt;
        String resolvedBy;
        String resolution;
        Integer openCases;
        String gsi1pk;
        String gsi1sk;

        static Alert key(TenantId t, String contactId, String period) {
            Alert i = new Alert();
            i.pk = Keys.contact(t, contactId);
            i.sk = ChurnKeys.alert(period);
            return i;
        }

        static Alert of(TenantId t, ChurnAlert a) {
            Alert i = key(t, a.contactId(), a.period());
            i.entity = "CHURN_ALERT";
            i.tenantId = t.value();
            i.alertId = a.id();
            i.contactId = a.contactId();
            i.period = a.period();
            i.status = a.status().wire();
            i.pAlive = a.pAlive();
            i.riskTier = a.riskTier();
            i.clv = a.clv();
            i.valueAtRisk = a.valueAtRisk();
            i.currency = a.currency();
            i.reasons = a.reasons();
            i.suggestedAction = a.suggestedAction();
            i.contact = a.contact() == null ? Map.of() : a.contact();
            i.runId = a.runId();
            i.createdAt = a.createdAt();
            i.acknowledgedAt = a.acknowledgedAt();
            i.acknowledgedBy = a.acknowledgedBy();
            i.resolvedAt = a.resolvedAt();
            i.resolvedBy = a.resolvedBy();
            i.resolution = a.resolution();
            i.openCases = a.openCases();
            i.gsi1pk = ChurnKeys.alertsIndex(t, a.status());
            i.gsi1sk = ChurnKeys.alertsIndexSort(a.valueAtRisk(), a.id());
            return i;
        }

        ChurnAlert toAlert() {
            return new ChurnAlert(alertId, contactId, period, ChurnAlert.Status.valueOf(status.toUpperCase(Locale.ROOT)),
                    pAlive, riskTier, clv, valueAtRisk, currency, reasons == null ? List.of() : reasons,
                    suggestedAction == null ? new LinkedHashMap<>() : suggestedAction,
                    contact == null ? new LinkedHashMap<>() : contact, runId, createdAt, acknowledgedAt, acknowledgedBy,
                    resolvedAt, resolvedBy, resolution, openCases == null ? 0 : openCases);
        }
    }

    static final StaticTableSchema<Alert> ALERT = StaticTableSchema.builder(Alert.class)
            .newItemSupplier(Alert::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("alertId").getter(i -> i.alertId).setter((i, v) -> i.alertId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(String.class, a -> a.name("period").getter(i -> i.period).setter((i, v) -> i.period = v))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(Double.class, a -> a.name("pAlive").getter(i -> i.pAlive).setter((i, v) -> i.pAlive = v))
            .addAttribute(String.class, a -> a.name("riskTier").getter(i -> i.riskTier).setter((i, v) -> i.riskTier = v))
            .addAttribute(BigDecimal.class, a -> a.name("clv").getter(i -> i.clv).setter((i, v) -> i.clv = v))
            .addAttribute(BigDecimal.class, a -> a.name("valueAtRisk").getter(i -> i.valueAtRisk).setter((i, v) -> i.valueAtRisk = v))
            .addAttribute(String.class, a -> a.name("currency").getter(i -> i.currency).setter((i, v) -> i.currency = v))
            .addAttribute(Integer.class, a -> a.name("openCases").getter(i -> i.openCases).setter((i, v) -> i.openCases = v))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("reasons").getter(i -> i.reasons).setter((i, v) -> i.reasons = v))
            .addAttribute(DOCUMENT, a -> a.name("suggestedAction").getter(i -> i.suggestedAction)
                    .setter((i, v) -> i.suggestedAction = v).attributeConverter(Converters.DOCUMENT))
            .addAttribute(DOCUMENT, a -> a.name("contact").getter(i -> i.contact).setter((i, v) -> i.contact = v)
                    .attributeConverter(Converters.DOCUMENT))
            .addAttribute(String.class, a -> a.name("runId").getter(i -> i.runId).setter((i, v) -> i.runId = v))
            .addAttribute(Instant.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name("acknowledgedAt").getter(i -> i.acknowledgedAt)
                    .setter((i, v) -> i.acknowledgedAt = v).attributeConverter(Converters.INSTANT))
            .addAttribute(String.class, a -> a.name("acknowledgedBy").getter(i -> i.acknowledgedBy).setter((i, v) -> i.acknowledgedBy = v))
            .addAttribute(Instant.class, a -> a.name("resolvedAt").getter(i -> i.resolvedAt).setter((i, v) -> i.resolvedAt = v)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(String.class, a -> a.name("resolvedBy").getter(i -> i.resolvedBy).setter((i, v) -> i.resolvedBy = v))
            .addAttribute(String.class, a -> a.name("resolution").getter(i -> i.resolution).setter((i, v) -> i.resolution = v))
            .addAttribute(String.class, a -> a.name(Table.GSI1PK).getter(i -> i.gsi1pk).setter((i, v) -> i.gsi1pk = v)
                    .tags(secondaryPartitionKey(Table.GSI1)))
            .addAttribute(String.class, a -> a.name(Table.GSI1SK).getter(i -> i.gsi1sk).setter((i, v) -> i.gsi1sk = v)
                    .tags(secondarySortKey(Table.GSI1)))
            .build();

    /** The tenant's latest finished run ({@code {t}#CHURN / LATEST_RUN}). */
    static final class LatestRun {
        String pk;
        String sk;
        String entity;
        String tenantId;
        String runId;

        static LatestRun key(TenantId t) {
            LatestRun i = new LatestRun();
            i.pk = ChurnKeys.churnState(t);
            i.sk = ChurnKeys.LATEST_RUN;
            return i;
        }
    }

    static final StaticTableSchema<LatestRun> LATEST_RUN = StaticTableSchema.builder(LatestRun.class)
            .newItemSupplier(LatestRun::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(Table.ENTITY).getter(i -> i.entity).setter((i, v) -> i.entity = v))
            .addAttribute(String.class, a -> a.name("tenantId").getter(i -> i.tenantId).setter((i, v) -> i.tenantId = v))
            .addAttribute(String.class, a -> a.name("runId").getter(i -> i.runId).setter((i, v) -> i.runId = v))
            .build();

    /** The preferences function's item ({@code A#PREFS}), of which the run reads the API view only. */
    static final class PreferencesView {
        String pk;
        String sk;
        Map<String, Object> view;
    }

    static final StaticTableSchema<PreferencesView> PREFERENCES_VIEW = StaticTableSchema.builder(PreferencesView.class)
            .newItemSupplier(PreferencesView::new)
            .addAttribute(String.class, a -> a.name(Table.PK).getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(Table.SK).getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(DOCUMENT, a -> a.name("view").getter(i -> i.view).setter((i, v) -> i.view = v)
                    .attributeConverter(Converters.DOCUMENT))
            .build();
}
