package dev.crm.churn.statistics;

/**
 * Gamma-Gamma spend parameters: a customer's transaction values are Gamma(shape p, rate ν) and ν is
 * Gamma(shape q, rate v) across customers.
 */
public record GammaGammaParameters(double p, double q, double v) {

    public GammaGammaParameters {
        BgNbdParameters.requirePositive("p", p);
        BgNbdParameters.requirePositive("q", q);
        BgNbdParameters.requirePositive("v", v);
    }
}
