package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private record FrequencyRecencyKey(int x, double tx, double T) {
    }

    private record SpendKey(int x, double meanRepeatSpend) {
    }

    private static final Comparator<FrequencyRecencyGroup> FREQUENCY_RECENCY_ORDER = Comparator
            .comparingInt(FrequencyRecencyGroup::x)
            .thenComparingDouble(FrequencyRecencyGroup::T)
            .thenComparingDouble(FrequencyRecencyGroup::tx);

    private static final Comparator<SpendGroup> SPEND_ORDER = Comparator
            .comparingInt(SpendGroup::x)
            .thenComparingDouble(SpendGroup::meanRepeatSpend);

    // long[1] as a mutable counter avoids re-boxing on every duplicate.
    private final Map<FrequencyRecencyKey, long[]> frequencyRecencyCounts = new HashMap<>();
    private final Map<SpendKey, long[]> spendCounts = new HashMap<>();
    private long customerCount;

    /** Adds one customer to both groupings (to the spend grouping only if it has positive repeat spend). */
    public void add(CustomerSummary customer) {
        customerCount++;
        frequencyRecencyCounts
                .computeIfAbsent(new FrequencyRecencyKey(customer.x(), customer.tx(), customer.T()), k -> new long[1])[0]++;
        if (isSpendModelCustomer(customer)) {
            spendCounts.computeIfAbsent(new SpendKey(customer.x(), customer.meanRepeatSpend()), k -> new long[1])[0]++;
        }
    }

    public long customerCount() {
        return customerCount;
    }

    public List<FrequencyRecencyGroup> frequencyRecencyGroups() {
        List<FrequencyRecencyGroup> groups = new ArrayList<>(frequencyRecencyCounts.size());
        frequencyRecencyCounts.forEach((key, count) ->
                groups.add(new FrequencyRecencyGroup(key.x(), key.tx(), key.T(), count[0])));
        groups.sort(FREQUENCY_RECENCY_ORDER);
        return groups;
    }

    public List<SpendGroup> spendGroups() {
        List<SpendGroup> groups = new ArrayList<>(spendCounts.size());
        spendCounts.forEach((key, count) -> groups.add(new SpendGroup(key.x(), key.meanRepeatSpend(), count[0])));
        groups.sort(SPEND_ORDER);
        return groups;
    }

    /** Groups customers by identical (x, tx, T) for the BG/NBD model. */
    public static List<FrequencyRecencyGroup> byFrequencyRecency(Collection<CustomerSummary> customers) {
        SummaryGrouping grouping = new SummaryGrouping();
        for (CustomerSummary customer : customers) {
            grouping.frequencyRecencyCounts
                    .computeIfAbsent(new FrequencyRecencyKey(customer.x(), customer.tx(), customer.T()), k -> new long[1])[0]++;
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
                grouping.spendCounts
                        .computeIfAbsent(new SpendKey(customer.x(), customer.meanRepeatSpend()), k -> new long[1])[0]++;
            }
        }
        return grouping.spendGroups();
    }

    static boolean isSpendModelCustomer(CustomerSummary customer) {
        return customer.x() > 0 && customer.meanRepeatSpend() > 0.0;
    }
}
