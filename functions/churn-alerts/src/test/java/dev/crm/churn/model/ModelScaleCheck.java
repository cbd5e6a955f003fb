package dev.crm.churn.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Not a test: a manual timing run showing that a 10-million-customer base fits in seconds once
 * summaries are bucketed to days and grouped. Run after {@code mvn test-compile} with
 * {@code java -cp target/classes:target/test-classes dev.crm.churn.model.ModelScaleCheck [customers]}.
 */
public final class ModelScaleCheck {

    private static final BgNbdParameters TRUE_PURCHASES = new BgNbdParameters(0.25, 4.0, 0.8, 2.5);
    private static final GammaGammaParameters TRUE_SPEND = new GammaGammaParameters(6.0, 4.0, 15.0);
    private static final int MAX_AGE_DAYS = 365;
    private static final double FORECAST_WEEKS = 39.0;
    private static final int CLV_MONTHS = 12;
    private static final double MONTHLY_DISCOUNT = 0.01;

    private ModelScaleCheck() {
    }

    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        System.out.printf("customers: %,d, cores: %d, max heap: %,d MB%n", customers,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

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
        long simulated = System.nanoTime();
        report("simulate", start, simulated);

        // 2. Group.
        SummaryGrouping grouping = new SummaryGrouping();
        for (int i = 0; i < customers; i++) {
            grouping.add(new CustomerSummary(x[i], recencyDays[i] / 7.0, ageDays[i] / 7.0, meanSpend[i]));
        }
        List<FrequencyRecencyGroup> purchaseGroups = grouping.frequencyRecencyGroups();
        List<SpendGroup> spendGroups = grouping.spendGroups();
        long grouped = System.nanoTime();
        report("group", simulated, grouped);
        System.out.printf("  %,d frequency/recency groups, %,d spend groups (%,d returning customers)%n",
                purchaseGroups.size(), spendGroups.size(), spendGroups.stream().mapToLong(SpendGroup::count).sum());

        // 3. Fit both models.
        BgNbdFit purchaseFit = BgNbdFitter.fit(purchaseGroups);
        long purchasesFitted = System.nanoTime();
        report("fit BG/NBD", grouped, purchasesFitted);
        System.out.println("  " + purchaseFit);
        GammaGammaFit spendFit = GammaGammaFitter.fit(spendGroups);
        long spendFitted = System.nanoTime();
        report("fit Gamma-Gamma", purchasesFitted, spendFitted);
        System.out.println("  " + spendFit);

        // 4. Score: the purchase forecasts depend only on the group, spend only on (x, mean spend).
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
        long groupsScored = System.nanoTime();
        report("score groups (P(alive), 39-week forecast, 12-month discounted purchases)", spendFitted, groupsScored);
        double totalAlive = 0.0;
        double totalForecast = 0.0;
        double totalValue = 0.0;
        for (int i = 0; i < customers; i++) {
            int g = groupIndex.get(key(x[i], recencyDays[i], ageDays[i]));
            totalAlive += pAlive[g];
            totalForecast += forecast[g];
            totalValue += discountedPurchases[g] * spend.expectedAverageSpend(x[i], meanSpend[i]);
        }
        long customersScored = System.nanoTime();
        report("score customers (look up group, times expected spend)", groupsScored, customersScored);
        System.out.printf("  expected active: %,.0f, purchases next %.0f weeks: %,.0f, 12-month CLV total: %,.0f%n",
                totalAlive, FORECAST_WEEKS, totalForecast, totalValue);
        report("total", start, customersScored);
    }

    private static long key(int x, int recencyDays, int ageDays) {
        return ((long) x << 20) | ((long) recencyDays << 10) | ageDays;
    }

    private static void report(String step, long fromNanos, long toNanos) {
        System.out.printf("%-75s %8.2f s%n", step, (toNanos - fromNanos) / 1e9);
    }
}
