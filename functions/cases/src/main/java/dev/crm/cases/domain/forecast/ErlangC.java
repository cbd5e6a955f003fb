package dev.crm.cases.domain.forecast;

/**
 * Erlang C staffing: the fewest agents that answer {@code serviceLevel} of the calls within
 * {@code answerWithinSeconds} when calls arrive at random (Poisson) and take {@code handleTimeSeconds}
 * on average, and at least as many as the occupancy cap requires (traffic / agents ≤ cap).
 */
public final class ErlangC {
    /** Far beyond any desk; the search stops here rather than loop on absurd input. */
    public static final int MAX_AGENTS = 100_000;

    private ErlangC() {}

    /**
     * The probability that a call waits, C(N, A), for {@code agents} N and offered traffic A (Erlangs).
     * Computed from the terms A^k/k! in log space, so large traffic neither overflows nor underflows.
     */
    public static double waitProbability(int agents, double traffic) {
        if (traffic <= 0) {
            return 0;
        }
        if (agents <= traffic) {
            return 1;
        }
        double logA = Math.log(traffic);
        double[] logTerms = new double[agents + 1];
        double logFactorial = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= agents; k++) {
            if (k > 0) {
                logFactorial += Math.log(k);
            }
            logTerms[k] = k * logA - logFactorial;
            max = Math.max(max, logTerms[k]);
        }
        double below = 0;
        for (int k = 0; k < agents; k++) {
            below += Math.exp(logTerms[k] - max);
        }
        double top = Math.exp(logTerms[agents] - max) * agents / (agents - traffic);
        return top / (below + top);
    }

    /** The share of calls answered within {@code answerWithin} seconds. */
    public static double serviceLevel(int agents, double traffic, double answerWithin, double handleTime) {
        if (traffic <= 0) {
            return 1;
        }
        if (agents <= traffic) {
            return 0;
        }
        return 1 - waitProbability(agents, traffic) * Math.exp(-(agents - traffic) * answerWithin / handleTime);
    }

    /**
     * @param expected        calls expected in the interval
     * @param intervalSeconds the interval's length (the traffic is its average over it)
     * @return the agents the interval needs; 0 when no call is expected
     */
    public static int agentsNeeded(double expected, double intervalSeconds, double serviceLevel,
            double answerWithinSeconds, double handleTimeSeconds, double maxOccupancy) {
        double traffic = expected * handleTimeSeconds / intervalSeconds;
        if (traffic <= 0) {
            return 0;
        }
        int n = Math.max(1, (int) Math.floor(traffic) + 1);
        // the occupancy cap: traffic / n <= cap (a small tolerance so 8.5 / 10 = 0.85 is allowed)
        int byOccupancy = (int) Math.ceil(traffic / maxOccupancy - 1e-9);
        n = Math.max(n, byOccupancy);
        while (n < MAX_AGENTS && serviceLevel(n, traffic, answerWithinSeconds, handleTimeSeconds) < serviceLevel) {
            n++;
        }
        return n;
    }
}
