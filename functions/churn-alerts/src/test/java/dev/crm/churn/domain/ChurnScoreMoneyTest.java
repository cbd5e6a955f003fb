package dev.crm.churn.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scores' amounts are rounded in binary where that is safe: always the cents (and scale) of the decimal rounding. */
class ChurnScoreMoneyTest {

    @Test
    void roundsAsTheDecimalFormDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            double magnitude = Math.pow(10, random.nextInt(-4, 14));
            check(random.nextDouble() * magnitude);
        }
    }

    @Test
    void halfCentsAndTheirNeighboursRoundAsTheDecimalFormDoes() {
        for (long cents = 0; cents < 30_000; cents++) {
            double half = (cents + 0.5) / 100.0;
            check(half);
            check(Math.nextUp(half));
            check(Math.nextDown(half));
            check(Math.nextUp(Math.nextUp(half)));
            check(Math.nextDown(Math.nextDown(half)));
            check(cents / 100.0);
        }
        for (double big : new double[] {1e10 + 0.005, 12_345_678_901.125, 0x1p40 / 100, 1e13 + 0.005, 1e300}) {
            check(big);
            check(Math.nextUp(big));
        }
    }

    @Test
    void negativeAndNonFiniteAmountsAreZeroCents() {
        for (double v : new double[] {-0.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertEquals(BigDecimal.valueOf(0, 2), ChurnScore.money(v));
            check(v);
        }
    }

    private static void check(double amount) {
        // equals compares the scale too, as the scores' record equality does
        assertEquals(ChurnScore.decimalMoney(amount), ChurnScore.money(amount), () -> "amount " + amount);
    }
}
