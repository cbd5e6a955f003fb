package dev.crm.churn.statistics;

/** All returning customers with the same number of repeat purchases and the same mean spend. */
public record SpendGroup(int x, double meanRepeatSpend, long count) {

    public SpendGroup {
        if (x < 1) {
            throw new IllegalArgumentException("spend groups need x >= 1, got " + x);
        }
        if (!Double.isFinite(meanRepeatSpend) || !(meanRepeatSpend > 0.0)) {
            throw new IllegalArgumentException("meanRepeatSpend must be positive and finite, got " + meanRepeatSpend);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
    }
}
