package dev.crm.churn.domain.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.churn.domain.analytics.AnalyticsRepository.CaseOutcomes;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Customer;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Purchase;
import dev.crm.churn.domain.analytics.AnalyticsRepository.SurveyTally;
import dev.crm.devkit.TestHistories;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@link AnalyticsRepository} promises, run against the in-memory fake and DynamoDB Local, each
 * given its data the way the other functions and the run store it: ranges are half-open, amounts only
 * in the asked currency, survey days inclusive, targets the tenant's own.
 */
public abstract class AnalyticsRepositoryContract {
    protected abstract AnalyticsRepository repository();

    /** A customer with a purchase summary; {@code scoreView} the run's score (ChurnScore's API form) or null. */
    protected abstract void givenCustomer(TenantId t, String contactId, PurchaseSummary summary, Map<String, Object> scoreView,
            boolean active);

    protected abstract void givenPurchase(TenantId t, String contactId, Instant at, BigDecimal amount, String currency);

    /** An NPS or CSAT survey's answers of one day: score → how many. */
    protected abstract void givenSurveyDay(TenantId t, String kind, LocalDate day, Map<Integer, Integer> scores);

    protected abstract void givenCase(TenantId t, Instant createdAt, String status, Set<String> breaches);

    static PurchaseSummary summary(String first) {
        return new PurchaseSummary("EUR", LocalDate.parse(first), BigDecimal.TEN, LocalDate.parse(first), 0, BigDecimal.ZERO,
                BigDecimal.TEN, 1, 1);
    }

    static Map<String, Object> view(String pAlive, String clv, String tier) {
        return Map.of("pAlive", new BigDecimal(pAlive), "expectedPurchases", new BigDecimal("1.5"),
                "clv", Map.of("amount", clv, "currency", "EUR"), "valueAtRisk", Map.of("amount", "40.00", "currency", "EUR"),
                "riskTier", tier, "riskSignal", false, "runId", "run_x");
    }

    @Test
    void targetsAreReadBackAsPutReplacedWholeAndTheTenantsOwn() {
        TenantId t = TenantId.generate();
        Period q1 = Period.parse("2027-Q1");
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        repository().putTargets(t, new Targets(q1, Map.of(Measure.NEW_CUSTOMERS, new BigDecimal("120"),
                Measure.REPEAT_PURCHASE_RATE, new BigDecimal("0.35"), Measure.NPS, new BigDecimal("-12.5")), at));
        Targets back = repository().targets(t, q1);
        assertEquals(q1, back.period());
        assertEquals(at, back.updatedAt());
        assertEquals(0, new BigDecimal("0.35").compareTo(back.values().get(Measure.REPEAT_PURCHASE_RATE)));
        assertEquals(0, new BigDecimal("-12.5").compareTo(back.values().get(Measure.NPS)));
        assertEquals(3, back.values().size());
        assertNull(repository().targets(TenantId.generate(), q1), "another tenant's period");
        assertNull(repository().targets(t, Period.parse("2027-01")), "the quarter's first month is another period");
        repository().putTargets(t, new Targets(q1, Map.of(Measure.REVENUE, new BigDecimal("5000.50")), at));
        assertEquals(Set.of(Measure.REVENUE), repository().targets(t, q1).values().keySet());
    }

    @Test
    void purchasesAreTheHalfOpenRangeWithAmountsInTheCurrencyOnly() {
        TenantId t = TenantId.generate();
        String a = TestHistories.newContactId();
        String b = TestHistories.newContactId();
        givenCustomer(t, a, summary("2027-01-01"), null, true);
        givenCustomer(t, b, summary("2027-01-01"), null, true);
        Instant from = Instant.parse("2027-02-01T00:00:00Z");
        Instant to = Instant.parse("2027-03-01T00:00:00Z");
        givenPurchase(t, a, from.minusMillis(1), BigDecimal.ONE, "EUR");
        givenPurchase(t, a, from, new BigDecimal("10.50"), "EUR");
        givenPurchase(t, b, to.minusMillis(1), new BigDecimal("7"), "USD");
        givenPurchase(t, b, to, BigDecimal.ONE, "EUR");
        givenPurchase(TenantId.generate(), a, from.plusSeconds(5), BigDecimal.ONE, "EUR");
        List<Purchase> got = repository().purchases(t, from, to, "EUR", 100).stream()
                .sorted(Comparator.comparing(Purchase::at)).toList();
        assertEquals(List.of(from, to.minusMillis(1)), got.stream().map(Purchase::at).toList());
        assertEquals(a, got.get(0).contactId());
        assertEquals(0, new BigDecimal("10.50").compareTo(got.get(0).amount()));
        assertNull(got.get(1).amount(), "a purchase in another currency has no amount");
        assertThrows(AnalyticsRepository.TooMany.class, () -> repository().purchases(t, from, to, "EUR", 1));
    }

