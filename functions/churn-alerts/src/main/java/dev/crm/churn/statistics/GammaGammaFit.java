package dev.crm.churn.statistics;

/**
 * Result of a Gamma-Gamma maximum-likelihood fit.
 *
 * @param customerCount number of returning customers with positive spend the fit used
 */
public record GammaGammaFit(GammaGammaParameters parameters, GammaGammaStandardErrors standardErrors,
                            double logLikelihood, int iterations, boolean converged, long customerCount) {

    public GammaGammaModel model() {
        return new GammaGammaModel(parameters);
    }
}
