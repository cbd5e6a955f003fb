package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.analytics.Period;
import dev.crm.shared.tenant.TenantId;

/**
 * The key formats the analytics write ({@code {t}#ANALYTICS}) and the other functions' partitions they
 * read, composed as those functions compose them (docs/data-model.md, "Analytics"): the surveys'
 * {@code SurveyKeys}, the cases' {@code CaseMeasureKeys}. Kept apart from {@link ChurnKeys} so the
 * analytics and the run change independently.
 */
final class AnalyticsKeys {
    static final String CASE_ITEM = "CASE";

    private AnalyticsKeys() {}

    /** The tenant's analytics settings: one item per period's targets. */
    static String analytics(TenantId t) {
        return t.value() + "#ANALYTICS";
    }

    static String targets(Period p) {
        return "TARGETS#" + p;
    }

    /** The surveys function's GSI1 partition of the tenant's surveys. */
    static String surveys(TenantId t) {
        return t.value() + "#SURVEYS";
    }

    /** The surveys function's day counters of one survey shard. */
    static String surveyCounters(TenantId t, String surveyId, int shard) {
        return t.value() + "#SRVC#" + surveyId + "#" + shard;
    }

    /** The cases function's arrival entries. */
    static String caseArrivals(TenantId t) {
        return t.value() + "#CASEARRIVALS";
    }
}
