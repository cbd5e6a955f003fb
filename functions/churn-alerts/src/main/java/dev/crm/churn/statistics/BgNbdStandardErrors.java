package dev.crm.churn.statistics;

/**
 * Asymptotic standard errors of the BG/NBD maximum-likelihood estimates, from the inverse of the
 * observed information (the Hessian of the negative log-likelihood). NaN when that Hessian is not
 * positive definite, e.g. when the optimum lies on the boundary of the parameter space.
 */
public record BgNbdStandardErrors(double r, double alpha, double a, double b) {
}
