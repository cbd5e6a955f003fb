package dev.crm.churn.domain;

import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.ChosenForecast;
import dev.crm.churn.statistics.ChurnModelFit;
import dev.crm.churn.statistics.CustomerLifetimeValue;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.FrequencyRecencyScores;
import dev.crm.churn.statistics.GammaGammaModel;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.churn.statistics.MbgNbdParameters;
import dev.crm.churn.statistics.ParetoNbdParameters;
import dev.crm.churn.statistics.PoissonCorrection;
import dev.crm.churn.statistics.PurchaseCountModel;
import dev.crm.churn.statistics.PurchaseForecaster;
import dev.crm.churn.statistics.PurchaseHistory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores customers with the forecast's chosen combination of purchase models (BG/NBD, Pareto/NBD,
 * MBG/NBD, their ensemble or its correction: docs/analytics.md) and Gamma-Gamma, or, for a tenant with too few
 * customers to fit them, with the documented fallback rule.
 *
 * <p>Fallback (fewer than {@link ChurnSettings#minCustomersForModel} customers with purchases):
 * P(alive) decays with the time since the last purchase relative to the customer's own typical gap
 * between purchase days (their lifetime ÷ repeat days, or 26 weeks for one-time buyers):
 * P(alive) = exp(−max(0, weeks since last − gap) ÷ gap); expected purchases = P(alive) × horizon ÷ gap;
 * spend per purchase = their mean repeat spend (their first-day spend for one-time buyers).
 */
public final class ChurnScorer {
    static final double ONE_TIME_BUYER_GAP_WEEKS = 26;

    /**
     * The models of a run, or none (fallback). Parameters travel in the job's checkpoint.
     *
     * @param forecast     the combination the run scores with (null for the fallback rule)
     * @param horizonWeeks the horizon of the expected purchases (the evaluation period of a backtest,
     *                     else the tenant's horizon); 0 in checkpoints of earlier versions: the tenant's
     */
    public record Models(BgNbdParameters bgNbd, GammaGammaParameters gammaGamma, long customers, boolean fallback,
                         ChosenForecast forecast, double horizonWeeks, Map<String, Object> logLikelihoods) {

        public Models(BgNbdParameters bgNbd, GammaGammaParameters gammaGamma, long customers, boolean fallback) {
            this(bgNbd, gammaGamma, customers, fallback, bgNbd == null ? null : ChosenForecast.bgNbdOnly(bgNbd), 0, Map.of());
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            if (bgNbd != null) {
                m.put("r", bgNbd.r());
                m.put("alpha", bgNbd.alpha());
                m.put("a", bgNbd.a());
                m.put("b", bgNbd.b());
            }
            if (gammaGamma != null) {
                m.put("p", gammaGamma.p());
                m.put("q", gammaGamma.q());
                m.put("v", gammaGamma.v());
            }
            m.put("customers", customers);
            m.put("fallbackRule", fallback);
            // added with the forecast (issue 18): the keys above keep their meaning (BG/NBD, Gamma-Gamma)
            if (forecast != null) {
                m.put("chosen", forecast.chosen());
                if (forecast.paretoNbd() != null) {
                    ParetoNbdParameters p = forecast.paretoNbd();
                    m.put("paretoNbd", ordered("r", p.r(), "alpha", p.alpha(), "s", p.s(), "beta", p.beta()));
                }
                if (forecast.mbgNbd() != null) {
                    MbgNbdParameters p = forecast.mbgNbd();
                    m.put("mbgNbd", ordered("r", p.r(), "alpha", p.alpha(), "a", p.a(), "b", p.b()));
                }
                if (forecast.correction() != null) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("coefficients", list(forecast.correction().coefficients()));
                    c.put("means", list(forecast.correction().means()));
                    c.put("scales", list(forecast.correction().scales()));
                    m.put("correction", c);
                }
            }
            if (horizonWeeks > 0) {
                m.put("horizonWeeks", horizonWeeks);
            }
            if (logLikelihoods != null && !logLikelihoods.isEmpty()) {
                m.put("logLikelihood", logLikelihoods);
            }
            return m;
        }

        @SuppressWarnings("unchecked")
        public static Models fromJson(Map<String, Object> m) {
            BgNbdParameters bg = m.get("r") == null ? null : new BgNbdParameters(num(m, "r"), num(m, "alpha"), num(m, "a"), num(m, "b"));
            GammaGammaParameters gg = m.get("p") == null ? null : new GammaGammaParameters(num(m, "p"), num(m, "q"), num(m, "v"));
            ChosenForecast forecast = null;
            if (bg != null) {
                String chosen = m.get("chosen") instanceof String c ? c : PurchaseForecaster.BG_NBD;
                ParetoNbdParameters pareto = null;
                MbgNbdParameters mbg = null;
                PoissonCorrection correction = null;
                if (m.get("paretoNbd") instanceof Map<?, ?> p) {
                    Map<String, Object> pm = (Map<String, Object>) p;
                    pareto = new ParetoNbdParameters(num(pm, "r"), num(pm, "alpha"), num(pm, "s"), num(pm, "beta"));
                }
                if (m.get("mbgNbd") instanceof Map<?, ?> p) {
                    Map<String, Object> pm = (Map<String, Object>) p;
                    mbg = new MbgNbdParameters(num(pm, "r"), num(pm, "alpha"), num(pm, "a"), num(pm, "b"));
                }
                if (m.get("correction") instanceof Map<?, ?> c) {
                    Map<String, Object> cm = (Map<String, Object>) c;
                    correction = PoissonCorrection.of(array(cm.get("coefficients")), array(cm.get("means")), array(cm.get("scales")));
                }
                forecast = new ChosenForecast(chosen, bg, pareto, mbg, correction);
            }
            double horizon = m.get("horizonWeeks") == null ? 0 : num(m, "horizonWeeks");
            Map<String, Object> ll = m.get("logLikelihood") instanceof Map<?, ?> l ? (Map<String, Object>) l : Map.of();
            return new Models(bg, gg, ((Number) m.get("customers")).longValue(), Boolean.TRUE.equals(m.get("fallbackRule")),
                    forecast, horizon, ll);
        }

        private static double num(Map<String, Object> m, String k) {
            return ((Number) m.get(k)).doubleValue();
        }

        private static double[] array(Object list) {
            return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }

        private static List<Double> list(double[] values) {
            return java.util.Arrays.stream(values).boxed().toList();
        }

        private static Map<String, Object> ordered(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }
    }

    private ChurnScorer() {}

    /** BG/NBD and Gamma-Gamma alone (what runs scored with before the forecast; the bench measures it). */
    public static Models fit(List<CustomerSummary> customers, ChurnSettings settings) {
        int limit = Math.min(ChurnSettings.MAX_MIN_CUSTOMERS, settings.minCustomersForModel());
        if (customers.size() < limit) {
            return new Models(null, null, customers.size(), true);
        }
        ChurnModelFit fit = ChurnModelFit.fit(customers);
        return new Models(fit.bgNbd(), fit.gammaGamma(), customers.size(), false);
    }

    /**
     * The run's models: the forecast's chosen combination of BG/NBD, Pareto/NBD, MBG/NBD and the
     * correction (docs/analytics.md), fitted on {@code histories} cut at {@code asOf}, and Gamma-Gamma
     * for the spend. Below the tenant's minimum the fallback rule; data the three-model forecast cannot
     * be fitted on (its internal split has no customer, say) scores with BG/NBD alone.
     *
     * @param histories    per customer, purchase days in weeks (null entries are skipped)
     * @param summaries    the same customers' summaries at asOf (for Gamma-Gamma)
     */
    public static Fitted forecast(List<PurchaseHistory> histories, double asOf, double horizonWeeks,
            List<CustomerSummary> summaries, ChurnSettings settings) {
        int limit = Math.min(ChurnSettings.MAX_MIN_CUSTOMERS, settings.minCustomersForModel());
        if (summaries.size() < limit) {
            return new Fitted(new Models(null, null, summaries.size(), true, null, horizonWeeks, Map.of()), null);
        }
        ChurnModelFit fit = ChurnModelFit.fit(summaries);
        PurchaseForecaster.Forecast f;
        try {
            f = PurchaseForecaster.forecast(histories, asOf, horizonWeeks);
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            // no customer by the internal split, or a model's likelihood not finite at any start
            return new Fitted(new Models(fit.bgNbd(), fit.gammaGamma(), summaries.size(), false,
                    ChosenForecast.bgNbdOnly(fit.bgNbd()), horizonWeeks, Map.of()), null);
        }
        Map<String, Object> ll = new LinkedHashMap<>();
        ll.put("bgNbd", f.bgNbdLogLikelihood());
        ll.put("paretoNbd", f.paretoNbdLogLikelihood());
        ll.put("mbgNbd", f.mbgNbdLogLikelihood());
        return new Fitted(new Models(f.bgNbd(), fit.gammaGamma(), summaries.size(), false, f.chosenModel(), horizonWeeks, ll), f);
    }

    /** The models and, when the three-model forecast was fitted, the forecast itself (for its figures). */
    public record Fitted(Models models, PurchaseForecaster.Forecast forecast) {}

    public static ChurnScore score(CustomerHistory c, LocalDate asOf, Models models, ChurnSettings settings, Instant now,
            String runId) {
        CustomerSummary s = c.summaryAt(asOf);
        double horizon = models.horizonWeeks() > 0 ? models.horizonWeeks() : settings.horizonWeeks();
        double pAlive;
        double expected;
        double spendPerPurchase;
        double clv;
        if (models.fallback()) {
            double gap = s.x() == 0 ? ONE_TIME_BUYER_GAP_WEEKS : Math.max(1.0 / 7, s.T() / s.x());
            double sinceLast = s.T() - s.tx();
            pAlive = Math.exp(-Math.max(0, sinceLast - gap) / gap);
            expected = pAlive * horizon / gap;
            spendPerPurchase = s.x() == 0 ? c.purchases().firstDaySpend().doubleValue() : s.meanRepeatSpend();
            clv = expected * spendPerPurchase;
        } else {
            PurchaseCountModel model = models.forecast();
            pAlive = model.pAlive(s);
            expected = model.expectedPurchases(horizon, s);
            if (models.gammaGamma() != null) {
                GammaGammaModel spend = new GammaGammaModel(models.gammaGamma());
                spendPerPurchase = s.x() > 0 ? spend.expectedAverageSpend(s) : spend.populationMeanSpend();
            } else {
                spendPerPurchase = s.x() == 0 ? c.purchases().firstDaySpend().doubleValue() : s.meanRepeatSpend();
            }
            clv = CustomerLifetimeValue.computeWithSpendPerPurchase(model, s, spendPerPurchase, settings.horizonMonths(),
                    settings.monthlyDiscountRate(), 1.0);
        }
        // What the customer would spend over the horizon at their own past rate of repeat purchases.
        double rate = s.T() > 0 ? s.x() / s.T() : 0;
        double valueAtRisk = spendPerPurchase * rate * horizon;
        boolean signal = c.riskSignal();
        RiskTier tier = RiskTier.of(pAlive, settings.pAliveThreshold(), signal);
        return new ChurnScore(c.contactId(), pAlive, expected, ChurnScore.money(clv), ChurnScore.money(valueAtRisk), tier,
                signal, now, c.purchases().currency(), runId);
    }

    /** The scoring of one run's customers: each (x, tx, T) evaluated once, see {@link Scoring}. */
    public static Scoring scoring(Models models, ChurnSettings settings) {
        return new Scoring(models, settings);
    }

    /**
     * {@link #score} for many customers, the purchase model evaluated once per distinct (x, tx, T)
     * ({@link FrequencyRecencyScores}): the same score, bit for bit, as per customer. Not thread-safe.
     */
    public static final class Scoring {
        private final Models models;
        private final ChurnSettings settings;
        private final double horizon;
        private final FrequencyRecencyScores groups;
        private final GammaGammaModel spend;

        private Scoring(Models models, ChurnSettings settings) {
            this.models = models;
            this.settings = settings;
            this.horizon = models.horizonWeeks() > 0 ? models.horizonWeeks() : settings.horizonWeeks();
            this.groups = models.fallback() ? null
                    : new FrequencyRecencyScores(models.forecast(), horizon, settings.horizonMonths(), settings.monthlyDiscountRate());
            this.spend = models.fallback() || models.gammaGamma() == null ? null : new GammaGammaModel(models.gammaGamma());
        }

        /** @param s the customer's summary at the run's day ({@link CustomerHistory#summaryAt}, not null) */
        public ChurnScore score(CustomerHistory c, CustomerSummary s, Instant now, String runId) {
            if (groups == null) {
                return fallbackScore(c, s, horizon, settings, now, runId);
            }
            FrequencyRecencyScores.Group g = groups.of(s);
            double spendPerPurchase;
            if (spend != null) {
                spendPerPurchase = s.x() > 0 ? spend.expectedAverageSpend(s) : spend.populationMeanSpend();
            } else {
                spendPerPurchase = s.x() == 0 ? c.purchases().firstDaySpend().doubleValue() : s.meanRepeatSpend();
            }
            return scoreOf(c, s, g.pAlive(), g.expectedPurchases(), spendPerPurchase, g.clv(spendPerPurchase, 1.0), horizon,
                    settings, now, runId);
        }

        /** How many distinct (x, tx, T) were evaluated so far. */
        public int groups() {
            return groups == null ? 0 : groups.groups();
        }
    }

    private static ChurnScore fallbackScore(CustomerHistory c, CustomerSummary s, double horizon, ChurnSettings settings,
            Instant now, String runId) {
        double gap = s.x() == 0 ? ONE_TIME_BUYER_GAP_WEEKS : Math.max(1.0 / 7, s.T() / s.x());
        double sinceLast = s.T() - s.tx();
        double pAlive = Math.exp(-Math.max(0, sinceLast - gap) / gap);
        double expected = pAlive * horizon / gap;
        double spendPerPurchase = s.x() == 0 ? c.purchases().firstDaySpend().doubleValue() : s.meanRepeatSpend();
        return scoreOf(c, s, pAlive, expected, spendPerPurchase, expected * spendPerPurchase, horizon, settings, now, runId);
    }

    private static ChurnScore scoreOf(CustomerHistory c, CustomerSummary s, double pAlive, double expected,
            double spendPerPurchase, double clv, double horizon, ChurnSettings settings, Instant now, String runId) {
        // What the customer would spend over the horizon at their own past rate of repeat purchases.
        double rate = s.T() > 0 ? s.x() / s.T() : 0;
        double valueAtRisk = spendPerPurchase * rate * horizon;
        boolean signal = c.riskSignal();
        RiskTier tier = RiskTier.of(pAlive, settings.pAliveThreshold(), signal);
        return new ChurnScore(c.contactId(), pAlive, expected, ChurnScore.money(clv), ChurnScore.money(valueAtRisk), tier,
                signal, now, c.purchases().currency(), runId);
    }

    /** A valuable customer at high risk gets an alert. */
    public static boolean alerts(ChurnScore s, ChurnSettings settings) {
        return s.riskTier() == RiskTier.HIGH && s.valueAtRisk().compareTo(settings.valueThreshold()) >= 0;
    }

    public static BigDecimal zero() {
        return BigDecimal.ZERO;
    }
}
