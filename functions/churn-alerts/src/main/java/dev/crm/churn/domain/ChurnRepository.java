package dev.crm.churn.domain;

import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** What the retention run, the alerts and the risk summary read and write. */
public interface ChurnRepository {

    /**
     * One page of the tenant's customers (one purchase summary each), read in segments a run can
     * resume: a page never spans two segments, and its {@code next} is where the following page
     * starts (the next segment's beginning after a segment's last page), null after the last page of
     * the last segment. Reading from {@code null} starts at the beginning.
     *
     * @param defaultCurrency the currency of a summary that names none
     */
    Slice<CustomerHistory> histories(TenantId t, Cursor from, int limit, String defaultCurrency);

    /**
     * Every customer, as paging through {@link #histories} from the beginning returns them (the same
     * list, in the same order): what a run's fit step reads whole. An adapter may read its segments side
     * by side.
     */
    default List<CustomerHistory> allHistories(TenantId t, int limit, String defaultCurrency) {
        List<CustomerHistory> out = new java.util.ArrayList<>();
        Cursor from = null;
        do {
            Slice<CustomerHistory> page = histories(t, from, limit, defaultCurrency);
            out.addAll(page.items());
            from = page.next();
        } while (from != null);
        return out;
    }

    /**
     * Summaries rebuilt from the raw purchase touch points before {@code end} (a backtest), with
     * days in {@code zone} and spend in {@code currency}, in contact id order.
     */
    List<CustomerHistory> historiesFromPurchases(TenantId t, Instant end, ZoneId zone, String currency);

    /**
     * Every raw purchase touch point before {@code end}, per contact in contact id order, with days in
     * {@code zone} and amounts in {@code currency} (null for another currency): what the forecast fits.
     */
    List<ContactPurchases> purchases(TenantId t, Instant end, ZoneId zone, String currency);

    /** One contact's raw purchases (in the order read). */
    record ContactPurchases(String contactId, List<dev.crm.shared.contact.PurchaseSummary.Purchase> purchases) {}

    /**
     * The run's predictions, one record each under the run (batch writes; a rewrite of the same contact
     * replaces it, so a replayed step is harmless), removed by the table's TTL at {@code expiresAt}.
     */
    void writePredictions(TenantId t, String runId, Instant expiresAt, List<ChurnPrediction> predictions);

    /** One page of the run's predictions in contact id order. */
    Slice<ChurnPrediction> predictions(TenantId t, String runId, Cursor from, int limit);

    /** The external ids of the contacts that are active and have one; the others are left out. */
    Map<String, String> externalIds(TenantId t, List<String> contactIds);

    /**
     * Each score as its own record of the contact (never the contact record); replaces earlier ones.
     * Only active contacts keep a score: one erased, anonymised or being erased while the run scored
     * it is left without one.
     */
    void writeScores(TenantId t, List<ChurnScore> scores);

    /**
     * Raises the alert if the contact is still active (an erasure that started after the card was read
     * must not get the contact's name back).
     *
     * @return false when the alert exists already (a rerun: the stored one is left as it is) or the
     *         contact is no longer active: nothing is written
     */
    boolean createAlert(TenantId t, ChurnAlert alert);

    /** @return the contact's alert of the period ({@code yyyymm}), or null */
    ChurnAlert alert(TenantId t, String contactId, String period);

    /**
     * Moves an alert to {@code to} if it is still in {@code from}, recording who did it and when
     * (and the resolution, when given).
     *
     * @return the alert after the change, or null when it was not in {@code from} (or is gone)
     */
    ChurnAlert transition(TenantId t, ChurnAlert alert, ChurnAlert.Status from, ChurnAlert.Status to, String by,
            Instant at, String resolution);

    /** The tenant's alerts in one status, largest value at risk first (then by id). */
    Slice<ChurnAlert> alerts(TenantId t, ChurnAlert.Status status, int limit, Cursor from);

    /** The contact's preferences as the API shows them (for the retention action), or null. */
    Map<String, Object> preferences(TenantId t, String contactId);

    /**
     * {@link #preferences(TenantId, String)} of many contacts at once (a run's alerting contacts), by
     * contact id; a contact without preferences is left out.
     */
    default Map<String, Map<String, Object>> preferences(TenantId t, List<String> contactIds) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (String id : contactIds) {
            Map<String, Object> p = preferences(t, id);
            if (p != null) {
                out.put(id, p);
            }
        }
        return out;
    }

    /**
     * Display fields (firstName, lastName, email, company) of the contacts that are active, by
     * contact id; erased, anonymised and unknown contacts are left out.
     */
    Map<String, Map<String, Object>> contactCards(TenantId t, List<String> contactIds);

    /**
     * What the contacts' service cases say (their links in the contact's partition, docs/data-model.md
     * "Cases"): how many are unresolved, and how many breached an SLA at or after {@code breachedSince}.
     * A contact without cases maps to {@link CaseSignals#NONE} (or is left out).
     */
    Map<String, CaseSignals> caseSignals(TenantId t, List<String> contactIds, Instant breachedSince);

    /** A contact's service cases as a churn signal. */
    record CaseSignals(int openCases, int recentlyBreached) {
        public static final CaseSignals NONE = new CaseSignals(0, 0);
    }

    void recordLatestRun(TenantId t, String runId);

    /** @return the id of the tenant's latest finished run, or null */
    String latestRun(TenantId t);
}
