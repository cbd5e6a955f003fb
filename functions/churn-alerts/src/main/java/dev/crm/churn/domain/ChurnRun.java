package dev.crm.churn.domain;

import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRunner;
import dev.crm.shared.metrics.MetricNames;
import dev.crm.shared.metrics.Metrics;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One retention run for one tenant, as resumable job steps.
 *
 * <p>Step "fit" reads every purchase summary (one item per contact), fits the models (or chooses
 * the fallback rule) and keeps the parameters in the checkpoint. Each "score" step scores one page
 * of summaries, writes each score as its own item, raises alerts with deterministic ids and keeps
 * running tallies in the checkpoint; scoring is deterministic given the parameters, so a replayed
 * page writes the same scores and finds its alerts already raised. A backtest ({@code asOf})
 * rebuilds the summaries from the raw purchases up to that day and writes nothing but its result.
 */
public final class ChurnRun {
    public static final String KIND = "churn_run";
    static final int PAGE = 200;
    static final int FIT_PAGE = 1000;
    /** Checkpoint: where the next score step reads on (the repository's resume point), absent at the start. */
    static final String FROM = "from";
    /** Checkpoint: every customer is scored; the next step finishes the run. */
    static final String ALL_SCORED = "allScored";
    /** Checkpoint of the earlier versions, which read the index shards themselves. */
    static final String EARLIER_SHARD = "shard";
    static final int TOP = 20;
    /** A case breached within this long before the run makes an alert say so (reason recent_sla_breach). */
    public static final java.time.Duration RECENT_BREACH = java.time.Duration.ofDays(30);

    private final ChurnRepository store;
    private final TenantRepository tenants;
    private final Clock clock;

