package dev.crm.churn.statistics;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the fitters of the four-parameter purchase-count models share: the data's scale for their
 * starting points and the maximisation over grouped summaries with an analytic gradient.
 */
final class GroupedMaximumLikelihood {

    /** Adds one group's log-likelihood (times its count) and gradient at natural parameters. */
    interface GroupTerm<M> {
        double add(M model, FrequencyRecencyGroup group, double[] gradient);
    }

    private GroupedMaximumLikelihood() {
    }

    /** Repeat purchases per unit of time over all customers: starts tie α to it so any time unit suits. */
    static double purchaseRate(List<FrequencyRecencyGroup> groups) {
        double purchases = 0.0;
        double exposure = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            purchases += (double) group.x() * group.count();
            exposure += group.T() * group.count();
        }
        return purchases > 0.0 && exposure > 0.0 ? purchases / exposure : 1.0;
    }

    /** Mean age T of the customers. */
    static double meanAge(List<FrequencyRecencyGroup> groups) {
        double exposure = 0.0;
        double customers = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            exposure += group.T() * group.count();
            customers += group.count();
        }
        return exposure > 0.0 ? exposure / customers : 1.0;
    }

    /** Sum over the groups of count × log-likelihood; gradient (d/d parameter) written into gradient. */
    static <M> double sum(List<FrequencyRecencyGroup> groups, M model, GroupTerm<M> term, double[] gradient) {
        Arrays.fill(gradient, 0.0);
        double value = 0.0;
        for (FrequencyRecencyGroup group : groups) {
            value += term.add(model, group, gradient);
        }
        return value;
    }

    static <P, M> ModelFit<P> fit(List<FrequencyRecencyGroup> groups, Function<double[], P> parameters,
                                  Function<P, M> model, GroupTerm<M> term, List<double[]> starts) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no customers to evaluate");
        }
        double total = groups.stream().mapToDouble(FrequencyRecencyGroup::count).sum();
        LogSpaceMaximumLikelihood.Estimate estimate = LogSpaceMaximumLikelihood.maximize(
                (p, gradient) -> sum(groups, model.apply(parameters.apply(p)), term, gradient), total, starts);
        return new ModelFit<>(parameters.apply(estimate.parameters()), estimate.logLikelihood(),
                estimate.converged(), Math.round(total));
    }
}
