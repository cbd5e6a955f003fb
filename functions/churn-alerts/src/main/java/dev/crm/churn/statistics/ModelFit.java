package dev.crm.churn.statistics;

/**
 * A maximum-likelihood fit of a four-parameter purchase-count model (Pareto/NBD, MBG/NBD).
 *
 * @param parameters    the estimates, in the model's own order
 * @param logLikelihood the maximised total log-likelihood
 * @param converged     whether the gradient criterion was met
 */
public record ModelFit<P>(P parameters, double logLikelihood, boolean converged, long customerCount) {
}
