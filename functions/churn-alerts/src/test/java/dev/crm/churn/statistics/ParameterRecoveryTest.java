package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Simulate from known parameters, fit, and check that the truth lies within three fitted standard
 * errors of each estimate. Seeds are fixed, so the outcome is reproducible.
 */
class ParameterRecoveryTest {

    private static final BgNbdParameters TRUE_PURCHASES = new BgNbdParameters(0.25, 4.0, 0.8, 2.5);
    private static final GammaGammaParameters TRUE_SPEND = new GammaGammaParameters(6.0, 4.0, 15.0);
    private static final int CUSTOMERS = 20_000;

    private static List<CustomerSummary> customers;

    @BeforeAll
    static void simulate() {
        SplittableRandom random = new SplittableRandom(20_250_101L);
        double[] observationLengths = new double[CUSTOMERS];
        for (int i = 0; i < CUSTOMERS; i++) {
            observationLengths[i] = 30.0 + 10.0 * random.nextDouble();
        }
        customers = new BgNbdSimulator(TRUE_PURCHASES, TRUE_SPEND).simulate(random, observationLengths);
    }

    private static void assertWithinThreeStandardErrors(String name, double truth, double estimate, double standardError) {
        assertTrue(standardError > 0.0 && Double.isFinite(standardError), name + ": standard error " + standardError);
        double z = (estimate - truth) / standardError;
        assertTrue(Math.abs(z) < 3.0, name + ": estimate " + estimate + ", truth " + truth + ", z = " + z);
    }

    @Test
    void bgNbdParametersAreRecovered() {
        BgNbdFit fit = BgNbdFitter.fitCustomers(customers);
        assertTrue(fit.converged());
        assertEquals(CUSTOMERS, fit.customerCount());
        BgNbdParameters p = fit.parameters();
        BgNbdStandardErrors se = fit.standardErrors();
        assertWithinThreeStandardErrors("r", TRUE_PURCHASES.r(), p.r(), se.r());
        assertWithinThreeStandardErrors("alpha", TRUE_PURCHASES.alpha(), p.alpha(), se.alpha());
        assertWithinThreeStandardErrors("a", TRUE_PURCHASES.a(), p.a(), se.a());
        assertWithinThreeStandardErrors("b", TRUE_PURCHASES.b(), p.b(), se.b());
    }

    @Test
    void gammaGammaParametersAreRecovered() {
        GammaGammaFit fit = GammaGammaFitter.fitCustomers(customers);
        assertTrue(fit.converged());
        assertTrue(fit.customerCount() > 5_000, "returning customers: " + fit.customerCount());
        GammaGammaParameters p = fit.parameters();
        GammaGammaStandardErrors se = fit.standardErrors();
        assertWithinThreeStandardErrors("p", TRUE_SPEND.p(), p.p(), se.p());
        assertWithinThreeStandardErrors("q", TRUE_SPEND.q(), p.q(), se.q());
        assertWithinThreeStandardErrors("v", TRUE_SPEND.v(), p.v(), se.v());
    }

    @Test
    void facadeFitsBothModels() {
        ChurnModelFit fit = ChurnModelFit.fit(customers);
        assertTrue(fit.hasSpendModel());
        assertEquals(BgNbdFitter.fitCustomers(customers).parameters(), fit.bgNbd());
        assertEquals(GammaGammaFitter.fitCustomers(customers).parameters(), fit.gammaGamma());
    }
}
