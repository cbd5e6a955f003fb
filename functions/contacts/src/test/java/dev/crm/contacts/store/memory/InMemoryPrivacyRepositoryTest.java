package dev.crm.contacts.store.memory;

import dev.crm.contacts.domain.ContactRepository;
import dev.crm.contacts.domain.PrivacyRepository;
import dev.crm.contacts.domain.PrivacyRepositoryContract;
import dev.crm.contacts.domain.TimelineEntry;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class InMemoryPrivacyRepositoryTest extends PrivacyRepositoryContract {
    private final InMemoryContactRepository contacts = new InMemoryContactRepository();
    private final List<NewJob> jobs = new ArrayList<>();
    private final InMemoryPrivacyRepository privacy = new InMemoryPrivacyRepository(contacts, jobs::add);
    private final Map<String, Map<String, Object>> referenced = new HashMap<>();

    @Override
    protected PrivacyRepository privacy() {
        return privacy;
    }

    @Override
    protected ContactRepository contacts() {
        return contacts;
    }

    @Override
    protected void givenLedgerEntry(TenantId t, String contactId, Instant at, String entryId, Map<String, Object> entry) {
        privacy.givenLedgerEntry(t, contactId, at, entryId, entry);
    }

    @Override
    protected String givenReferencingEntry(TenantId t, String contactId, Instant at, String entryId) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("contactId", contactId);
        item.put("personal", Map.of("comment", "my name is Ada"));
        item.put("score", 7);
        referenced.put(entryId, item);
        privacy.givenReferencingEntry(t, contactId, new TimelineEntry("survey_response", entryId, at, Map.of("score", 7)), item);
        return entryId;
    }

    @Override
    protected Map<String, Object> referencedItem(String handle) {
        return referenced.get(handle);
    }

    @Override
    protected List<Map<String, Object>> pseudonymousLedger(TenantId t, String pseudonym) {
        return privacy.pseudonymousLedger(t, pseudonym);
    }

    @Override
    protected String suppressionReason(TenantId t, String pseudonym) {
        return privacy.suppression(t, pseudonym);
    }

    @Override
    protected boolean jobExists(JobRef ref) {
        return jobs.stream().anyMatch(j -> j.ref().equals(ref));
    }
}
