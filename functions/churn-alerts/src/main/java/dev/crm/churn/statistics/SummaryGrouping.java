package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Collapses customers with identical summaries into counted groups, so that fitting cost depends on
 * the number of distinct summaries rather than on the number of customers. Only exact duplicates
 * are merged: bucketing continuous times (e.g. days / 7) is the caller's decision.
 *
 * <p>Use the static methods for a collection at hand, or an instance as an accumulator when the
 * customers are produced one by one and should not all be held in memory. Groups come out sorted,
 * so fits do not depend on the order in which customers were added.
 */
public final class SummaryGrouping {

    private static final Comparator<FrequencyRecencyGroup> FREQUENCY_RECENCY_ORDER = Comparator
            .comparingInt(FrequencyRecencyGroup::x)
            .thenComparingDouble(FrequencyRecencyGroup::T)
            .thenComparingDouble(FrequencyRecencyGroup::tx);

    private static final Comparator<SpendGroup> SPEND_ORDER = Comparator
            .comparingInt(SpendGroup::x)
            .thenComparingDouble(SpendGroup::meanRepeatSpend);

    // Counts by the keys' dense indices: no boxed key or map node per customer (KeyIndex).
    private final KeyIndex frequencyRecency = new KeyIndex();
    private long[] frequencyRecencyCounts = new long[1 << 10];
    private final KeyIndex spend = new KeyIndex();
    private long[] spendCounts = new long[1 << 10];
    private long customerCount;

    /** Adds one customer to both groupings (to the spend grouping only if it has positive repeat spend). */
    public void add(CustomerSummary customer) {
        customerCount++;
        countFrequencyRecency(customer);
        if (isSpendModelCustomer(customer)) {
            countSpend(customer);
        }
    }

    private void countFrequencyRecency(CustomerSummary customer) {
        int i = frequencyRecency.indexOf(customer.x(), customer.tx(), customer.T());
        if (i == frequencyRecencyCounts.length) {
            frequencyRecencyCounts = Arrays.copyOf(frequencyRecencyCounts, i * 2);
        }
        frequencyRecencyCounts[i]++;
    }

    private void countSpend(CustomerSummary customer) {
        int i = spend.indexOf(customer.x(), customer.meanRepeatSpend(), 0.0);
        if (i == spendCounts.length) {
            spendCounts = Arrays.copyOf(spendCounts, i * 2);
        }
        spendCounts[i]++;
    }

    public long customerCount() {
        return customerCount;
    }

    public List<FrequencyRecencyGroup> frequencyRecencyGroups() {
        List<FrequencyRecencyGroup> groups = new ArrayList<>(frequencyRecency.size());
        for (int i = 0; i < frequencyRecency.size(); i++) {
            groups.add(new FrequencyRecencyGroup(frequencyRecency.x(i), frequencyRecency.first(i), frequencyRecency.second(i),
                    frequencyRecencyCounts[i]));
        }
        groups.sort(FREQUENCY_RECENCY_ORDER);
        return groups;
    }

    public List<SpendGroup> spendGroups() {
        List<SpendGroup> groups = new ArrayList<>(spend.size());
        for (int i = 0; i < spend.size(); i++) {
            groups.add(new SpendGroup(spend.x(i), spend.first(i), spendCounts[i]));
        }
        groups.sort(SPEND_ORDER);
        return groups;
    }

    /** Groups customers by identical (x, tx, T) for the BG/NBD model. */
    public static List<FrequencyRecencyGroup> byFrequencyRecency(Collection<CustomerSummary> customers) {
        SummaryGrouping grouping = new SummaryGrouping();
        for (CustomerSummary customer : customers) {
            grouping.countFrequencyRecency(customer);
        }
        return grouping.frequencyRecencyGroups();
    }

    /**
     * Groups the customers the Gamma-Gamma model can use (x &gt; 0 and positive mean spend) by
     * identical (x, meanRepeatSpend). Returning customers with zero spend (e.g. fully refunded) are
     * left out because a Gamma spend distribution puts no mass on zero.
     */
    public static List<SpendGroup> bySpend(Collection<CustomerSummary> customers) {
        SummaryGrouping grouping = new SummaryGrouping();
        for (CustomerSummary customer : customers) {
            if (isSpendModelCustomer(customer)) {
                grouping.countSpend(customer);
            }
        }
        return grouping.spendGroups();
    }

    static boolean isSpendModelCustomer(CustomerSummary customer) {
        return customer.x() > 0 && customer.meanRepeatSpend() > 0.0;
    }
}
