package dev.crm.churn.statistics;

/**
 * Asymptotic standard errors of the Gamma-Gamma maximum-likelihood estimates (inverse observed
 * information); NaN when the Hessian is not positive definite.
 */
public record GammaGammaStandardErrors(double p, double q, double v) {
}
