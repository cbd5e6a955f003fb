package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Maximum-likelihood estimation of the MBG/NBD parameters from grouped customer summaries. */
public final class MbgNbdFitter {

    private MbgNbdFitter() {
    }

    public static ModelFit<MbgNbdParameters> fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.byFrequencyRecency(customers));
    }

    public static ModelFit<MbgNbdParameters> fit(List<FrequencyRecencyGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no customers to evaluate");
        }
        double total = groups.stream().mapToDouble(FrequencyRecencyGroup::count).sum();
        LogSpaceMaximumLikelihood.Estimate estimate = LogSpaceMaximumLikelihood.maximize(
                NumericalGradient.of(p -> logLikelihood(groups, new MbgNbdParameters(p[0], p[1], p[2], p[3]))),
                total, startingPoints(groups));
        double[] p = estimate.parameters();
        return new ModelFit<>(new MbgNbdParameters(p[0], p[1], p[2], p[3]), estimate.logLikelihood(),
                estimate.converged(), Math.round(total));
    }

    public static double logLikelihood(List<FrequencyRecencyGroup> groups, MbgNbdParameters parameters) {
        MbgNbdModel model = new MbgNbdModel(parameters);
        double sum = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            sum += group.count() * model.logLikelihood(group.x(), group.tx(), group.T());
        }
        return sum;
    }

    private static List<double[]> startingPoints(List<FrequencyRecencyGroup> groups) {
        double purchases = 0.0;
        double exposure = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            purchases += (double) group.x() * group.count();
            exposure += group.T() * group.count();
        }
        double rate = purchases > 0.0 && exposure > 0.0 ? purchases / exposure : 1.0;
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : new double[][] {{1.0, 1.0, 1.0}, {0.5, 0.5, 3.0}}) {
            starts.add(new double[] {shape[0], shape[0] / rate, shape[1], shape[2]});
        }
        return starts;
    }
}
