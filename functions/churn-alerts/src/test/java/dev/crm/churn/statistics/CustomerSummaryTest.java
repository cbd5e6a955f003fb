package dev.crm.churn.statistics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CustomerSummaryTest {

    @Test
    void acceptsValidSummaries() {
        assertDoesNotThrow(() -> new CustomerSummary(0, 0.0, 0.0, 0.0));
        assertDoesNotThrow(() -> new CustomerSummary(3, 10.0, 10.0, 12.5));
        assertDoesNotThrow(() -> new CustomerSummary(1, 0.0, 5.0, 1.0)); // repeat purchase on day one
    }

    @Test
    void rejectsInvalidSummaries() {
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(-1, 0.0, 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(1, 2.0, 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(1, -0.5, 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(0, 0.5, 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(1, 0.5, Double.NaN, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(1, 0.5, Double.POSITIVE_INFINITY, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new CustomerSummary(1, 0.5, 1.0, -3.0));
        assertThrows(IllegalArgumentException.class, () -> new FrequencyRecencyGroup(1, 0.5, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpendGroup(0, 5.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpendGroup(1, 0.0, 1));
    }
}
