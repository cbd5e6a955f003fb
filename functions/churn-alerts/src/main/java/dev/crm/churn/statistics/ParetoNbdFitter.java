package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Maximum-likelihood estimation of the Pareto/NBD parameters from grouped customer summaries, with
 * the analytic gradient of {@link ParetoNbdModel#addLogLikelihoodAndGradient}.
 */
public final class ParetoNbdFitter {

    private ParetoNbdFitter() {
    }

    public static ModelFit<ParetoNbdParameters> fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.byFrequencyRecency(customers));
    }

    public static ModelFit<ParetoNbdParameters> fit(List<FrequencyRecencyGroup> groups) {
        return GroupedMaximumLikelihood.fit(groups, p -> new ParetoNbdParameters(p[0], p[1], p[2], p[3]),
                ParetoNbdModel::new, ParetoNbdFitter::addGroup, startingPoints(groups));
    }

    /** The total log-likelihood by the closed form (₂F₁ where it is accurate). */
    public static double logLikelihood(List<FrequencyRecencyGroup> groups, ParetoNbdParameters parameters) {
        ParetoNbdModel model = new ParetoNbdModel(parameters);
        double sum = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            sum += group.count() * model.logLikelihood(group.x(), group.tx(), group.T());
        }
        return sum;
    }

    /** The total log-likelihood as the fit computes it (quadrature) and its gradient in (r, α, s, β). */
    static double logLikelihoodAndGradient(List<FrequencyRecencyGroup> groups, ParetoNbdParameters parameters,
                                           double[] gradient) {
        return GroupedMaximumLikelihood.sum(groups, new ParetoNbdModel(parameters), ParetoNbdFitter::addGroup, gradient);
    }

    private static double addGroup(ParetoNbdModel model, FrequencyRecencyGroup group, double[] gradient) {
        return model.addLogLikelihoodAndGradient(group.x(), group.tx(), group.T(), group.count(), gradient);
    }

    /** As for BG/NBD: α (and β) tied to the data's time scale so the starts suit any unit. */
    private static List<double[]> startingPoints(List<FrequencyRecencyGroup> groups) {
        double rate = GroupedMaximumLikelihood.purchaseRate(groups);
        double meanAge = Math.max(GroupedMaximumLikelihood.meanAge(groups), 1e-6);
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : new double[][] {{1.0, 1.0}, {0.5, 0.5}}) {
            starts.add(new double[] {shape[0], shape[0] / rate, shape[1], shape[1] * meanAge});
        }
        return starts;
    }
}
