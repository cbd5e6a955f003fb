package dev.crm.churn.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws customer summaries from the BG/NBD process itself, for testing fits and sizing jobs:
 * each customer gets λ ~ Gamma(r, α) and p ~ Beta(a, b), buys as a Poisson process with rate λ
 * from the first purchase at time 0, and after every repeat purchase drops out with probability p.
 * x counts the purchases after the first that happen by T, tx is the time of the last of them.
 * With Gamma-Gamma parameters the repeat purchases also get values: ν ~ Gamma(q, v) per customer
 * and each value ~ Gamma(p, ν), so their mean is Gamma(p x, ν x).
 */
public final class BgNbdSimulator {

    private final BgNbdParameters purchases;
    private final GammaGammaParameters spend; // null: no spend is simulated

    public BgNbdSimulator(BgNbdParameters purchases) {
        this(purchases, null);
    }

    /** @param spend Gamma-Gamma parameters for transaction values, or null to leave spend at 0 */
    public BgNbdSimulator(BgNbdParameters purchases, GammaGammaParameters spend) {
        if (purchases == null) {
            throw new IllegalArgumentException("purchase parameters must not be null");
        }
        this.purchases = purchases;
        this.spend = spend;
    }

    /** One customer observed for {@code T} time units after their first purchase. */
    public CustomerSummary simulateCustomer(RandomGenerator random, double T) {
        if (!Double.isFinite(T) || T < 0.0) {
            throw new IllegalArgumentException("T must be finite and >= 0, got " + T);
        }
        double rate = RandomVariates.gamma(random, purchases.r(), purchases.alpha());
        double dropOutProbability = RandomVariates.beta(random, purchases.a(), purchases.b());
        int x = 0;
        double tx = 0.0;
        if (rate > 0.0) { // a rate that underflowed to 0 simply never buys again
            double time = 0.0;
            while (true) {
                time += random.nextExponential() / rate;
                if (time > T) {
                    break;
                }
                x++;
                tx = time;
                if (random.nextDouble() < dropOutProbability) {
                    break;
                }
            }
        }
        double meanSpend = 0.0;
        if (spend != null && x > 0) {
            double logNu = RandomVariates.logStandardGamma(random, spend.q()) - Math.log(spend.v());
            double logTotal = RandomVariates.logStandardGamma(random, spend.p() * x) - logNu;
            meanSpend = Math.exp(logTotal) / x;
        }
        return new CustomerSummary(x, tx, T, meanSpend);
    }

    /** One customer per entry of {@code observationLengths}, in that order. */
    public List<CustomerSummary> simulate(RandomGenerator random, double[] observationLengths) {
        List<CustomerSummary> customers = new ArrayList<>(observationLengths.length);
        for (double T : observationLengths) {
            customers.add(simulateCustomer(random, T));
        }
        return customers;
    }
}
