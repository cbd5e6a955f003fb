package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Maximum-likelihood estimation of the Gamma-Gamma spend parameters from grouped returning customers. */
public final class GammaGammaFitter {

    private GammaGammaFitter() {
    }

    /** Uses the customers with x &gt; 0 and positive mean spend; see {@link SummaryGrouping#bySpend}. */
    public static GammaGammaFit fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.bySpend(customers));
    }

    public static GammaGammaFit fit(List<SpendGroup> groups) {
        GammaGammaLikelihood likelihood = new GammaGammaLikelihood(groups);
        LogSpaceMaximumLikelihood.Estimate estimate = LogSpaceMaximumLikelihood.maximize(
                (parameters, gradient) -> likelihood.valueAndGradient(parameters[0], parameters[1], parameters[2], gradient),
                likelihood.totalWeight(),
                startingPoints(groups));
        double[] p = estimate.parameters();
        double[] se = estimate.standardErrors();
        return new GammaGammaFit(
                new GammaGammaParameters(p[0], p[1], p[2]),
                new GammaGammaStandardErrors(se[0], se[1], se[2]),
                estimate.logLikelihood(),
                estimate.iterations(),
                estimate.converged(),
                Math.round(likelihood.totalWeight()));
    }

    /**
     * Fixed starts for (p, q); v is chosen so that the prior mean spend vp/(q−1) equals the observed
     * mean, which makes the starts independent of the currency unit.
     */
    private static List<double[]> startingPoints(List<SpendGroup> groups) {
        double spend = 0.0;
        double customers = 0.0;
        for (SpendGroup group : groups) {
            spend += group.meanRepeatSpend() * group.count();
            customers += group.count();
        }
        double meanSpend = spend / customers;
        double[][] shapes = {
            // p, q
            {1.0, 2.0},
            {5.0, 4.0},
            {0.5, 1.5},
        };
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : shapes) {
            starts.add(new double[] {shape[0], shape[1], meanSpend * (shape[1] - 1.0) / shape[0]});
        }
        return starts;
    }
}
