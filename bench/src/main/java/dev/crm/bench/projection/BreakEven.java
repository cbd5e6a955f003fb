package dev.crm.bench.projection;

/**
 * Money at on-demand prices: what a projection saves on an update against what it adds to a list
 * page, and the ratio of list pages to updates at which the two are equal.
 *
 * @param writePerMillion price of one million write request units (USD)
 * @param readPerMillion price of one million read request units (USD)
 */
public record BreakEven(double writePerMillion, double readPerMillion) {
    /**
     * US East (N. Virginia), standard table class, on-demand, since the price cut of November 2024:
     * $0.625 per million WRU, $0.125 per million RRU (the report cites the page).
     */
    public static final BreakEven US_EAST_1 = new BreakEven(0.625, 0.125);

    /** USD for these units. */
    public double cost(double readUnits, double writeUnits) {
        return (readUnits * readPerMillion + writeUnits * writePerMillion) / 1e6;
    }

    /**
     * List pages per update at which the projection costs what ALL costs: the update's saving
     * ({@code updateAll - updateOther} WCU) divided by a page's extra ({@code pageOther - pageAll} RCU),
     * both in money. Positive infinity when pages cost no more and the update no more either (the
     * projection always pays); zero when the update saves nothing and pages cost no less (it never
     * pays); NaN when neither changes.
     * Fewer pages per update than the result: the projection is cheaper.
     */
    public double pagesPerUpdate(double updateAll, double updateOther, double pageAll, double pageOther) {
        double saving = (updateAll - updateOther) * writePerMillion;
        double extra = (pageOther - pageAll) * readPerMillion;
        if (saving == 0 && extra == 0) {
            return Double.NaN;
        }
        if (saving >= 0 && extra <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (saving <= 0 && extra >= 0) {
            return 0;
        }
        // both positive: a ratio; both negative (dearer writes, cheaper pages) does not occur here
        return saving > 0 ? saving / extra : Double.NaN;
    }

    /** Read units of one eventually consistent read of this many bytes (per started 4 KB, halved). */
    public static double eventualReadUnits(long bytes) {
        return 0.5 * Math.max(1, (bytes + 4095) / 4096);
    }
}
