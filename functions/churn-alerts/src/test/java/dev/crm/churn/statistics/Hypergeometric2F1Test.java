package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference values were computed independently with mpmath (50 digits). */
class Hypergeometric2F1Test {

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, tolerance * Math.abs(expected));
    }

    @Test
    void closedFormsAcrossTheWholeRange() {
        // 2F1(1, 1; 2; z) = −log(1 − z)/z: c − a − b = 0, the degenerate case of the 1 − z formula.
        for (double z : new double[] {1e-6, 0.3, 0.9, 0.95, 0.9999, 1.0 - 1e-9, -0.5, -50.0, -1e8}) {
            assertRelative(-Math.log1p(-z) / z, Hypergeometric2F1.value(1.0, 1.0, 2.0, z), 1e-11);
        }
        // 2F1(a, b; b; z) = (1 − z)^(−a)
        for (double z : new double[] {0.5, 0.99, 0.99999, -10.0}) {
            assertRelative(Math.pow(1.0 - z, -2.5), Hypergeometric2F1.value(2.5, 3.7, 3.7, z), 1e-12);
        }
        // 2F1(1/2, 1/2; 3/2; s²) = arcsin(s)/s
        for (double s : new double[] {0.2, 0.9, 0.999, 0.999999}) {
            assertRelative(Math.asin(s) / s, Hypergeometric2F1.value(0.5, 0.5, 1.5, s * s), 1e-12);
        }
    }

    @Test
    void polynomialsTerminate() {
        // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
        double b = 1.7;
        double c = 2.3;
        for (double z : new double[] {-7.0, 0.4, 0.999999, 1.0}) {
            double expected = 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0));
            assertEquals(expected, Hypergeometric2F1.value(-2.0, b, c, z), 1e-13);
        }
    }

    @Test
    void gaussSummationAtOne() {
        // 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)); with a = b = 1, c = 3 that is 2.
        assertEquals(2.0, Hypergeometric2F1.value(1.0, 1.0, 3.0, 1.0), 1e-14);
    }

    @Test
    void matchesMpmathReferenceValues() {
        assertRelative(11.779671153770649122, Hypergeometric2F1.value(1.5, 2.3, 4.1, 0.999), 1e-12);
        assertRelative(4978.1438134191432971, Hypergeometric2F1.value(0.3, 2.7, 1.9, 0.9999), 1e-12);
        assertRelative(169751.75203168967501, Hypergeometric2F1.value(2.5, 1.5, 3.0, 0.99999), 1e-10);
        assertRelative(2.494167219858275374, Hypergeometric2F1.value(0.25, 2.4, 2.2, 0.95), 1e-13);
        assertRelative(0.61036031634131580492, Hypergeometric2F1.value(0.7, 1.2, 2.9, -3.0), 1e-13);
        assertRelative(0.00020166322990498566867, Hypergeometric2F1.value(0.7, 1.2, 2.9, -1e6), 1e-11);
        assertRelative(430805346662109.96528, Hypergeometric2F1.value(2.24, 4.43, 4.22, 0.999999), 1e-10);
        assertRelative(-2.729387131796347653, Hypergeometric2F1.value(-0.4, 1.3, 0.6, 0.98), 1e-12);
    }

    @Test
    void largeParametersStayInLogSpace() {
        // Parameters of a customer with x = 5000 repeat purchases.
        assertEquals(19.539882262078851131, Hypergeometric2F1.logValue(5000.24, 5002.43, 5002.22, 0.0039), 1e-11);
        // The value itself is about 1e1505, far beyond the double range.
        assertEquals(3466.0477774636775933, Hypergeometric2F1.logValue(5000.24, 5002.43, 5002.22, 0.5), 1e-9);
    }

    @Test
    void connectionFormulaAgreesWithTheDirectSeries() {
        // z = 0.999 with these parameters takes the 1 − z route; the plain series still converges.
        double[][] parameterSets = {{1.5, 2.3, 4.1}, {0.3, 0.8, 2.6}, {3.2, 0.45, 1.2}};
        for (double[] p : parameterSets) {
            double direct = Hypergeometric2F1.series(new double[] {p[0], p[1]}, new double[] {p[2], 1.0}, 0.9995)
                    .toDouble();
            assertRelative(direct, Hypergeometric2F1.value(p[0], p[1], p[2], 0.9995), 1e-11);
        }
    }
}
