package dev.crm.churn.store.memory;

import dev.crm.churn.domain.analytics.AnalyticsRepository;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Customer;
import dev.crm.churn.domain.analytics.AnalyticsRepository.Score;
import dev.crm.churn.domain.analytics.AnalyticsRepository.SurveyTally;
import dev.crm.churn.domain.analytics.AnalyticsRepositoryContract;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

class InMemoryAnalyticsRepositoryTest extends AnalyticsRepositoryContract {
    private final InMemoryAnalyticsRepository repository = new InMemoryAnalyticsRepository();

    @Override
    protected AnalyticsRepository repository() {
        return repository;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void givenCustomer(TenantId t, String contactId, PurchaseSummary summary, Map<String, Object> view, boolean active) {
        Score score = view == null ? null : new Score(((BigDecimal) view.get("pAlive")).doubleValue(),
                ((BigDecimal) view.get("expectedPurchases")).doubleValue(),
                new BigDecimal((String) ((Map<String, Object>) view.get("clv")).get("amount")),
                new BigDecimal((String) ((Map<String, Object>) view.get("valueAtRisk")).get("amount")), (String) view.get("riskTier"));
        Contact contact = active ? new Contact(contactId, new ContactData("C", null, null, null, null, null, null, null, List.of(),
                Map.of(), null), Instant.EPOCH, Instant.EPOCH, 1, Contact.Status.ACTIVE) : null;
        repository.givenCustomer(t, new Customer(contactId, summary, null, score, view, contact));
    }

    @Override
    protected void givenPurchase(TenantId t, String contactId, Instant at, BigDecimal amount, String currency) {
        repository.givenPurchase(t, new InMemoryAnalyticsRepository.RawPurchase(contactId, at, amount, currency));
    }

    @Override
    protected void givenSurveyDay(TenantId t, String kind, LocalDate day, Map<Integer, Integer> scores) {
        scores.forEach((score, n) -> repository.givenSurveyDay(t, day, kind.equals("nps")
                ? new SurveyTally(score >= 9 ? n : 0, score == 7 || score == 8 ? n : 0, score <= 6 ? n : 0, 0, 0)
                : new SurveyTally(0, 0, 0, n, score >= 4 ? n : 0)));
    }

    @Override
    protected void givenCase(TenantId t, Instant createdAt, String status, Set<String> breaches) {
        boolean solved = status.equals("solved") || status.equals("closed");
        repository.givenCase(t, new InMemoryAnalyticsRepository.RawCase(createdAt, solved, breaches.contains("resolution")));
    }
}