    public ChurnRun(ChurnRepository store, TenantRepository tenants, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** A run whose caller passes the tenant to each {@link #step(Tenant, Job)}. */
    public ChurnRun(ChurnRepository store, Clock clock) {
        this(store, null, clock);
    }

    /** The next step of the job, for its tenant as stored now (its settings may have changed). */
    public JobRunner.Step step(Job job) {
        Tenant tenant = tenants.find(new TenantId(job.tenantId()));
        if (tenant == null) {
            throw new JobRunner.PermanentFailure("the tenant no longer exists");
        }
        return step(tenant, job);
    }

    @SuppressWarnings("unchecked")
    public JobRunner.Step step(Tenant tenant, Job job) {
        TenantId t = tenant.id();
        ChurnSettings settings = ChurnSettings.from(tenant.settings());
        String currency = tenant.settings().defaultCurrency();
        Map<String, Object> cp = job.checkpoint();
        if (cp.containsKey("models") && cp.containsKey(EARLIER_SHARD)) {
            cp = scoringFromTheStart(cp);
        }
        String backtest = (String) job.input().get("asOf");
        if (!cp.containsKey("models")) {
            LocalDate asOf = backtest != null ? LocalDate.parse(backtest) : LocalDate.now(clock.withZone(tenant.settings().zone()));
            List<CustomerSummary> summaries = new ArrayList<>();
            if (backtest != null) {
                Instant end = asOf.plusDays(1).atStartOfDay(tenant.settings().zone()).toInstant();
                for (CustomerHistory h : store.historiesFromPurchases(t, end, tenant.settings().zone(), currency)) {
                    if (h.hasPurchases()) {
                        summaries.add(h.summaryAt(asOf));
                    }
                }
            } else {
                Cursor from = null;
                do {
                    var page = store.histories(t, from, FIT_PAGE, currency);
                    for (CustomerHistory h : page.items()) {
                        CustomerSummary s = h.hasPurchases() ? h.summaryAt(asOf) : null;
                        if (s != null) {
                            summaries.add(s);
                        }
                    }
                    from = page.next();
                } while (from != null);
            }
            ChurnScorer.Models models = ChurnScorer.fit(summaries, settings);
            if (backtest != null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("asOf", asOf.toString());
                result.put("backtest", true);
                result.put("model", models.toJson());
                result.put("scored", 0);
                result.put("alerts", 0);
                // what the models saw: lets a reader check that later purchases were left out
                result.put("customers", summaries.size());
                result.put("repeatPurchaseDays", summaries.stream().mapToLong(CustomerSummary::x).sum());
                return JobRunner.Step.finished(summaries.size(), summaries.size(), result);
            }
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("models", models.toJson());
            next.put("asOf", asOf.toString());
            next.put("scored", 0);
            next.put("alerts", 0);
            next.put("tiers", Map.of("low", 0, "medium", 0, "high", 0));
            next.put("top", List.of());
            return JobRunner.Step.progress(0, summaries.size(), next);
        }

        ChurnScorer.Models models = ChurnScorer.Models.fromJson((Map<String, Object>) cp.get("models"));
        LocalDate asOf = LocalDate.parse((String) cp.get("asOf"));
        long scored = ((Number) cp.get("scored")).longValue();
        long alerts = ((Number) cp.get("alerts")).longValue();
        Map<String, Object> tiers = new LinkedHashMap<>((Map<String, Object>) cp.get("tiers"));
        List<Map<String, Object>> top = new ArrayList<>((List<Map<String, Object>>) cp.get("top"));
        if (Boolean.TRUE.equals(cp.get(ALL_SCORED))) {
            store.recordLatestRun(t, job.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("asOf", asOf.toString());
            result.put("model", models.toJson());
            result.put("scored", scored);
            result.put("alerts", alerts);
            result.put("riskTiers", tiers);
            result.put("topAtRisk", top);
            return JobRunner.Step.finished(scored, models.customers(), result);
        }
        var page = store.histories(t, cp.get(FROM) instanceof String from ? new Cursor(from) : null, PAGE, currency);
        Instant now = clock.instant();
        List<ChurnScore> scores = new ArrayList<>();
        List<Alerting> alerting = new ArrayList<>();
        for (CustomerHistory h : page.items()) {
            if (!h.hasPurchases() || h.summaryAt(asOf) == null) {
                continue;
            }
            ChurnScore s = ChurnScorer.score(h, asOf, models, settings, now, job.id());
            scores.add(s);
            tiers.merge(s.riskTier().wire(), 1L, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
            if (s.riskTier() == RiskTier.HIGH) {
                top.add(topEntry(s));
            }
            if (ChurnScorer.alerts(s, settings)) {
                alerting.add(new Alerting(s, h));
            }
        }
        if (!alerting.isEmpty()) {
            // One batched read of the alerting contacts' cards per step, not one per alert.
            List<String> ids = alerting.stream().map(a -> a.score().contactId()).toList();
            Map<String, Map<String, Object>> cards = store.contactCards(t, ids);
            // the contacts' case links: a query or two per alerting contact, never per scored one
            Map<String, ChurnRepository.CaseSignals> cases = store.caseSignals(t, ids, now.minus(RECENT_BREACH));
            for (Alerting a : alerting) {
                // Counted whether raised now or already open this period: a step replayed after a
                // crash finds its alerts raised and must still count them.
                raise(t, a.score(), a.history(), asOf, now, job.id(), cards.get(a.score().contactId()),
                        cases.getOrDefault(a.score().contactId(), ChurnRepository.CaseSignals.NONE));
                alerts++;
            }
        }
        store.writeScores(t, scores);
        scored += scores.size();
        top.sort(Comparator.comparing((Map<String, Object> m) -> new BigDecimal((String) m.get("valueAtRisk"))).reversed()
                .thenComparing(m -> (String) m.get("contactId")));
        if (top.size() > TOP) {
            top = new ArrayList<>(top.subList(0, TOP));
        }
        Map<String, Object> next = new LinkedHashMap<>(cp);
        if (page.next() == null) {
            next.put(ALL_SCORED, true);
            next.remove(FROM);
        } else {
            next.put(FROM, page.next().value());
        }
        next.put("scored", scored);
        next.put("alerts", alerts);
        next.put("tiers", tiers);
        next.put("top", top);
        return JobRunner.Step.progress(scored, models.customers(), next);
    }

    /**
     * A run checkpointed by an earlier version names a shard, a position this version cannot resume
     * from: it scores again from the beginning with fresh tallies (rewriting a score, or finding an
     * alert raised already, is harmless), so its result is still exact.
     */
    private static Map<String, Object> scoringFromTheStart(Map<String, Object> cp) {
        Map<String, Object> restart = new LinkedHashMap<>(cp);
        restart.remove(EARLIER_SHARD);
        restart.remove(FROM);
        restart.remove(ALL_SCORED);
        restart.put("scored", 0);
        restart.put("alerts", 0);
        restart.put("tiers", Map.of("low", 0, "medium", 0, "high", 0));
        restart.put("top", List.of());
        return restart;
    }

    /** A customer of the step whose score raises an alert. */
    private record Alerting(ChurnScore score, CustomerHistory history) {}

    private static Map<String, Object> topEntry(ChurnScore s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contactId", s.contactId());
        m.put("valueAtRisk", s.valueAtRisk().toPlainString());
        m.put("currency", s.currency());
        m.put("pAlive", s.pAlive());
        m.put("riskTier", s.riskTier().wire());
        return m;
    }

    private void raise(TenantId t, ChurnScore s, CustomerHistory h, LocalDate asOf, Instant now, String runId,
            Map<String, Object> card, ChurnRepository.CaseSignals cases) {
        String period = ChurnAlert.period(asOf);
        List<String> reasons = new ArrayList<>();
        reasons.add("p_alive_below_threshold");
        if (h.complaints() > 0) {
            reasons.add("complaints");
        }
        if (h.latestNps() != null && h.latestNps() <= 6) {
            reasons.add("survey_detractor");
        }
        if (cases.openCases() > 0) {
            reasons.add("open_cases");
        }
        if (cases.recentlyBreached() > 0) {
            reasons.add("recent_sla_breach");
        }
        ChurnAlert alert = new ChurnAlert(ChurnAlert.id(s.contactId(), period), s.contactId(), period,
                ChurnAlert.Status.OPEN, s.pAlive(), s.riskTier().wire(), s.clv(), s.valueAtRisk(), s.currency(), reasons,
                RetentionAction.suggest(store.preferences(t, s.contactId()), now), card, runId, now, null, null, null, null, null,
                cases.openCases());
        // A new alert item is published to the event bus by an EventBridge Pipe on the table stream
        // (template.yaml, ChurnAlertEventsPipe): no event client in this function.
        if (store.createAlert(t, alert)) { // false when already raised this period: nothing to do
            Metrics.count(MetricNames.CHURN_ALERTS_RAISED);
        }
    }
}
