package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Maximum-likelihood estimation of the MBG/NBD parameters from grouped customer summaries, with the
 * analytic gradient of {@link MbgNbdModel#addLogLikelihoodAndGradient}.
 */
public final class MbgNbdFitter {

    private MbgNbdFitter() {
    }

    public static ModelFit<MbgNbdParameters> fitCustomers(Collection<CustomerSummary> customers) {
        return fit(SummaryGrouping.byFrequencyRecency(customers));
    }

    public static ModelFit<MbgNbdParameters> fit(List<FrequencyRecencyGroup> groups) {
        return GroupedMaximumLikelihood.fit(groups, p -> new MbgNbdParameters(p[0], p[1], p[2], p[3]),
                MbgNbdModel::new, MbgNbdFitter::addGroup, startingPoints(groups));
    }

    public static double logLikelihood(List<FrequencyRecencyGroup> groups, MbgNbdParameters parameters) {
        return logLikelihoodAndGradient(groups, parameters, new double[4]);
    }

    /** The total log-likelihood and its gradient in (r, α, a, b). */
    static double logLikelihoodAndGradient(List<FrequencyRecencyGroup> groups, MbgNbdParameters parameters,
                                           double[] gradient) {
        return GroupedMaximumLikelihood.sum(groups, new MbgNbdModel(parameters), MbgNbdFitter::addGroup, gradient);
    }

    private static double addGroup(MbgNbdModel model, FrequencyRecencyGroup group, double[] gradient) {
        return model.addLogLikelihoodAndGradient(group.x(), group.tx(), group.T(), group.count(), gradient);
    }

    private static List<double[]> startingPoints(List<FrequencyRecencyGroup> groups) {
        double rate = GroupedMaximumLikelihood.purchaseRate(groups);
        List<double[]> starts = new ArrayList<>();
        for (double[] shape : new double[][] {{1.0, 1.0, 1.0}, {0.5, 0.5, 3.0}}) {
            starts.add(new double[] {shape[0], shape[0] / rate, shape[1], shape[2]});
        }
        return starts;
    }
}
