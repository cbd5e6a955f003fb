package dev.crm.churn.statistics;

import java.util.Arrays;
import java.util.List;

/**
 * The Gamma-Gamma log-likelihood of grouped spend data and its gradient with respect to (p, q, v).
 * Gamma functions depend only on x and are computed once per distinct x; log z̄ and log x are
 * constant and precomputed, leaving one log per group per evaluation.
 */
public final class GammaGammaLikelihood {

    private final int[] distinctX;
    private final int[] xIndex;
    private final double[] x;
    private final double[] totalSpend;   // x z̄
    private final double[] logMeanSpend; // log z̄
    private final double[] logX;
    private final double[] weight;
    private final double totalWeight;

    public GammaGammaLikelihood(List<SpendGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no returning customers with spend to evaluate");
        }
        int size = groups.size();
        x = new double[size];
        totalSpend = new double[size];
        logMeanSpend = new double[size];
        logX = new double[size];
        weight = new double[size];
        int[] xs = new int[size];
        double total = 0.0;
        for (int g = 0; g < size; g++) {
            SpendGroup group = groups.get(g);
            xs[g] = group.x();
            x[g] = group.x();
            totalSpend[g] = group.x() * group.meanRepeatSpend();
            logMeanSpend[g] = Math.log(group.meanRepeatSpend());
            logX[g] = Math.log(group.x());
            weight[g] = group.count();
            total += group.count();
        }
        totalWeight = total;
        distinctX = Arrays.stream(xs).distinct().sorted().toArray();
        xIndex = new int[size];
        for (int g = 0; g < size; g++) {
            xIndex[g] = Arrays.binarySearch(distinctX, xs[g]);
        }
    }

    public double totalWeight() {
        return totalWeight;
    }

    public double logLikelihood(GammaGammaParameters parameters) {
        return valueAndGradient(parameters.p(), parameters.q(), parameters.v(), new double[3]);
    }

    /** Total log-likelihood; {@code gradient} receives d/dp, d/dq, d/dv. */
    public double logLikelihood(GammaGammaParameters parameters, double[] gradient) {
        return valueAndGradient(parameters.p(), parameters.q(), parameters.v(), gradient);
    }

    double valueAndGradient(double p, double q, double v, double[] gradient) {
        int k = distinctX.length;
        double[] gammaRatio = new double[k];     // log Γ(px+q) − log Γ(px)
        double[] digammaDifference = new double[k]; // ψ(px+q) − ψ(px)
        double[] digammaShape = new double[k];      // ψ(px+q)
        for (int i = 0; i < k; i++) {
            double px = p * distinctX[i];
            gammaRatio[i] = SpecialFunctions.logGamma(px + q) - SpecialFunctions.logGamma(px);
            digammaShape[i] = SpecialFunctions.digamma(px + q);
            digammaDifference[i] = digammaShape[i] - SpecialFunctions.digamma(px);
        }
        double logGammaQ = SpecialFunctions.logGamma(q);
        double digammaQ = SpecialFunctions.digamma(q);
        double logV = Math.log(v);
        double value = 0.0;
        double byP = 0.0;
        double byQ = 0.0;
        double byV = 0.0;
        for (int g = 0; g < weight.length; g++) {
            int i = xIndex[g];
            double xg = x[g];
            double px = p * xg;
            double w = weight[g];
            double scale = v + totalSpend[g];
            double logScale = Math.log(scale);
            value += w * (gammaRatio[i] - logGammaQ + q * logV + (px - 1.0) * logMeanSpend[g] + px * logX[g]
                    - (px + q) * logScale);
            byP += w * xg * (digammaDifference[i] + logMeanSpend[g] + logX[g] - logScale);
            byQ += w * (digammaShape[i] - digammaQ + logV - logScale);
            byV += w * (q / v - (px + q) / scale);
        }
        gradient[0] = byP;
        gradient[1] = byQ;
        gradient[2] = byV;
        return value;
    }
}
