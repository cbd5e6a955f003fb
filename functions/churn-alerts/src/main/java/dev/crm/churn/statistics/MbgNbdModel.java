package dev.crm.churn.statistics;

/**
 * The MBG/NBD model (Batislam, Denizel &amp; Filiztekin 2007): BG/NBD where a customer may also drop
 * out right after the first purchase, so one-time buyers are not all alive.
 *
 * <p>Likelihood: Γ(r+x)α^r/Γ(r) · [ B(a, b+x+1)/B(a,b) (α+T)^−(r+x) + B(a+1, b+x)/B(a,b) (α+tx)^−(r+x) ].
 * P(alive) = 1 / (1 + a/(b+x) ((α+T)/(α+tx))^(r+x)). The expectation for an alive customer is BG/NBD's
 * with b + 1 in place of b, so {@link BgNbdModel} computes it.
 */
public final class MbgNbdModel implements PurchaseCountModel {

    private final MbgNbdParameters parameters;
    private final BgNbdModel shiftedBgNbd;

    public MbgNbdModel(MbgNbdParameters parameters) {
        this.parameters = parameters;
        this.shiftedBgNbd = new BgNbdModel(new BgNbdParameters(parameters.r(), parameters.alpha(), parameters.a(),
                parameters.b() + 1.0));
    }

    public MbgNbdParameters parameters() {
        return parameters;
    }

    public double logLikelihood(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        double r = parameters.r();
        double alpha = parameters.alpha();
        double a = parameters.a();
        double b = parameters.b();
        double logBetaAB = SpecialFunctions.logBeta(a, b);
        double common = SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * Math.log(alpha);
        double alive = SpecialFunctions.logBeta(a, b + x + 1.0) - logBetaAB - (r + x) * Math.log(alpha + T);
        double dropped = SpecialFunctions.logBeta(a + 1.0, b + x) - logBetaAB - (r + x) * Math.log(alpha + tx);
        return common + SpecialFunctions.logSumExp(alive, dropped);
    }

    public double pAlive(int x, double tx, double T) {
        CustomerSummary.validateFrequencyRecency(x, tx, T);
        double logOddsDropped = Math.log(parameters.a()) - Math.log(parameters.b() + x)
                + (parameters.r() + x) * Math.log1p((T - tx) / (parameters.alpha() + tx));
        return logOddsDropped >= 0.0 ? Math.exp(-logOddsDropped) / (1.0 + Math.exp(-logOddsDropped))
                : 1.0 / (1.0 + Math.exp(logOddsDropped));
    }

    @Override
    public double pAlive(CustomerSummary customer) {
        return pAlive(customer.x(), customer.tx(), customer.T());
    }

    public double expectedPurchases(double t, int x, double tx, double T) {
        return pAlive(x, tx, T) * shiftedBgNbd.purchasesIfActive(t, x, parameters.alpha() + T);
    }

    @Override
    public double expectedPurchases(double t, CustomerSummary customer) {
        return expectedPurchases(t, customer.x(), customer.tx(), customer.T());
    }
}
