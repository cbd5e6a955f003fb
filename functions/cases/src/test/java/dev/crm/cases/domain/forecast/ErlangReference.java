package dev.crm.cases.domain.forecast;

/**
 * Erlang C written differently from the product's: C(N, A) from the Erlang B recursion
 * B(n) = A·B(n−1) / (n + A·B(n−1)), and the fewest agents searched from 1 upward.
 */
public final class ErlangReference {
    private ErlangReference() {}

    public static double erlangC(int n, double a) {
        double b = 1;
        for (int k = 1; k <= n; k++) {
            b = a * b / (k + a * b);
        }
        return n * b / (n - a * (1 - b));
    }

    public static int agents(double expected, double seconds, double sl, double within, double handle, double cap) {
        double a = expected * handle / seconds;
        if (a == 0) {
            return 0;
        }
        for (int n = 1; ; n++) {
            if (n <= a || a / n > cap + 1e-12) {
                continue;
            }
            double level = 1 - erlangC(n, a) * Math.exp(-(n - a) * within / handle);
            if (level >= sl) {
                return n;
            }
        }
    }
}
