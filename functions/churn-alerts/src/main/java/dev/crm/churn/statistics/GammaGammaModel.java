package dev.crm.churn.statistics;

/**
 * The Gamma-Gamma model of average transaction value (Fader, Hardie &amp; Lee 2005, "RFM and CLV:
 * Using Iso-Value Curves for Customer Base Analysis", J. Marketing Research 42(4); Hardie's note
 * "The Gamma-Gamma Model of Monetary Value", 2013). It assumes spend is independent of purchase
 * frequency, which is why it can be combined with the BG/NBD model.
 */
public final class GammaGammaModel {

    private final GammaGammaParameters parameters;

    public GammaGammaModel(GammaGammaParameters parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        this.parameters = parameters;
    }

    public GammaGammaParameters parameters() {
        return parameters;
    }

    /**
     * Log-density of a mean spend {@code meanSpend} over {@code x} transactions:
     * log[ Γ(px+q)/(Γ(px)Γ(q)) v^q z̄^(px−1) x^(px) / (v + x z̄)^(px+q) ].
     */
    public double logLikelihood(int x, double meanSpend) {
        requireSpendHistory(x, meanSpend);
        double p = parameters.p();
        double q = parameters.q();
        double v = parameters.v();
        double px = p * x;
        return SpecialFunctions.logGamma(px + q) - SpecialFunctions.logGamma(px) - SpecialFunctions.logGamma(q)
                + q * Math.log(v) + (px - 1.0) * Math.log(meanSpend) + px * Math.log(x)
                - (px + q) * Math.log(v + x * meanSpend);
    }

    /**
     * E[spend per transaction | x, z̄] = (q−1)/(px+q−1) · vp/(q−1) + px/(px+q−1) · z̄, a weighted
     * average of the population mean and the customer's own mean. It is evaluated as the
     * algebraically equal p (v + x z̄) / (px + q − 1), which needs no q &gt; 1 when x &gt; 0.
     * For x = 0 the result is the population mean vp/(q−1), which only exists when q &gt; 1.
     */
    public double expectedAverageSpend(int x, double meanSpend) {
        if (x < 0) {
            throw new IllegalArgumentException("x must be >= 0, got " + x);
        }
        if (!Double.isFinite(meanSpend) || meanSpend < 0.0) {
            throw new IllegalArgumentException("meanSpend must be finite and >= 0, got " + meanSpend);
        }
        double p = parameters.p();
        double q = parameters.q();
        double v = parameters.v();
        double denominator = p * x + q - 1.0;
        if (!(denominator > 0.0)) {
            throw new IllegalArgumentException(
                    "expected spend is infinite for x = " + x + " with q = " + q + " (needs p x + q > 1)");
        }
        double spendEvidence = x == 0 ? 0.0 : x * meanSpend; // z̄ carries no information when x = 0
        return p * (v + spendEvidence) / denominator;
    }

    public double expectedAverageSpend(CustomerSummary customer) {
        return expectedAverageSpend(customer.x(), customer.meanRepeatSpend());
    }

    /** vp/(q−1): expected spend per transaction of a customer with no repeat history. */
    public double populationMeanSpend() {
        return expectedAverageSpend(0, 0.0);
    }

    private static void requireSpendHistory(int x, double meanSpend) {
        if (x < 1) {
            throw new IllegalArgumentException("the spend likelihood needs x >= 1, got " + x);
        }
        if (!Double.isFinite(meanSpend) || !(meanSpend > 0.0)) {
            throw new IllegalArgumentException("meanSpend must be positive and finite, got " + meanSpend);
        }
    }
}
