package dev.crm.churn.statistics;

/**
 * What the models need to know about one customer, in the recency/frequency form of Fader, Hardie
 * &amp; Lee: everything is measured from the customer's first purchase, in one time unit (weeks
 * throughout this library's documentation and tests).
 *
 * @param x               number of repeat purchases (purchases after the first one)
 * @param tx              recency: time from the first purchase to the last one (0 when x = 0)
 * @param T               age: time from the first purchase to the end of the observation period
 * @param meanRepeatSpend mean spend of the repeat purchases; 0 when x = 0
 */
public record CustomerSummary(int x, double tx, double T, double meanRepeatSpend) {

    public CustomerSummary {
        validateFrequencyRecency(x, tx, T);
        if (!Double.isFinite(meanRepeatSpend) || meanRepeatSpend < 0.0) {
            throw new IllegalArgumentException("meanRepeatSpend must be finite and >= 0, got " + meanRepeatSpend);
        }
        // Adding +0.0 turns -0.0 into 0.0 so that grouping by value does not split equal customers.
        tx += 0.0;
        T += 0.0;
        meanRepeatSpend += 0.0;
    }

    /** Checks the rules every (x, tx, T) triple must satisfy, wherever it comes from. */
    static void validateFrequencyRecency(int x, double tx, double T) {
        if (x < 0) {
            throw new IllegalArgumentException("x must be >= 0, got " + x);
        }
        if (!Double.isFinite(tx) || !Double.isFinite(T)) {
            throw new IllegalArgumentException("tx and T must be finite, got tx=" + tx + ", T=" + T);
        }
        if (tx < 0.0 || tx > T) {
            throw new IllegalArgumentException("need 0 <= tx <= T, got tx=" + tx + ", T=" + T);
        }
        if (x == 0 && tx != 0.0) {
            throw new IllegalArgumentException("a customer without repeat purchases has tx = 0, got " + tx);
        }
    }

    /** A customer for whom spend is not tracked (spend 0). */
    public static CustomerSummary ofFrequencyRecency(int x, double tx, double T) {
        return new CustomerSummary(x, tx, T, 0.0);
    }
}
