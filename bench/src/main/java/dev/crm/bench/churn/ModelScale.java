package dev.crm.bench.churn;

import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.ChurnScorer;
import dev.crm.churn.domain.ChurnSettings;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.churn.statistics.BgNbdFit;
import dev.crm.churn.statistics.BgNbdFitter;
import dev.crm.churn.statistics.BgNbdParameters;
import dev.crm.churn.statistics.BgNbdSimulator;
import dev.crm.churn.statistics.CustomerSummary;
import dev.crm.churn.statistics.FrequencyRecencyGroup;
import dev.crm.churn.statistics.GammaGammaFit;
import dev.crm.churn.statistics.GammaGammaFitter;
import dev.crm.churn.statistics.GammaGammaParameters;
import dev.crm.churn.statistics.SpendGroup;
import dev.crm.churn.statistics.SummaryGrouping;
import dev.crm.shared.contact.PurchaseSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * ({@link ChurnScorer#fit}, which is {@code ChurnModelFit.fit}: grouping, BG/NBD, Gamma-Gamma); score every
 * customer as the run's score steps do ({@link ChurnScorer.Scoring} on a {@link CustomerHistory} per
 * customer: the purchase model once per distinct (x, t_x, T), spend and CLV per customer); for comparison,
 * the first million scored per customer ({@link ChurnScorer#score}, as runs did before), each checked
 * equal to its grouped score; and the fit's three parts one by one for the breakdown.
 */
public final class ModelScale {
    private static final BgNbdParameters TRUE_PURCHASES = new BgNbdParameters(0.25, 4.0, 0.8, 2.5);
    private static final GammaGammaParameters TRUE_SPEND = new GammaGammaParameters(6.0, 4.0, 15.0);
    private static final int MAX_AGE_DAYS = 365;
    /** Customers scored per customer too, for the comparison (all 10 million take minutes). */
    private static final int PER_CUSTOMER_SAMPLE = 1_000_000;

    private ModelScale() {
    }

    /** One timed step. */
    /**
     * @param cpuSeconds the process's CPU time over the step (every thread, JIT and GC included): on a machine
     *                   shared with other work, an upper bound of what the step takes on an idle one
     */
    public record Step(String name, double seconds, double cpuSeconds, String detail) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("seconds", seconds);
            m.put("cpuSeconds", cpuSeconds);
            m.put("detail", detail);
            return m;
        }
    }

    /** Stand-alone: {@code java -cp <harness classpath>:<churn-alerts artifact> dev.crm.bench.churn.ModelScale [customers]}. */
    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        for (Step s : run(customers, System.err::println)) {
            System.out.printf("%-90s %8.2f s  %8.2f s CPU  %s%n", s.name(), s.seconds(), s.cpuSeconds(), s.detail());
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
        cpuMark = processCpuNanos();
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

        // 4. Score every customer as the run's score steps do: a CustomerHistory per customer (its purchase
        //    summary as read from the item), its summary at the day, ChurnScorer.Scoring (the purchase model
        //    evaluated once per (x, tx, T) group, spend and CLV per customer), ChurnScorer.alerts.
        LocalDate asOf = LocalDate.of(2026, 11, 24);
        Instant now = Instant.parse("2026-11-24T02:00:00Z");
        long[] tiers = new long[3];
        long alerts = 0;
        double clv = 0;
        cpuMark = processCpuNanos();
        t0 = System.nanoTime();
        ChurnScorer.Scoring scoring = ChurnScorer.scoring(models, settings);
        for (int i = 0; i < customers; i++) {
            CustomerHistory h = history(i, asOf, x, recencyDays, ageDays, meanSpend);
            ChurnScore s = scoring.score(h, h.summaryAt(asOf), now, "run_modelscale");
            tiers[s.riskTier().ordinal()]++;
            if (ChurnScorer.alerts(s, settings)) {
                alerts++;
            }
            clv += s.clv().doubleValue();
        }
        t = System.nanoTime();
        double fitSeconds = steps.get(steps.size() - 1).seconds();
        double fitCpu = steps.get(steps.size() - 1).cpuSeconds();
        steps.add(step(progress, "score every customer by (x, t_x, T) group as the run does (ChurnScorer.Scoring)", t0, t,
                String.format("%,d groups evaluated; risk tiers low %,d, medium %,d, high %,d; %,d alerts; CLV total %,.0f",
                        scoring.groups(), tiers[dev.crm.churn.domain.RiskTier.LOW.ordinal()],
                        tiers[dev.crm.churn.domain.RiskTier.MEDIUM.ordinal()],
                        tiers[dev.crm.churn.domain.RiskTier.HIGH.ordinal()], alerts, clv)));
        steps.add(new Step("**fitted and scored** (fit + score by group)", fitSeconds + (t - t0) / 1e9,
                fitCpu + steps.get(steps.size() - 1).cpuSeconds(),
                String.format("%,d customers", customers)));
        progress.accept(String.format("model step: fitted and scored: %.2f s", fitSeconds + (t - t0) / 1e9));

        // 5. For comparison, per customer as runs scored before (ChurnScorer.score: every model evaluation per
        //    customer), on the first customers only (it takes minutes for all): their scores must be the same.
        int sample = Math.min(customers, PER_CUSTOMER_SAMPLE);
        long differ = 0;
        ChurnScorer.Scoring check = ChurnScorer.scoring(models, settings);
        cpuMark = processCpuNanos();
        t0 = System.nanoTime();
        for (int i = 0; i < sample; i++) {
            CustomerHistory h = history(i, asOf, x, recencyDays, ageDays, meanSpend);
            ChurnScore s = ChurnScorer.score(h, asOf, models, settings, now, "run_modelscale");
            if (!s.equals(check.score(h, h.summaryAt(asOf), now, "run_modelscale"))) {
                differ++;
            }
        }
        t = System.nanoTime();
        steps.add(step(progress, String.format("for comparison: score the first %,d per customer (ChurnScorer.score, "
                + "with a grouped score each to compare)", sample), t0, t,
                String.format("%,d of %,d scores differ from the grouped ones", differ, sample)));

        // 3a-c. The fit's three parts one by one (what ChurnModelFit.fit does inside), for the breakdown.
        cpuMark = processCpuNanos();
        t0 = System.nanoTime();
        SummaryGrouping grouping = new SummaryGrouping();
        for (CustomerSummary s : summaries) {
            grouping.add(s);
        }
        List<FrequencyRecencyGroup> purchaseGroups = grouping.frequencyRecencyGroups();
        List<SpendGroup> spendGroups = grouping.spendGroups();
        t = System.nanoTime();
        steps.add(step(progress, "the fit's parts: group", t0, t, String.format("%,d frequency/recency groups, %,d spend groups "
                + "(%,d returning customers)", purchaseGroups.size(), spendGroups.size(),
                spendGroups.stream().mapToLong(SpendGroup::count).sum())));
        t0 = t;
        BgNbdFit purchaseFit = BgNbdFitter.fit(purchaseGroups);
        t = System.nanoTime();
        steps.add(step(progress, "the fit's parts: fit BG/NBD", t0, t, purchaseFit.iterations() + " iterations"));
        t0 = t;
        GammaGammaFit spendFit = GammaGammaFitter.fit(spendGroups);
        t = System.nanoTime();
        steps.add(step(progress, "the fit's parts: fit Gamma-Gamma", t0, t, spendFit.iterations() + " iterations"));
        return steps;
    }

    /** Customer i as the run reads it: a purchase summary (first day, last day, repeat days and spend). */
    private static CustomerHistory history(int i, LocalDate asOf, int[] x, short[] recencyDays, short[] ageDays,
            double[] meanSpend) {
        LocalDate first = asOf.minusDays(ageDays[i]);
        BigDecimal firstSpend = BigDecimal.valueOf(2500, 2);
        BigDecimal repeat = BigDecimal.valueOf(Math.round(meanSpend[i] * 100) * x[i], 2);
        PurchaseSummary p = new PurchaseSummary("EUR", first, firstSpend, first.plusDays(recencyDays[i]), x[i], repeat,
                firstSpend.add(repeat), x[i] + 1L, 1);
        return new CustomerHistory("c_simulated", p, 0, null);
    }

    private static String params(BgNbdParameters p) {
        return String.format(java.util.Locale.ROOT, "BG/NBD r %.3f, α %.3f, a %.3f, b %.3f", p.r(), p.alpha(), p.a(), p.b());
    }

    private static String params(GammaGammaParameters p) {
        return p == null ? "no Gamma-Gamma"
                : String.format(java.util.Locale.ROOT, "Gamma-Gamma p %.3f, q %.3f, v %.3f", p.p(), p.q(), p.v());
    }

    private static long cpuMark;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Step step(Consumer<String> progress, String name, long fromNanos, long toNanos, String detail) {
        long cpu = processCpuNanos();
        Step s = new Step(name, (toNanos - fromNanos) / 1e9, (cpu - cpuMark) / 1e9, detail);
        cpuMark = cpu;
        progress.accept(String.format("model step: %s: %.2f s", name, s.seconds()));
        return s;
    }
}
