package dev.crm.cases.domain.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErlangCTest {
    @Test
    void waitProbabilityMatchesTheErlangBRecursion() {
        for (double a : new double[] {0.3, 2.5, 10, 47.3, 180, 900}) {
            for (int n = (int) a + 1; n < a + 40; n += 3) {
                assertEquals(ErlangReference.erlangC(n, a), ErlangC.waitProbability(n, a), 1e-9, "N=" + n + " A=" + a);
            }
        }
    }

    @Test
    void agentsNeededEqualsAnIndependentErlangC() {
        // the textbook case: 100 calls in 30 minutes, 180 s handle time, 80 % in 20 s -> 14 agents
        assertEquals(14, ErlangC.agentsNeeded(100, 1800, 0.8, 20, 180, 1.0));
        for (double expected : new double[] {0.2, 3, 12.5, 40, 130, 800, 5000}) {
            for (double cap : new double[] {0.6, 0.85, 1.0}) {
                assertEquals(ErlangReference.agents(expected, 3600, 0.8, 20, 300, cap),
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
