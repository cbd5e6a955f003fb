package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

    private static final double EULER_GAMMA = 0.57721566490153286061;

    @Test
    void logGammaMatchesKnownValues() {
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 4e-15);
        assertEquals(0.0, SpecialFunctions.logGamma(1.0), 4e-15);
        assertEquals(0.0, SpecialFunctions.logGamma(2.0), 4e-15);
        assertEquals(Math.log(362880.0), SpecialFunctions.logGamma(10.0), 1e-14);
        assertEquals(359.13420536957539878, SpecialFunctions.logGamma(100.0), 1e-12);
        // log Γ(ε) = −log ε − γ ε + O(ε²)
        assertEquals(-Math.log(1e-8) - EULER_GAMMA * 1e-8, SpecialFunctions.logGamma(1e-8), 1e-14);
    }

    @Test
    void logGammaSatisfiesTheRecurrence() {
        for (double x = 0.013; x < 200.0; x *= 1.37) {
            double difference = SpecialFunctions.logGamma(x + 1.0) - SpecialFunctions.logGamma(x);
            assertEquals(Math.log(x), difference, 2e-14 * Math.max(1.0, Math.abs(SpecialFunctions.logGamma(x))), "x=" + x);
        }
    }

    @Test
    void digammaMatchesKnownValuesAndTheDerivativeOfLogGamma() {
        assertEquals(-EULER_GAMMA, SpecialFunctions.digamma(1.0), 1e-15);
        assertEquals(-EULER_GAMMA - 2.0 * Math.log(2.0), SpecialFunctions.digamma(0.5), 1e-14);
        for (double x = 0.05; x < 500.0; x *= 1.9) {
            double h = 1e-5 * x;
            double numerical = (SpecialFunctions.logGamma(x + h) - SpecialFunctions.logGamma(x - h)) / (2.0 * h);
            assertEquals(numerical, SpecialFunctions.digamma(x), 1e-7 * Math.max(1.0, Math.abs(numerical)), "x=" + x);
        }
    }

    @Test
    void signedLogGammaHandlesNegativeArguments() {
        SignedLogNumber minusHalf = SpecialFunctions.signedLogGamma(-0.5);
        assertEquals(-2.0 * Math.sqrt(Math.PI), minusHalf.toDouble(), 1e-14);
        SignedLogNumber minusThreeHalves = SpecialFunctions.signedLogGamma(-1.5);
        assertEquals(4.0 * Math.sqrt(Math.PI) / 3.0, minusThreeHalves.toDouble(), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.signedLogGamma(-3.0));
    }

    @Test
    void logSumExpDoesNotOverflow() {
        assertEquals(1000.0 + Math.log(2.0), SpecialFunctions.logSumExp(1000.0, 1000.0), 1e-12);
        assertEquals(-1000.0, SpecialFunctions.logSumExp(-1000.0, Double.NEGATIVE_INFINITY), 0.0);
    }
}
