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

    private static final int PER_FREQUENCY_CACHE = 256;

    private final MbgNbdParameters parameters;
    /** Per x below {@link #PER_FREQUENCY_CACHE}, see {@link #perFrequency}; filled by the (single-threaded) fit. */
    private double[][] perFrequency;
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

    /**
     * One customer's log-likelihood times {@code weight}, its gradient in (r, α, a, b) added into
     * {@code gradient}; pA and pD are the shares of "alive" and "dropped after the last purchase":
     * d/dr = ψ(r+x) − ψ(r) + log α − pA log(α+T) − pD log(α+tx), d/dα = r/α − (r+x)(pA/(α+T) + pD/(α+tx)),
     * and d/da, d/db from d log B(p, q)/dp = ψ(p) − ψ(p+q).
     */
    double addLogLikelihoodAndGradient(int x, double tx, double T, double weight, double[] gradient) {
        double r = parameters.r();
        double alpha = parameters.alpha();
        double[] k = perFrequency(x);
        double logAlpha = Math.log(alpha);
        double logAlphaT = Math.log(alpha + T);
        double logAlphaTx = Math.log(alpha + tx);
        double alive = k[1] - (r + x) * logAlphaT;
        double dropped = k[2] - (r + x) * logAlphaTx;
        double total = SpecialFunctions.logSumExp(alive, dropped);
        double pA = Math.exp(alive - total);
        double pD = Math.exp(dropped - total);
        gradient[0] += weight * (k[3] - pA * logAlphaT - pD * logAlphaTx);
        gradient[1] += weight * (r / alpha - (r + x) * (pA / (alpha + T) + pD / (alpha + tx)));
        gradient[2] += weight * (pA * k[4] + pD * k[6]);
        gradient[3] += weight * (pA * k[5] + pD * k[7]);
        return weight * (k[0] + total);
    }

    /**
     * The terms that depend on x only, computed once per x for this model's parameters (a fit makes a
     * model per evaluation and has few distinct x): log Γ(r+x) − log Γ(r) + r log α; the two beta
     * ratios log B(a, b+x+1) − log B(a, b) and log B(a+1, b+x) − log B(a, b); the r-derivative
     * ψ(r+x) − ψ(r) + log α; and the ratios' a- and b-derivatives (d log B(p, q)/dp = ψ(p) − ψ(p+q)).
     */
    private double[] perFrequency(int x) {
        if (perFrequency == null) {
            perFrequency = new double[PER_FREQUENCY_CACHE][];
        }
        if (x < PER_FREQUENCY_CACHE && perFrequency[x] != null) {
            return perFrequency[x];
        }
        double r = parameters.r();
        double a = parameters.a();
        double b = parameters.b();
        double logBetaAB = SpecialFunctions.logBeta(a, b);
        double digammaAB = SpecialFunctions.digamma(a + b);
        double digammaABX = SpecialFunctions.digamma(a + b + x + 1.0);
        double digammaB = SpecialFunctions.digamma(b);
        double[] k = {
            SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * Math.log(parameters.alpha()),
            SpecialFunctions.logBeta(a, b + x + 1.0) - logBetaAB,
            SpecialFunctions.logBeta(a + 1.0, b + x) - logBetaAB,
            SpecialFunctions.digamma(r + x) - SpecialFunctions.digamma(r) + Math.log(parameters.alpha()),
            -digammaABX + digammaAB,
            SpecialFunctions.digamma(b + x + 1.0) - digammaABX - digammaB + digammaAB,
            SpecialFunctions.digamma(a + 1.0) - digammaABX - SpecialFunctions.digamma(a) + digammaAB,
            SpecialFunctions.digamma(b + x) - digammaABX - digammaB + digammaAB,
        };
        if (x < PER_FREQUENCY_CACHE) {
            perFrequency[x] = k;
        }
        return k;
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
