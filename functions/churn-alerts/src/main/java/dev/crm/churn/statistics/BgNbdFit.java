package dev.crm.churn.statistics;

/**
 * Result of a BG/NBD maximum-likelihood fit.
 *
 * @param parameters     the estimates
 * @param standardErrors asymptotic standard errors (inverse observed information)
 * @param logLikelihood  the maximised total log-likelihood
 * @param iterations     BFGS iterations over all starts and restarts
 * @param converged      whether the gradient criterion was met (false hints at a boundary optimum)
 * @param customerCount  number of customers the fit used
 */
public record BgNbdFit(BgNbdParameters parameters, BgNbdStandardErrors standardErrors, double logLikelihood,
                       int iterations, boolean converged, long customerCount) {

    public BgNbdModel model() {
        return new BgNbdModel(parameters);
    }
}
