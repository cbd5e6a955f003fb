package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Maximum-likelihood estimation of the Pareto/NBD parameters from grouped customer summaries. */
public final class ParetoNbdFitter {

    private ParetoNbdFitter() {
    }

    public static ModelFit<ParetoNbdParameters> fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.byFrequencyRecency(customers));
    }

    public static ModelFit<ParetoNbdParameters> fit(List<FrequencyRecencyGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no customers to evaluate");
        }
        double total = groups.stream().mapToDouble(FrequencyRecencyGroup::count).sum();
        LogSpaceMaximumLikelihood.Estimate estimate = LogSpaceMaximumLikelihood.maximize(
                NumericalGradient.of(p -> logLikelihood(groups, new ParetoNbdParameters(p[0], p[1], p[2], p[3]))),
                total, startingPoints(groups));
        double[] p = estimate.parameters();
        return new ModelFit<>(new ParetoNbdParameters(p[0], p[1], p[2], p[3]), estimate.logLikelihood(),
                estimate.converged(), Math.round(total));
    }

    public static double logLikelihood(List<FrequencyRecencyGroup> groups, ParetoNbdParameters parameters) {
        ParetoNbdModel model = new ParetoNbdModel(parameters);
        double sum = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            sum += group.count() * model.logLikelihood(group.x(), group.tx(), group.T());
        }
        return sum;
    }

    /** As for BG/NBD: α (and β) tied to the data's time scale so the starts suit any unit. */
    private static List<double[]> startingPoints(List<FrequencyRecencyGroup> groups) {
        double purchases = 0.0;
        double exposure = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            purchases += (double) group.x() * group.count();
            exposure += group.T() * group.count();
        }
        double rate = purchases > 0.0 && exposure > 0.0 ? purchases / exposure : 1.0;
        double meanAge = exposure > 0.0 ? exposure / groups.stream().mapToDouble(FrequencyRecencyGroup::count).sum() : 1.0;
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : new double[][] {{1.0, 1.0}, {0.5, 0.5}}) {
            starts.add(new double[] {shape[0], shape[0] / rate, shape[1], shape[1] * Math.max(meanAge, 1e-6)});
        }
        return starts;
    }
}
