package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BfgsMinimizerTest {

    @Test
    void findsTheRosenbrockMinimum() {
        BfgsMinimizer.Objective rosenbrock = (p, g) -> {
            double a = 1.0 - p[0];
            double b = p[1] - p[0] * p[0];
            g[0] = -2.0 * a - 400.0 * p[0] * b;
            g[1] = 200.0 * b;
            return a * a + 100.0 * b * b;
        };
        BfgsMinimizer.Result result = new BfgsMinimizer(1e-10, 1000, 5.0).minimize(rosenbrock, new double[] {-1.2, 1.0});
        assertTrue(result.converged());
        assertEquals(1.0, result.point()[0], 1e-8);
        assertEquals(1.0, result.point()[1], 1e-8);
    }

    @Test
    void backsOffFromPointsOutsideTheDomain() {
        // log-barrier: undefined for x <= 0, minimum at x = 1
        BfgsMinimizer.Objective barrier = (p, g) -> {
            if (p[0] <= 0.0) {
                return Double.POSITIVE_INFINITY;
            }
            g[0] = 1.0 - 1.0 / p[0];
            return p[0] - Math.log(p[0]);
        };
        BfgsMinimizer.Result result = new BfgsMinimizer(1e-10, 100, 50.0).minimize(barrier, new double[] {30.0});
        assertTrue(result.converged());
        assertEquals(1.0, result.point()[0], 1e-8);
    }
}
