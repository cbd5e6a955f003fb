package dev.crm.churn.store.dynamodb;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;

/**
 * The churn items' key formats (docs/data-model.md, "Churn"), beside the shared ones in {@link Keys}
 * (the contact's partition, the summary and purchase index shards).
 */
final class ChurnKeys {
    /** Value-at-risk sorts descending in the alert index by subtracting from this (cents). */
    static final long SORT_CEILING = 999_999_999_999L;
    static final String LATEST_RUN = "LATEST_RUN";

    private ChurnKeys() {}

    /** An alert's sort key in its contact's partition: one per month. */
    static String alert(String period) {
        return "AL#" + period;
    }

    /** The tenant's churn state (the latest run). */
    static String churnState(TenantId t) {
        return t.value() + "#CHURN";
    }

    /** The partition of one run's predictions. */
    static String runPredictions(TenantId t, String runId) {
        return t.value() + "#CHURN_RUN#" + runId;
    }

    /** A prediction's sort key in its run's partition: contact id order. */
    static String prediction(String contactId) {
        return "P#" + contactId;
    }

    /** GSI1: the tenant's alerts of one status. */
    static String alertsIndex(TenantId t, ChurnAlert.Status status) {
        return t.value() + "#ALERTS#" + status.wire();
    }

    /** GSI1 sort key: the largest value at risk first, then the id for a stable order. */
    static String alertsIndexSort(BigDecimal valueAtRisk, String alertId) {
        long cents = valueAtRisk.movePointRight(2).longValue();
        return String.format("%012d", Math.max(0, SORT_CEILING - Math.min(cents, SORT_CEILING))) + "#" + alertId;
    }
}
