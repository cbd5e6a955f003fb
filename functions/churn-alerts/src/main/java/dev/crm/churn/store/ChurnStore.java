package dev.crm.churn.store;

import dev.crm.churn.domain.ChurnAlert;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** What the retention job reads and writes. */
public interface ChurnStore {
    record Page<T>(List<T> items, Map<String, Object> next) {}

    /** One page of the tenant's purchase summaries (one item per contact) from one index shard. */
    Page<CustomerHistory> histories(TenantId t, int shard, Map<String, Object> from, int limit, String defaultCurrency);

    /**
     * Summaries rebuilt from the raw purchase touch points before {@code end} (a backtest), with
     * days in {@code zone} and spend in {@code currency}.
     */
    List<CustomerHistory> historiesFromPurchases(TenantId t, Instant end, ZoneId zone, String currency);

    /** Each score as its own item in the contact's collection (never the contact record). */
    void writeScores(TenantId t, List<ChurnScore> scores);

    /** @return false when the alert exists already (a rerun) */
    boolean createAlert(TenantId t, ChurnAlert alert);

    ChurnAlert alert(TenantId t, String contactId, String period);

    /**
     * Moves an alert to {@code to} if it is still in {@code from}.
     *
     * @return the alert after the change, or null when it was not in {@code from}
     */
    ChurnAlert transition(TenantId t, ChurnAlert alert, ChurnAlert.Status from, ChurnAlert.Status to, String by,
            Instant at, String resolution);

    Page<ChurnAlert> alerts(TenantId t, ChurnAlert.Status status, int limit, Map<String, Object> from);

    /** The preferences' API view of a contact (for the retention action), or null. */
    Map<String, Object> preferences(TenantId t, String contactId);

    /** Display fields of the contacts (name, email) for alerts and the dashboard. */
    Map<String, Map<String, Object>> contactCards(TenantId t, List<String> contactIds);

    void recordLatestRun(TenantId t, String runId);

    String latestRun(TenantId t);
}
