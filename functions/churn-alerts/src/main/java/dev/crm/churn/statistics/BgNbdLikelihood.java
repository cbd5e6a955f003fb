package dev.crm.churn.statistics;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The BG/NBD log-likelihood of grouped data and its gradient with respect to (r, α, a, b).
 *
 * <p>Cost per evaluation is dominated by one exp and one log1p per group: everything that depends
 * only on x (gamma and beta functions and their derivatives) is computed once per distinct x, and
 * log(α + T), log(α + tx) once per distinct T and tx value — with times bucketed to days there are
 * only a few hundred of each even among millions of customers.
 *
 * <p>Large inputs are split into fixed chunks summed in parallel and then added up in chunk order,
 * so the result does not depend on thread scheduling.
 */
public final class BgNbdLikelihood {

    private static final int CHUNK_SIZE = 1 << 15;
    /** Below this many groups a single thread is faster than forking. */
    private static final int PARALLEL_THRESHOLD = 4 * CHUNK_SIZE;

    private final int[] distinctX;
    private final double[] distinctAge;
    private final double[] distinctRecency;
    private final int[] xIndex;
    private final int[] ageIndex;
    private final int[] recencyIndex;
    private final double[] weight;
    private final double totalWeight;

    public BgNbdLikelihood(List<FrequencyRecencyGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no customers to evaluate");
        }
        int size = groups.size();
        int[] xs = new int[size];
        double[] ages = new double[size];
        double[] recencies = new double[size];
        weight = new double[size];
        double total = 0.0;
        for (int g = 0; g < size; g++) {
            FrequencyRecencyGroup group = groups.get(g);
            xs[g] = group.x();
            ages[g] = group.T();
            recencies[g] = group.tx();
            weight[g] = group.count();
            total += group.count();
        }
        totalWeight = total;
        distinctX = Arrays.stream(xs).distinct().sorted().toArray();
        distinctAge = Arrays.stream(ages).distinct().sorted().toArray();
        distinctRecency = Arrays.stream(recencies).distinct().sorted().toArray();
        xIndex = new int[size];
        ageIndex = new int[size];
        recencyIndex = new int[size];
        for (int g = 0; g < size; g++) {
            xIndex[g] = Arrays.binarySearch(distinctX, xs[g]);
            ageIndex[g] = Arrays.binarySearch(distinctAge, ages[g]);
            recencyIndex[g] = Arrays.binarySearch(distinctRecency, recencies[g]);
        }
    }

    /** Number of customers (sum of group counts). */
    public double totalWeight() {
        return totalWeight;
    }

    public int groupCount() {
        return weight.length;
    }

    public double logLikelihood(BgNbdParameters parameters) {
        return valueAndGradient(parameters.r(), parameters.alpha(), parameters.a(), parameters.b(), new double[4]);
    }

    /** Total log-likelihood; {@code gradient} receives d/dr, d/dα, d/da, d/db. */
    public double logLikelihood(BgNbdParameters parameters, double[] gradient) {
        return valueAndGradient(parameters.r(), parameters.alpha(), parameters.a(), parameters.b(), gradient);
    }

    /** Per-x terms of the likelihood and their derivatives, named as in {@link BgNbdModel#logLikelihood}. */
    private static final class PerFrequency {
        final double[] common;        // log Γ(r+x) − log Γ(r) + r log α
        final double[] commonByR;
        final double[] active;        // log B(a, b+x) − log B(a, b)
        final double[] activeByA;
        final double[] activeByB;
        final double[] dropped;       // log B(a+1, b+x−1) − log B(a, b), x ≥ 1
        final double[] droppedByA;
        final double[] droppedByB;

        PerFrequency(int[] distinctX, double r, double alpha, double a, double b) {
            int k = distinctX.length;
            common = new double[k];
            commonByR = new double[k];
            active = new double[k];
            activeByA = new double[k];
            activeByB = new double[k];
            dropped = new double[k];
            droppedByA = new double[k];
            droppedByB = new double[k];
            double logAlpha = Math.log(alpha);
            double logGammaR = SpecialFunctions.logGamma(r);
            double digammaR = SpecialFunctions.digamma(r);
            double logGammaB = SpecialFunctions.logGamma(b);
            double logGammaAB = SpecialFunctions.logGamma(a + b);
            double digammaB = SpecialFunctions.digamma(b);
            double digammaAB = SpecialFunctions.digamma(a + b);
            for (int i = 0; i < k; i++) {
                int x = distinctX[i];
                common[i] = SpecialFunctions.logGamma(r + x) - logGammaR + r * logAlpha;
                commonByR[i] = SpecialFunctions.digamma(r + x) - digammaR + logAlpha;
                double logGammaABX = SpecialFunctions.logGamma(a + b + x);
                double digammaABX = SpecialFunctions.digamma(a + b + x);
                active[i] = SpecialFunctions.logGamma(b + x) - logGammaABX - logGammaB + logGammaAB;
                activeByA[i] = digammaAB - digammaABX;
                activeByB[i] = SpecialFunctions.digamma(b + x) - digammaABX - digammaB + digammaAB;
                if (x > 0) {
                    dropped[i] = Math.log(a) + SpecialFunctions.logGamma(b + x - 1.0) - logGammaABX - logGammaB + logGammaAB;
                    droppedByA[i] = 1.0 / a - digammaABX + digammaAB;
                    droppedByB[i] = SpecialFunctions.digamma(b + x - 1.0) - digammaABX - digammaB + digammaAB;
                }
            }
        }
    }

    double valueAndGradient(double r, double alpha, double a, double b, double[] gradient) {
        PerFrequency perX = new PerFrequency(distinctX, r, alpha, a, b);
        double[] logAge = new double[distinctAge.length];
        double[] inverseAge = new double[distinctAge.length];
        for (int i = 0; i < distinctAge.length; i++) {
            logAge[i] = Math.log(alpha + distinctAge[i]);
            inverseAge[i] = 1.0 / (alpha + distinctAge[i]);
        }
        double[] logRecency = new double[distinctRecency.length];
        double[] inverseRecency = new double[distinctRecency.length];
        for (int i = 0; i < distinctRecency.length; i++) {
            logRecency[i] = Math.log(alpha + distinctRecency[i]);
            inverseRecency[i] = 1.0 / (alpha + distinctRecency[i]);
        }
        int size = weight.length;
        int chunks = (size + CHUNK_SIZE - 1) / CHUNK_SIZE;
        double[][] partial = new double[chunks][];
        IntStream chunkIndices = IntStream.range(0, chunks);
        if (size >= PARALLEL_THRESHOLD) {
            chunkIndices = chunkIndices.parallel();
        }
        chunkIndices.forEach(c -> partial[c] = sumChunk(c * CHUNK_SIZE, Math.min(size, (c + 1) * CHUNK_SIZE),
                r, alpha, perX, logAge, inverseAge, logRecency, inverseRecency));
        double[] total = new double[5];
        for (double[] chunk : partial) {
            for (int i = 0; i < 5; i++) {
                total[i] += chunk[i];
            }
        }
        System.arraycopy(total, 1, gradient, 0, 4);
        return total[0];
    }

    private double[] sumChunk(int from, int to, double r, double alpha, PerFrequency perX,
                              double[] logAge, double[] inverseAge, double[] logRecency, double[] inverseRecency) {
        double value = 0.0;
        double byR = 0.0;
        double byAlpha = 0.0;
        double byA = 0.0;
        double byB = 0.0;
        double rOverAlpha = r / alpha;
        for (int g = from; g < to; g++) {
            int k = xIndex[g];
            int x = distinctX[k];
            double shape = r + x;
            double w = weight[g];
            double logAgeTerm = logAge[ageIndex[g]];
            double active = perX.active[k] - shape * logAgeTerm;
            if (x == 0) {
                value += w * (perX.common[k] + active);
                byR += w * (perX.commonByR[k] - logAgeTerm);
                byAlpha += w * (rOverAlpha - shape * inverseAge[ageIndex[g]]);
                byA += w * perX.activeByA[k];
                byB += w * perX.activeByB[k];
                continue;
            }
            double logRecencyTerm = logRecency[recencyIndex[g]];
            double dropped = perX.dropped[k] - shape * logRecencyTerm;
            // log-sum-exp of the two ways to have this history; weights are their posterior shares.
            double larger = Math.max(active, dropped);
            double ratio = Math.exp(Math.min(active, dropped) - larger);
            double shareOfLarger = 1.0 / (1.0 + ratio);
            double shareOfSmaller = ratio * shareOfLarger;
            double activeShare = active >= dropped ? shareOfLarger : shareOfSmaller;
            double droppedShare = active >= dropped ? shareOfSmaller : shareOfLarger;
            value += w * (perX.common[k] + larger + Math.log1p(ratio));
            byR += w * (perX.commonByR[k] - activeShare * logAgeTerm - droppedShare * logRecencyTerm);
            byAlpha += w * (rOverAlpha - shape * (activeShare * inverseAge[ageIndex[g]]
                    + droppedShare * inverseRecency[recencyIndex[g]]));
            byA += w * (activeShare * perX.activeByA[k] + droppedShare * perX.droppedByA[k]);
            byB += w * (activeShare * perX.activeByB[k] + droppedShare * perX.droppedByB[k]);
        }
        return new double[] {value, byR, byAlpha, byA, byB};
    }
}
