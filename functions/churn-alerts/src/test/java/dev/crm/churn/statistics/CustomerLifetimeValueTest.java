package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CustomerLifetimeValueTest {

    private static final BgNbdParameters PURCHASES = new BgNbdParameters(0.243, 4.414, 0.793, 2.426);
    private static final GammaGammaParameters SPEND = new GammaGammaParameters(6.25, 3.74, 15.44);
    private static final CustomerSummary REGULAR = new CustomerSummary(2, 30.43, 38.86, 22.35);
    private static final CustomerSummary NEWCOMER = new CustomerSummary(0, 0.0, 38.86, 0.0);

    @Test
    void growsWithTheHorizon() {
        for (CustomerSummary customer : new CustomerSummary[] {REGULAR, NEWCOMER}) {
            double previous = 0.0;
            for (int months = 1; months <= 60; months++) {
                double value = CustomerLifetimeValue.compute(PURCHASES, SPEND, customer, months, 0.01);
                assertTrue(value > previous, "months=" + months);
                previous = value;
            }
        }
        assertEquals(0.0, CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 0, 0.01));
    }

    @Test
    void zeroSpendOrMarginGivesZero() {
        BgNbdModel model = new BgNbdModel(PURCHASES);
        assertEquals(0.0, CustomerLifetimeValue.computeWithSpendPerPurchase(model, REGULAR, 0.0, 24, 0.01, 1.0));
        assertEquals(0.0, CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 24, 0.01, 0.0));
    }

    @Test
    void discountingReducesValue() {
        double undiscounted = CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 24, 0.0);
        double discounted = CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 24, 0.01);
        double heavilyDiscounted = CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 24, 0.05);
        assertTrue(undiscounted > discounted && discounted > heavilyDiscounted);
    }

    @Test
    void undiscountedValueIsExpectedPurchasesTimesSpendTimesMargin() {
        // Without discounting the monthly increments telescope.
        int months = 18;
        double purchases = new BgNbdModel(PURCHASES)
                .expectedPurchases(months * CustomerLifetimeValue.WEEKS_PER_MONTH, REGULAR);
        double spend = new GammaGammaModel(SPEND).expectedAverageSpend(REGULAR);
        assertEquals(purchases * spend * 0.3,
                CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, months, 0.0, 0.3), 1e-10);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, -1, 0.01));
        assertThrows(IllegalArgumentException.class,
                () -> CustomerLifetimeValue.compute(PURCHASES, SPEND, REGULAR, 12, -1.0));
    }
}
