package dev.crm.churn.domain;

import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.ForecastAccuracy;
import dev.crm.churn.statistics.PurchaseForecaster;
import dev.crm.churn.statistics.PurchaseHistory;
import dev.crm.shared.contact.PurchaseSummary;
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
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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
    static final int PAGE = 1000;
    static final int FIT_PAGE = 1000;
    /** Checkpoint: where the next score step reads on (the repository's resume point), absent at the start. */
    static final String FROM = "from";
    /** Checkpoint: every customer is scored; the next step finishes the run. */
    static final String ALL_SCORED = "allScored";
    /** Checkpoint of the earlier versions, which read the index shards themselves. */
    static final String EARLIER_SHARD = "shard";
    static final int TOP = 20;
    /** Checkpoint: the sum of the expected purchases scored so far (the run reports it). */
    static final String EXPECTED = "expectedPurchases";
    /** Checkpoint: the tenant's RFM breakpoints at asOf. */
    static final String RFM = "rfm";
    /** How long a run's predictions are kept (the table's TTL removes them). */
    public static final java.time.Duration PREDICTIONS_KEPT = java.time.Duration.ofDays(90);
    /** Checkpoint: the forecast's accuracy figures, reported when the run finishes. */
    static final String ACCURACY = "accuracy";
    /** A case breached within this long before the run makes an alert say so (reason recent_sla_breach). */
    public static final java.time.Duration RECENT_BREACH = java.time.Duration.ofDays(30);

    /** A score step's writes go out in parts of this many customers (scores, predictions: 4 batch writes each). */
    static final int WRITE_PART = 100;
    /** A score step's alerts are raised in parts of this many. */
    static final int ALERT_PART = 10;

    private final ChurnRepository store;
    private final TenantRepository tenants;
    private final Clock clock;
    private final ExecutorService workers;
    private final int pageSize;

    public ChurnRun(ChurnRepository store, TenantRepository tenants, Clock clock) {
        this(store, tenants, clock, null);
    }

    /** @param workers threads that write a step's parts side by side (the worker's), or null: one after the other */
    public ChurnRun(ChurnRepository store, TenantRepository tenants, Clock clock, ExecutorService workers) {
        this(store, tenants, clock, workers, PAGE);
    }

    /** @param page customers per score step (tests use smaller pages to have several steps per segment) */
    ChurnRun(ChurnRepository store, TenantRepository tenants, Clock clock, ExecutorService workers, int page) {
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
        this.workers = workers;
        this.pageSize = page;
    }

    /** A run whose caller passes the tenant to each {@link #step(Tenant, Job)}. */
    public ChurnRun(ChurnRepository store, Clock clock) {
        this(store, null, clock);
    }

    /** As {@link #ChurnRun(ChurnRepository, Clock)}, a step's parts written side by side on {@code workers}. */
    public ChurnRun(ChurnRepository store, Clock clock, ExecutorService workers) {
        this(store, null, clock, workers);
    }

    ChurnRun(ChurnRepository store, Clock clock, ExecutorService workers, int page) {
        this(store, null, clock, workers, page);
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
            ZoneId zone = tenant.settings().zone();
            LocalDate asOf = backtest != null ? LocalDate.parse(backtest) : LocalDate.now(clock.withZone(zone));
            LocalDate until = job.input().get("evaluateUntil") instanceof String u ? LocalDate.parse(u) : null;
            // Purchases after asOf are read only to evaluate a backtest; the forecast cuts them off first.
            Instant end = (until != null ? until : asOf).plusDays(1).atStartOfDay(zone).toInstant();
            List<ChurnRepository.ContactPurchases> raw = store.purchases(t, end, zone, currency);
            List<PurchaseHistory> histories = new ArrayList<>(raw.size());
            List<CustomerSummary> summaries = new ArrayList<>();
            List<RfmQuintiles.Values> rfm = new ArrayList<>();
            List<CustomerHistory> seen = new ArrayList<>();
            for (ChurnRepository.ContactPurchases c : raw) {
                histories.add(history(c.purchases(), asOf));
                List<PurchaseSummary.Purchase> upToAsOf = c.purchases().stream().filter(p -> !p.day().isAfter(asOf)).toList();
                if (!upToAsOf.isEmpty()) {
                    CustomerHistory h = new CustomerHistory(c.contactId(), PurchaseSummary.recompute(currency, upToAsOf), 0, null);
                    seen.add(h);
                    summaries.add(h.summaryAt(asOf));
                }
            }
            double horizon = until != null ? ChronoUnit.DAYS.between(asOf, until) / 7.0 : settings.horizonWeeks();
            ChurnScorer.Fitted fitted;
            if (backtest != null) {
                fitted = ChurnScorer.forecast(histories, 0.0, horizon, summaries, settings);
            } else {
                // A run as of today scores the summaries; the raw purchases feed the forecast only when
                // they account for every summary (else BG/NBD alone on the summaries, as before).
                List<CustomerSummary> fromSummaries = new ArrayList<>();
                // every segment read whole (side by side where the store can), in the order of the pages
                for (CustomerHistory h : store.allHistories(t, FIT_PAGE, currency)) {
                    CustomerSummary s = h.hasPurchases() ? h.summaryAt(asOf) : null;
                    if (s != null) {
                        fromSummaries.add(s);
                        rfm.add(RfmQuintiles.Values.of(h.purchases(), asOf));
                    }
                }
                fitted = fromSummaries.size() == summaries.size()
                        ? ChurnScorer.forecast(histories, 0.0, horizon, summaries, settings)
                        : new ChurnScorer.Fitted(ChurnScorer.fit(fromSummaries, settings), null);
                summaries = fromSummaries;
            }
            ChurnScorer.Models models = fitted.models();
            Map<String, Object> accuracy = accuracy(fitted.forecast(), histories, asOf, until);
            if (backtest != null) {
                // The predictions as of the day; no score, alert or latest run changes.
                List<ChurnPrediction> predictions = new ArrayList<>(seen.size());
                double expected = 0;
                ChurnScorer.Scoring scoring = ChurnScorer.scoring(models, settings);
                Instant now = clock.instant();
                for (CustomerHistory h : seen) {
                    ChurnPrediction p = ChurnPrediction.of(scoring.score(h, h.summaryAt(asOf), now, job.id()));
                    predictions.add(p);
                    expected += p.expectedPurchases();
                }
                store.writePredictions(t, job.id(), clock.instant().plus(PREDICTIONS_KEPT), predictions);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("asOf", asOf.toString());
                if (until != null) {
                    result.put("evaluateUntil", until.toString());
                }
                result.put("backtest", true);
                result.put("model", models.toJson());
                result.put("scored", 0);
                result.put("alerts", 0);
                // what the models saw: lets a reader check that later purchases were left out
                result.put("customers", summaries.size());
                result.put("repeatPurchaseDays", summaries.stream().mapToLong(CustomerSummary::x).sum());
                result.put("predictions", predictionTotals(predictions.size(), expected, horizon));
                if (accuracy != null) {
                    result.put("accuracy", accuracy);
                }
                return JobRunner.Step.finished(summaries.size(), summaries.size(), result);
            }
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("models", models.toJson());
            next.put("asOf", asOf.toString());
            next.put("scored", 0);
            next.put("alerts", 0);
            next.put("tiers", Map.of("low", 0, "medium", 0, "high", 0));
            next.put("top", List.of());
            next.put(EXPECTED, 0.0);
            next.put(RFM, RfmQuintiles.of(rfm).toJson());
            if (accuracy != null) {
                next.put(ACCURACY, accuracy);
            }
            return JobRunner.Step.progress(0, summaries.size(), next);
        }

        ChurnScorer.Models models = ChurnScorer.Models.fromJson((Map<String, Object>) cp.get("models"));
        LocalDate asOf = LocalDate.parse((String) cp.get("asOf"));
        long scored = ((Number) cp.get("scored")).longValue();
        long alerts = ((Number) cp.get("alerts")).longValue();
        Map<String, Object> tiers = new LinkedHashMap<>((Map<String, Object>) cp.get("tiers"));
        List<Map<String, Object>> top = new ArrayList<>((List<Map<String, Object>>) cp.get("top"));
        double expectedTotal = cp.get(EXPECTED) instanceof Number n ? n.doubleValue() : 0.0;
        RfmQuintiles quintiles = cp.get(RFM) instanceof Map<?, ?> q ? RfmQuintiles.fromJson((Map<String, Object>) q) : null;
        if (Boolean.TRUE.equals(cp.get(ALL_SCORED))) {
            store.recordLatestRun(t, job.id());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("asOf", asOf.toString());
            result.put("model", models.toJson());
            result.put("scored", scored);
            result.put("alerts", alerts);
            result.put("riskTiers", tiers);
            result.put("topAtRisk", top);
            if (cp.containsKey(EXPECTED)) {
                result.put("predictions", predictionTotals(scored, expectedTotal,
                        models.horizonWeeks() > 0 ? models.horizonWeeks() : settings.horizonWeeks()));
            }
            if (cp.get(ACCURACY) != null) {
                result.put("accuracy", cp.get(ACCURACY));
            }
            return JobRunner.Step.finished(scored, models.customers(), result);
        }
        var page = store.histories(t, cp.get(FROM) instanceof String from ? new Cursor(from) : null, pageSize, currency);
        Instant now = clock.instant();
        List<ChurnScore> scores = new ArrayList<>();
        List<Alerting> alerting = new ArrayList<>();
        // each (x, tx, T) of the page evaluated once: the same scores as per customer (ChurnScorer.Scoring)
        ChurnScorer.Scoring scoring = ChurnScorer.scoring(models, settings);
        for (CustomerHistory h : page.items()) {
            CustomerSummary summary = h.hasPurchases() ? h.summaryAt(asOf) : null;
            if (summary == null) {
                continue;
            }
            ChurnScore s = scoring.score(h, summary, now, job.id());
            if (quintiles != null) {
                s = s.withRfm(quintiles.of(RfmQuintiles.Values.of(h.purchases(), asOf)));
            }
            scores.add(s);
            expectedTotal += s.expectedPurchases();
            tiers.merge(s.riskTier().wire(), 1L, (a, b) -> ((Number) a).longValue() + ((Number) b).longValue());
            if (s.riskTier() == RiskTier.HIGH) {
                top.add(topEntry(s));
            }
            if (ChurnScorer.alerts(s, settings)) {
                alerting.add(new Alerting(s, h));
            }
        }
        // The step's writes in parts, run side by side on the workers (one after the other without): each
        // part is idempotent, and the checkpoint is written only after every part succeeded, so a failed
        // part fails the step, which is replayed whole.
        List<Callable<Integer>> parts = new ArrayList<>();
        for (int i = 0; i < scores.size(); i += WRITE_PART) {
            List<ChurnScore> part = scores.subList(i, Math.min(scores.size(), i + WRITE_PART));
            parts.add(() -> {
                store.writeScores(t, part);
                return 0;
            });
            if (cp.containsKey(EXPECTED)) {
                parts.add(() -> {
                    store.writePredictions(t, job.id(), now.plus(PREDICTIONS_KEPT), part.stream().map(ChurnPrediction::of).toList());
                    return 0;
                });
            }
        }
        for (int i = 0; i < alerting.size(); i += ALERT_PART) {
            List<Alerting> part = alerting.subList(i, Math.min(alerting.size(), i + ALERT_PART));
            parts.add(() -> raise(t, part, asOf, now, job.id()));
        }
        int raisedNow = runAll(parts);
        for (int i = 0; i < raisedNow; i++) {
            Metrics.count(MetricNames.CHURN_ALERTS_RAISED); // here: the invocation's metrics are this thread's
        }
        // Counted whether raised now or already open this period: a step replayed after a crash finds
        // its alerts raised and must still count them.
        alerts += alerting.size();
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
        if (cp.containsKey(EXPECTED)) {
            next.put(EXPECTED, expectedTotal);
        }
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
        if (restart.containsKey(EXPECTED)) {
            restart.put(EXPECTED, 0.0);
        }
        return restart;
    }

    /**
     * A customer's purchase days in weeks from {@code origin} (same-day purchases merged, their spend
     * added; purchases in another currency count as days without spend), or null for none.
     */
    static PurchaseHistory history(List<PurchaseSummary.Purchase> purchases, LocalDate origin) {
        TreeMap<Long, Double> days = new TreeMap<>();
        for (PurchaseSummary.Purchase p : purchases) {
            double amount = p.amount() == null ? 0.0 : p.amount().doubleValue();
            days.merge(ChronoUnit.DAYS.between(origin, p.day()), amount, Double::sum);
        }
        if (days.isEmpty()) {
            return null;
        }
        double[] times = new double[days.size()];
        double[] spend = new double[days.size()];
        int i = 0;
        for (Map.Entry<Long, Double> e : days.entrySet()) {
            times[i] = e.getKey() / 7.0;
            spend[i++] = e.getValue();
        }
        return new PurchaseHistory(times, spend);
    }

    /**
     * The candidates' figures: for (asOf, evaluateUntil] when the run evaluates a backtest, else for
     * the forecast's own internal split (the selection's figures), with the chosen one marked.
     */
    static Map<String, Object> accuracy(PurchaseForecaster.Forecast forecast, List<PurchaseHistory> histories,
            LocalDate asOf, LocalDate until) {
        if (forecast == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (until != null) {
            m.put("evaluatedOn", "holdout");
            m.put("from", asOf.toString());
            m.put("until", until.toString());
            m.put("candidates", candidates(PurchaseForecaster.evaluate(forecast, histories), forecast.chosen()));
            double actual = 0;
            for (PurchaseHistory h : histories) {
                if (h != null && h.first() <= 0.0) {
                    actual += h.purchasesBetween(0.0, forecast.horizon() + 1e-9);
                }
            }
            m.put("actualPurchases", (long) actual);
        } else {
            m.put("evaluatedOn", "internalSplit");
            m.put("from", asOf.minusDays(Math.round(-forecast.splitAt() * 7)).toString());
            m.put("until", asOf.toString());
            m.put("candidates", candidates(forecast.internalAccuracy(), forecast.chosen()));
        }
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("splitAt", asOf.minusDays(Math.round(-forecast.splitAt() * 7)).toString());
        selection.put("candidates", candidates(forecast.internalAccuracy(), forecast.chosen()));
        m.put("selection", selection);
        return m;
    }

    private static List<Map<String, Object>> candidates(Map<String, ForecastAccuracy> figures, String chosen) {
        List<Map<String, Object>> out = new ArrayList<>();
        figures.forEach((name, a) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("candidate", name);
            c.put("totalErrorPct", finite(a.totalErrorPct()));
            c.put("curveErrorPct", finite(a.curveErrorPct()));
            c.put("rmse", finite(a.rmse()));
            c.put("mae", finite(a.mae()));
            c.put("correlation", finite(a.correlation()));
            c.put("chosen", name.equals(chosen));
            out.add(c);
        });
        return out;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }

    private static Map<String, Object> predictionTotals(long customers, double expected, double horizonWeeks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customers", customers);
        m.put("expectedPurchases", expected);
        m.put("horizonWeeks", horizonWeeks);
        return m;
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

    /** Runs the parts on the workers (or in this thread), every one to its end; the first failure is thrown. */
    private int runAll(List<Callable<Integer>> parts) {
        int sum = 0;
        if (workers == null || parts.size() < 2) {
            for (Callable<Integer> p : parts) {
                sum += call(p);
            }
            return sum;
        }
        List<Future<Integer>> done;
        try {
            done = workers.invokeAll(parts); // returns when every part has ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a step", e);
        }
        RuntimeException failure = null;
        for (Future<Integer> f : done) {
            try {
                sum += f.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing a step", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return sum;
    }

    private static int call(Callable<Integer> part) {
        try {
            return part.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Raises the alerts of some of the step's customers: one batched read each of their cards and
     * preferences, their case links (a query or two per alerting contact, never per scored one).
     *
     * @return how many were raised now (not found raised already)
     */
    private int raise(TenantId t, List<Alerting> part, LocalDate asOf, Instant now, String runId) {
        List<String> ids = part.stream().map(a -> a.score().contactId()).toList();
        Map<String, Map<String, Object>> cards = store.contactCards(t, ids);
        Map<String, ChurnRepository.CaseSignals> cases = store.caseSignals(t, ids, now.minus(RECENT_BREACH));
        Map<String, Map<String, Object>> preferences = store.preferences(t, ids);
        int raised = 0;
        for (Alerting a : part) {
            String id = a.score().contactId();
            if (raise(t, a.score(), a.history(), asOf, now, runId, cards.get(id),
                    cases.getOrDefault(id, ChurnRepository.CaseSignals.NONE), preferences.get(id))) {
                raised++;
            }
        }
        return raised;
    }

    private boolean raise(TenantId t, ChurnScore s, CustomerHistory h, LocalDate asOf, Instant now, String runId,
            Map<String, Object> card, ChurnRepository.CaseSignals cases, Map<String, Object> preferences) {
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
                RetentionAction.suggest(preferences, now), card, runId, now, null, null, null, null, null,
                cases.openCases());
        // A new alert item is published to the event bus by an EventBridge Pipe on the table stream
        // (template.yaml, ChurnAlertEventsPipe): no event client in this function.
        return store.createAlert(t, alert); // false when already raised this period: nothing to do
    }
}
