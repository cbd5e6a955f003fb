package dev.crm.churn.statistics;

/**
 * All customers with the same (x, tx, T); the BG/NBD likelihood depends on nothing else, so a group
 * contributes count times one customer's log-likelihood.
 */
public record FrequencyRecencyGroup(int x, double tx, double T, long count) {

    public FrequencyRecencyGroup {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        tx += 0.0; // -0.0 and 0.0 must be the same group
        T += 0.0;
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
    }
}
