package dev.crm.churn.domain;

import dev.crm.churn.statistics.BgNbdModel;
import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.ChurnModelFit;
import dev.crm.churn.statistics.CustomerLifetimeValue;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.GammaGammaModel;
import dev.crm.churn.statistics.GammaGammaParameters;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores customers with the fitted BG/NBD and Gamma-Gamma models, or, for a tenant with too few
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

    /** The models of a run, or none (fallback). Parameters travel in the job's checkpoint. */
    public record Models(BgNbdParameters bgNbd, GammaGammaParameters gammaGamma, long customers, boolean fallback) {

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
            return m;
        }

        public static Models fromJson(Map<String, Object> m) {
            BgNbdParameters bg = m.get("r") == null ? null : new BgNbdParameters(num(m, "r"), num(m, "alpha"), num(m, "a"), num(m, "b"));
            GammaGammaParameters gg = m.get("p") == null ? null : new GammaGammaParameters(num(m, "p"), num(m, "q"), num(m, "v"));
            return new Models(bg, gg, ((Number) m.get("customers")).longValue(), Boolean.TRUE.equals(m.get("fallbackRule")));
        }

        private static double num(Map<String, Object> m, String k) {
            return ((Number) m.get(k)).doubleValue();
        }
    }

    private ChurnScorer() {}

    public static Models fit(List<CustomerSummary> customers, ChurnSettings settings) {
        int limit = Math.min(ChurnSettings.MAX_MIN_CUSTOMERS, settings.minCustomersForModel());
        if (customers.size() < limit) {
            return new Models(null, null, customers.size(), true);
        }
        ChurnModelFit fit = ChurnModelFit.fit(customers);
        return new Models(fit.bgNbd(), fit.gammaGamma(), customers.size(), false);
    }

    public static ChurnScore score(CustomerHistory c, LocalDate asOf, Models models, ChurnSettings settings, Instant now,
            String runId) {
        CustomerSummary s = c.summaryAt(asOf);
        double horizon = settings.horizonWeeks();
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
            BgNbdModel model = new BgNbdModel(models.bgNbd());
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

    /** A valuable customer at high risk gets an alert. */
    public static boolean alerts(ChurnScore s, ChurnSettings settings) {
        return s.riskTier() == RiskTier.HIGH && s.valueAtRisk().compareTo(settings.valueThreshold()) >= 0;
    }

    public static BigDecimal zero() {
        return BigDecimal.ZERO;
    }
}
