package dev.crm.churn.store.memory;

import dev.crm.churn.domain.ChurnRepository;
import dev.crm.churn.domain.ChurnRepositoryContract;
import dev.crm.churn.domain.ChurnScore;
import dev.crm.churn.domain.CustomerHistory;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import dev.crm.devkit.TestHistories;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

class InMemoryChurnRepositoryTest extends ChurnRepositoryContract {
    private final InMemoryChurnRepository repository = new InMemoryChurnRepository();

    @Override
    protected ChurnRepository repository() {
        return repository;
    }

    @Override
    protected void givenCustomers(TenantId t, List<TestHistories.Customer> customers) {
        for (TestHistories.Customer c : customers) {
            repository.putCustomer(t, new CustomerHistory(c.contactId(), c.summary(), c.complaints(), c.latestNps()),
                    Map.of("firstName", "Customer", "lastName", c.contactId().substring(2, 8)));
        }
    }

    @Override
    protected void givenErased(TenantId t, String contactId) {
        repository.putCard(t, contactId, Map.of(), false);
    }

    @Override
    protected void givenCaseLink(TenantId t, dev.crm.shared.contact.CaseLink link) {
        repository.putCaseLink(t, link);
    }

    @Override
    protected void givenPreferences(TenantId t, String contactId, Map<String, Object> view) {
        repository.putPreferences(t, contactId, view);
    }

    @Override
    protected void givenPurchase(TenantId t, String contactId, String interactionId, Instant at, BigDecimal amount,
            String currency) {
        repository.putPurchase(t, new InMemoryChurnRepository.Purchase(contactId, at, amount, currency));
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> storedScore(TenantId t, String contactId) {
        ChurnScore s = repository.score(t, contactId);
        return s == null ? null : (Map<String, Object>) Json.parse(Json.write(s.toJson()));
    }
}
