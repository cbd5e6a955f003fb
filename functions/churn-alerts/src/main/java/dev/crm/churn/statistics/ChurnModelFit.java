package dev.crm.churn.statistics;

import java.util.List;

/**
 * Both models fitted on one customer base: the entry point for the scoring job.
 *
 * @param gammaGamma               null when fewer than {@link #MINIMUM_RETURNING_CUSTOMERS}
 *                                 customers have repeat purchases with positive spend
 * @param gammaGammaStandardErrors null exactly when {@code gammaGamma} is
 */
public record ChurnModelFit(BgNbdParameters bgNbd, BgNbdStandardErrors bgNbdStandardErrors,
                            GammaGammaParameters gammaGamma, GammaGammaStandardErrors gammaGammaStandardErrors) {

    /** Below this many returning customers three spend parameters are too poorly determined to use. */
    public static final int MINIMUM_RETURNING_CUSTOMERS = 50;

    public ChurnModelFit {
        if (bgNbd == null || bgNbdStandardErrors == null) {
            throw new IllegalArgumentException("BG/NBD parameters and standard errors are required");
        }
        if ((gammaGamma == null) != (gammaGammaStandardErrors == null)) {
            throw new IllegalArgumentException("Gamma-Gamma parameters and standard errors come together");
        }
    }

    public static ChurnModelFit fit(List<CustomerSummary> customers) {
        SummaryGrouping grouping = new SummaryGrouping();
        customers.forEach(grouping::add);
        BgNbdFit purchases = BgNbdFitter.fit(grouping.frequencyRecencyGroups());
        List<SpendGroup> spendGroups = grouping.spendGroups();
        long returning = spendGroups.stream().mapToLong(SpendGroup::count).sum();
        if (returning < MINIMUM_RETURNING_CUSTOMERS) {
            return new ChurnModelFit(purchases.parameters(), purchases.standardErrors(), null, null);
        }
        GammaGammaFit spend = GammaGammaFitter.fit(spendGroups);
        return new ChurnModelFit(purchases.parameters(), purchases.standardErrors(),
                spend.parameters(), spend.standardErrors());
    }

    public boolean hasSpendModel() {
        return gammaGamma != null;
    }
}
