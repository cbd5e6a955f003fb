package dev.crm.cases.domain.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErlangCTest {
    /** Erlang C from the Erlang B recursion B(n) = A·B(n−1) / (n + A·B(n−1)): a different route to C(N, A). */
    static double erlangCByRecursion(int n, double a) {
        double b = 1;
        for (int k = 1; k <= n; k++) {
            b = a * b / (k + a * b);
        }
        return n * b / (n - a * (1 - b));
    }

    /** The fewest agents meeting the service level and the occupancy cap, searched from 1 upward. */
    static int reference(double expected, double seconds, double sl, double within, double handle, double cap) {
        double a = expected * handle / seconds;
        if (a == 0) {
            return 0;
        }
        for (int n = 1; ; n++) {
            if (n <= a || a / n > cap + 1e-12) {
                continue;
            }
            double level = 1 - erlangCByRecursion(n, a) * Math.exp(-(n - a) * within / handle);
            if (level >= sl) {
                return n;
            }
        }
    }

    @Test
    void waitProbabilityMatchesTheErlangBRecursion() {
        for (double a : new double[] {0.3, 2.5, 10, 47.3, 180, 900}) {
            for (int n = (int) a + 1; n < a + 40; n += 3) {
                assertEquals(erlangCByRecursion(n, a), ErlangC.waitProbability(n, a), 1e-9, "N=" + n + " A=" + a);
            }
        }
    }

    @Test
    void agentsNeededEqualsAnIndependentErlangC() {
        // the textbook case: 100 calls in 30 minutes, 180 s handle time, 80 % in 20 s -> 14 agents
        assertEquals(14, ErlangC.agentsNeeded(100, 1800, 0.8, 20, 180, 1.0));
        for (double expected : new double[] {0.2, 3, 12.5, 40, 130, 800, 5000}) {
            for (double cap : new double[] {0.6, 0.85, 1.0}) {
                assertEquals(reference(expected, 3600, 0.8, 20, 300, cap),
                        ErlangC.agentsNeeded(expected, 3600, 0.8, 20, 300, cap), "expected " + expected + " cap " + cap);
            }
        }
        assertEquals(0, ErlangC.agentsNeeded(0, 3600, 0.8, 20, 300, 0.85));
    }

    @Test
    void theOccupancyCapCanBeWhatDecides() {
        // 400 calls an hour of 5 minutes: 33.3 Erlangs; the service level alone needs fewer than 0.85 allows
        int byLevel = ErlangC.agentsNeeded(400, 3600, 0.5, 60, 300, 1.0);
        int capped = ErlangC.agentsNeeded(400, 3600, 0.5, 60, 300, 0.85);
        assertTrue(capped >= Math.ceil(400 * 300 / 3600.0 / 0.85));
        assertTrue(capped > byLevel, capped + " vs " + byLevel);
    }
}
