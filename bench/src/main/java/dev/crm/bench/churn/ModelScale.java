package dev.crm.bench.churn;

import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.ChurnScorer;
import dev.crm.churn.domain.ChurnSettings;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.churn.statistics.BgNbdFit;
import dev.crm.churn.statistics.BgNbdFitter;
import dev.crm.churn.statistics.BgNbdModel;
import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.BgNbdSimulator;
import dev.crm.churn.statistics.CustomerLifetimeValue;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.FrequencyRecencyGroup;
import dev.crm.churn.statistics.GammaGammaFit;
import dev.crm.churn.statistics.GammaGammaFitter;
import dev.crm.churn.statistics.GammaGammaModel;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.churn.statistics.SpendGroup;
import dev.crm.churn.statistics.SummaryGrouping;
import dev.crm.shared.contact.PurchaseSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The churn model step alone, in memory, on simulated customers (10 million by default): what a churn
 * run does between reading the summaries and writing the scores, without DynamoDB. Moved here from the
 * churn-alerts module's tests (it was {@code ModelScaleCheck}, a manual timing run) so it runs as part
 * of the harness and never as a test.
 *
 * <p>Steps, each timed: simulate the customers from a BG/NBD + Gamma-Gamma process with known
 * parameters, times bucketed to whole days (as the run's summaries are) and spend to cents; hold them
 * as the run's fit step does (a list of {@link CustomerSummary}); fit as the run does
 * ({@link ChurnScorer#fit}, which is {@code ChurnModelFit.fit}: grouping, BG/NBD, Gamma-Gamma), then the
 * same three parts one by one for the breakdown; score every customer as the run's score steps do
 * ({@link ChurnScorer#score} on a {@link CustomerHistory} per customer); and, for comparison, the
 * grouped scoring the old check used (one model evaluation per distinct (x, t_x, T), then a lookup per
 * customer), which the product does not do.
 */
public final class ModelScale {
    private static final BgNbdParameters TRUE_PURCHASES = new BgNbdParameters(0.25, 4.0, 0.8, 2.5);
    private static final GammaGammaParameters TRUE_SPEND = new GammaGammaParameters(6.0, 4.0, 15.0);
    private static final int MAX_AGE_DAYS = 365;
    private static final double FORECAST_WEEKS = 39.0;
    private static final int CLV_MONTHS = 12;
    private static final double MONTHLY_DISCOUNT = 0.01;

    private ModelScale() {
    }

    /** One timed step. */
    public record Step(String name, double seconds, String detail) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("seconds", seconds);
            m.put("detail", detail);
            return m;
        }
    }

    /** Stand-alone: {@code java -cp <harness classpath>:<churn-alerts artifact> dev.crm.bench.churn.ModelScale [customers]}. */
    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        for (Step s : run(customers, System.err::println)) {
            System.out.printf("%-90s %8.2f s  %s%n", s.name(), s.seconds(), s.detail());
        }
    }

    public static List<Map<String, Object>> runJson(int customers, Consumer<String> progress) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Step s : run(customers, progress)) {
            out.add(s.toJson());
        }
        return out;
    }

    public static List<Step> run(int customers, Consumer<String> progress) {
        List<Step> steps = new ArrayList<>();
        progress.accept(String.format("model step: %,d customers, %d cores, max heap %,d MB", customers,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));

        // 1. Simulate, bucketing times to whole days (as the retention job does) and spend to cents.
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(20_250_601L);
        BgNbdSimulator simulator = new BgNbdSimulator(TRUE_PURCHASES, TRUE_SPEND);
        int[] x = new int[customers];
        short[] recencyDays = new short[customers];
        short[] ageDays = new short[customers];
        double[] meanSpend = new double[customers];
        for (int i = 0; i < customers; i++) {
            int age = 1 + random.nextInt(MAX_AGE_DAYS);
            CustomerSummary simulated = simulator.simulateCustomer(random, age / 7.0);
            x[i] = simulated.x();
            recencyDays[i] = (short) Math.min(age, Math.round(simulated.tx() * 7.0));
            ageDays[i] = (short) age;
            meanSpend[i] = Math.round(simulated.meanRepeatSpend() * 100.0) / 100.0;
        }
        long t = System.nanoTime();
        steps.add(step(progress, "simulate (BG/NBD + Gamma-Gamma process, whole days, cents; not product code)", start, t,
                "true parameters " + params(TRUE_PURCHASES) + "; " + params(TRUE_SPEND)));

        // 2. The summaries as the run's fit step holds them.
        long t0 = t;
        List<CustomerSummary> summaries = new ArrayList<>(customers);
        for (int i = 0; i < customers; i++) {
            summaries.add(new CustomerSummary(x[i], recencyDays[i] / 7.0, ageDays[i] / 7.0, meanSpend[i]));
        }
        t = System.nanoTime();
        steps.add(step(progress, "hold the summaries (a list of CustomerSummary, as the run's fit step does)", t0, t, ""));

        // 3. Fit as the run does.
        ChurnSettings settings = ChurnSettings.defaults();
        t0 = t;
        ChurnScorer.Models models = ChurnScorer.fit(summaries, settings);
        t = System.nanoTime();
        steps.add(step(progress, "fit as the run does (ChurnScorer.fit: group, BG/NBD, Gamma-Gamma)", t0, t,
                models.fallback() ? "fallback rule" : params(models.bgNbd()) + "; " + params(models.gammaGamma())));

        // 3a-c. The same three parts one by one (what ChurnModelFit.fit does inside).
        t0 = t;
        SummaryGrouping grouping = new SummaryGrouping();
        for (CustomerSummary s : summaries) {
            grouping.add(s);
        }
        List<FrequencyRecencyGroup> purchaseGroups = grouping.frequencyRecencyGroups();
        List<SpendGroup> spendGroups = grouping.spendGroups();
        t = System.nanoTime();
        steps.add(step(progress, "  of which: group", t0, t, String.format("%,d frequency/recency groups, %,d spend groups "
                + "(%,d returning customers)", purchaseGroups.size(), spendGroups.size(),
                spendGroups.stream().mapToLong(SpendGroup::count).sum())));
        t0 = t;
        BgNbdFit purchaseFit = BgNbdFitter.fit(purchaseGroups);
        t = System.nanoTime();
        steps.add(step(progress, "  of which: fit BG/NBD", t0, t, purchaseFit.iterations() + " iterations"));
        t0 = t;
        GammaGammaFit spendFit = GammaGammaFitter.fit(spendGroups);
        t = System.nanoTime();
        steps.add(step(progress, "  of which: fit Gamma-Gamma", t0, t, spendFit.iterations() + " iterations"));
        summaries = null;

        // 4. Score every customer as the run's score steps do: a CustomerHistory per customer (its purchase
        //    summary as read from the item), ChurnScorer.score, ChurnScorer.alerts.
        LocalDate asOf = LocalDate.of(2026, 11, 24);
        Instant now = Instant.parse("2026-11-24T02:00:00Z");
        long[] tiers = new long[3];
        long alerts = 0;
        double clv = 0;
        t0 = System.nanoTime();
        for (int i = 0; i < customers; i++) {
            LocalDate first = asOf.minusDays(ageDays[i]);
            BigDecimal firstSpend = BigDecimal.valueOf(2500, 2);
            BigDecimal repeat = BigDecimal.valueOf(Math.round(meanSpend[i] * 100) * x[i], 2);
            PurchaseSummary p = new PurchaseSummary("EUR", first, firstSpend, first.plusDays(recencyDays[i]), x[i], repeat,
                    firstSpend.add(repeat), x[i] + 1L, 1);
            ChurnScore s = ChurnScorer.score(new CustomerHistory("c_simulated", p, 0, null), asOf, models, settings, now,
                    "run_modelscale");
            tiers[s.riskTier().ordinal()]++;
            if (ChurnScorer.alerts(s, settings)) {
                alerts++;
            }
            clv += s.clv().doubleValue();
        }
        t = System.nanoTime();
        steps.add(step(progress, "score every customer as the run does (ChurnScorer.score per customer)", t0, t,
                String.format("risk tiers low %,d, medium %,d, high %,d; %,d alerts; CLV total %,.0f",
                        tiers[dev.crm.churn.domain.RiskTier.LOW.ordinal()],
                        tiers[dev.crm.churn.domain.RiskTier.MEDIUM.ordinal()],
                        tiers[dev.crm.churn.domain.RiskTier.HIGH.ordinal()], alerts, clv)));

        // 5. For comparison, grouped scoring (not what the product does): the purchase forecasts depend only
        //    on the group, spend only on (x, mean spend).
        t0 = t;
        BgNbdModel purchases = purchaseFit.model();
        GammaGammaModel spend = spendFit.model();
        double[] pAlive = new double[purchaseGroups.size()];
        double[] forecast = new double[purchaseGroups.size()];
        double[] discountedPurchases = new double[purchaseGroups.size()];
        Map<Long, Integer> groupIndex = new HashMap<>(purchaseGroups.size() * 2);
        for (int g = 0; g < purchaseGroups.size(); g++) {
            FrequencyRecencyGroup group = purchaseGroups.get(g);
            CustomerSummary representative = new CustomerSummary(group.x(), group.tx(), group.T(), 0.0);
            pAlive[g] = purchases.pAlive(representative);
            forecast[g] = purchases.expectedPurchases(FORECAST_WEEKS, representative);
            discountedPurchases[g] = CustomerLifetimeValue.computeWithSpendPerPurchase(
                    purchases, representative, 1.0, CLV_MONTHS, MONTHLY_DISCOUNT, 1.0);
            groupIndex.put(key(group.x(), (int) Math.round(group.tx() * 7.0), (int) Math.round(group.T() * 7.0)), g);
        }
        t = System.nanoTime();
        steps.add(step(progress, "for comparison, not product code: score the groups (P(alive), forecast, CLV)", t0, t,
                String.format("%,d groups", purchaseGroups.size())));
        t0 = t;
        double totalAlive = 0.0;
        double totalValue = 0.0;
        for (int i = 0; i < customers; i++) {
            int g = groupIndex.get(key(x[i], recencyDays[i], ageDays[i]));
            totalAlive += pAlive[g];
            totalValue += discountedPurchases[g] * spend.expectedAverageSpend(x[i], meanSpend[i]);
        }
        t = System.nanoTime();
        steps.add(step(progress, "for comparison, not product code: score the customers by group lookup", t0, t,
                String.format("expected active %,.0f, CLV total %,.0f (12 months at 1 %% a month, not the tenant's "
                        + "settings)", totalAlive, totalValue)));
        return steps;
    }

    private static String params(BgNbdParameters p) {
        return String.format(java.util.Locale.ROOT, "BG/NBD r %.3f, α %.3f, a %.3f, b %.3f", p.r(), p.alpha(), p.a(), p.b());
    }

    private static String params(GammaGammaParameters p) {
        return p == null ? "no Gamma-Gamma"
                : String.format(java.util.Locale.ROOT, "Gamma-Gamma p %.3f, q %.3f, v %.3f", p.p(), p.q(), p.v());
    }

    private static long key(int x, int recencyDays, int ageDays) {
        return ((long) x << 20) | ((long) recencyDays << 10) | ageDays;
    }

    private static Step step(Consumer<String> progress, String name, long fromNanos, long toNanos, String detail) {
        Step s = new Step(name, (toNanos - fromNanos) / 1e9, detail);
        progress.accept(String.format("model step: %s: %.2f s", name, s.seconds()));
        return s;
    }
}
