package dev.crm.surveys.store.memory;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.SurveyRepository;
import dev.crm.surveys.store.SurveyRepositoryContract;

class InMemorySurveyRepositoryTest extends SurveyRepositoryContract {
    private InMemorySurveyRepository memory;

    @Override
    protected SurveyRepository newRepository() {
        memory = new InMemorySurveyRepository();
        return memory;
    }

    @Override
    protected void givenContact(TenantId tenant, Contact contact) {
        memory.putContact(tenant, contact);
    }

    @Override
    protected void givenSegment(TenantId tenant, String segmentId, String ruleJson) {
        memory.putSegment(tenant, segmentId, Json.parse(ruleJson));
    }
}