    @Test
    void customersCarryTheirScoreAndOnlyActiveOnesTheirContact() {
        TenantId t = TenantId.generate();
        String scored = TestHistories.newContactId();
        String unscored = TestHistories.newContactId();
        String gone = TestHistories.newContactId();
        givenCustomer(t, scored, summary("2026-05-03"), view("0.8123", "250.00", "low"), true);
        givenCustomer(t, unscored, summary("2026-06-01"), null, true);
        givenCustomer(t, gone, summary("2026-07-01"), view("0.1", "5.00", "high"), false);
        Map<String, Customer> all = byId(repository().customers(t, "EUR", true, false, 100));
        assertEquals(Set.of(scored, unscored, gone), all.keySet());
        assertEquals(LocalDate.parse("2026-05-03"), all.get(scored).purchases().firstPurchaseDay());
        assertEquals(0.8123, all.get(scored).score().pAlive(), 1e-12);
        assertEquals(0, new BigDecimal("250.00").compareTo(all.get(scored).score().clv()));
        assertEquals(0, new BigDecimal("40.00").compareTo(all.get(scored).score().valueAtRisk()));
        assertEquals("low", all.get(scored).score().riskTier());
        assertNull(all.get(unscored).score());
        Map<String, Customer> withContacts = byId(repository().customers(t, "EUR", true, true, 100));
        assertEquals(Set.of(scored, unscored), withContacts.keySet(), "a contact no longer active is left out");
        assertEquals(scored, withContacts.get(scored).contact().id());
        assertTrue(repository().customers(TenantId.generate(), "EUR", true, true, 100).isEmpty());
        assertThrows(AnalyticsRepository.TooMany.class, () -> repository().customers(t, "EUR", false, false, 2));
    }

    private static Map<String, Customer> byId(List<Customer> customers) {
        return customers.stream().collect(java.util.stream.Collectors.toMap(Customer::contactId, c -> c));
    }

    @Test
    void surveyAnswersAreCountedOnTheRangesDaysInclusive() {
        TenantId t = TenantId.generate();
        givenSurveyDay(t, "nps", LocalDate.parse("2027-03-01"), Map.of(10, 2, 7, 1, 3, 4));
        givenSurveyDay(t, "nps", LocalDate.parse("2027-03-31"), Map.of(9, 1));
        givenSurveyDay(t, "nps", LocalDate.parse("2027-04-01"), Map.of(0, 9));
        givenSurveyDay(t, "csat", LocalDate.parse("2027-03-15"), Map.of(5, 3, 3, 1, 1, 1));
        givenSurveyDay(TenantId.generate(), "nps", LocalDate.parse("2027-03-02"), Map.of(0, 9));
        assertEquals(new SurveyTally(3, 1, 4, 5, 3),
                repository().surveyTally(t, LocalDate.parse("2027-03-01"), LocalDate.parse("2027-03-31")));
        assertEquals(SurveyTally.NONE, repository().surveyTally(t, LocalDate.parse("2027-02-01"), LocalDate.parse("2027-02-28")));
    }

    @Test
    void caseOutcomesAreOfTheCasesCreatedInTheHalfOpenRange() {
        TenantId t = TenantId.generate();
        Instant from = Instant.parse("2027-03-01T00:00:00Z");
        Instant to = Instant.parse("2027-04-01T00:00:00Z");
        givenCase(t, from, "solved", Set.of());
        givenCase(t, from.plusSeconds(60), "closed", Set.of("resolution"));
        givenCase(t, from.plusSeconds(120), "closed", Set.of("firstResponse"));
        givenCase(t, from.plusSeconds(180), "pending", Set.of("resolution"));
        givenCase(t, to, "solved", Set.of());
        givenCase(t, from.minusMillis(1), "solved", Set.of());
        givenCase(TenantId.generate(), from.plusSeconds(5), "solved", Set.of());
        assertEquals(new CaseOutcomes(4, 3, 2), repository().caseOutcomes(t, from, to, 100));
        assertThrows(AnalyticsRepository.TooMany.class, () -> repository().caseOutcomes(t, from, to, 3));
    }
}
