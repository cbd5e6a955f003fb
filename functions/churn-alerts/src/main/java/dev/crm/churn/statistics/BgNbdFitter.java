package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Maximum-likelihood estimation of the BG/NBD parameters from grouped customer summaries. */
public final class BgNbdFitter {

    private BgNbdFitter() {
    }

    /** Groups identical (x, tx, T) first; see {@link SummaryGrouping}. */
    public static BgNbdFit fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.byFrequencyRecency(customers));
    }

    public static BgNbdFit fit(List<FrequencyRecencyGroup> groups) {
        BgNbdLikelihood likelihood = new BgNbdLikelihood(groups);
        LogSpaceMaximumLikelihood.Estimate estimate = LogSpaceMaximumLikelihood.maximize(
                (parameters, gradient) -> likelihood.valueAndGradient(
                        parameters[0], parameters[1], parameters[2], parameters[3], gradient),
                likelihood.totalWeight(),
                startingPoints(groups));
        double[] p = estimate.parameters();
        double[] se = estimate.standardErrors();
        return new BgNbdFit(
                new BgNbdParameters(p[0], p[1], p[2], p[3]),
                new BgNbdStandardErrors(se[0], se[1], se[2], se[3]),
                estimate.logLikelihood(),
                estimate.iterations(),
                estimate.converged(),
                Math.round(likelihood.totalWeight()));
    }

    /**
     * A few fixed, spread-out starts. α is tied to the observed purchase rate so that the starts
     * are sensible whatever the time unit: the prior mean rate r/α then matches the data.
     */
    private static List<double[]> startingPoints(List<FrequencyRecencyGroup> groups) {
        double rate = GroupedMaximumLikelihood.purchaseRate(groups);
        double[][] shapes = {
            // r, a, b
            {1.0, 1.0, 1.0},
            {0.5, 0.5, 3.0},
            {2.0, 2.0, 8.0},
        };
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : shapes) {
            starts.add(new double[] {shape[0], shape[0] / rate, shape[1], shape[2]});
        }
        return starts;
    }
}
