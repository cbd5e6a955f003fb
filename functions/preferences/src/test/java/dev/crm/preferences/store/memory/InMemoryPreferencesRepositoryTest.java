package dev.crm.preferences.store.memory;

import dev.crm.preferences.domain.PreferencesRepository;
import dev.crm.preferences.domain.PreferencesRepositoryContract;
import dev.crm.shared.tenant.TenantId;

/** The fake held to the port's contract, so service tests on it mean what they say. */
class InMemoryPreferencesRepositoryTest extends PreferencesRepositoryContract {
    private final InMemoryPreferencesRepository repository = new InMemoryPreferencesRepository();

    @Override
    protected PreferencesRepository repository() {
        return repository;
    }

    @Override
    protected String givenContact(TenantId t, String email) {
        return repository.givenContact(t, email, null, NOW);
    }

    @Override
    protected void givenErasing(TenantId t, String contactId) {
        repository.markErasing(t, contactId);
    }

    @Override
    protected void givenSuppressed(TenantId t, String addressPseudonym) {
        repository.suppress(t, addressPseudonym);
    }
}
