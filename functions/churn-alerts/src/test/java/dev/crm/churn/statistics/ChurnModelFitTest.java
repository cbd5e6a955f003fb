package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChurnModelFitTest {

    @Test
    void fitsBothModelsOnCdnow() {
        ChurnModelFit fit = ChurnModelFit.fit(CdnowDataset.load());
        assertTrue(fit.hasSpendModel());
        assertEquals(0.243, Math.round(fit.bgNbd().r() * 1000) / 1000.0);
        assertEquals(6.25, Math.round(fit.gammaGamma().p() * 100) / 100.0);
        assertTrue(fit.gammaGammaStandardErrors().v() > 0.0);
    }

    @Test
    void leavesOutTheSpendModelWithTooFewReturningCustomers() {
        List<CustomerSummary> customers = new ArrayList<>();
        for (CustomerSummary c : CdnowDataset.load()) {
            // keep every non-returning customer but only a handful of returning ones
            if (c.x() == 0 || customers.stream().filter(k -> k.x() > 0).count() < ChurnModelFit.MINIMUM_RETURNING_CUSTOMERS - 1) {
                customers.add(c);
            }
        }
        ChurnModelFit fit = ChurnModelFit.fit(customers);
        assertFalse(fit.hasSpendModel());
        assertNull(fit.gammaGamma());
        assertNull(fit.gammaGammaStandardErrors());
    }
}
