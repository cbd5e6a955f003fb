package dev.crm.cases.config;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.SlaTerms;
import dev.crm.cases.store.dynamodb.DynamoDbCaseRepository;
import dev.crm.shared.config.Infrastructure;

/**
 * The cases function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class CasesComponents {
    private final Infrastructure infra;
    private final CaseRepository repository;

    public CasesComponents(Infrastructure infra) {
        this.infra = infra;
        this.repository = new DynamoDbCaseRepository(infra.table());
    }

    public Infrastructure infrastructure() {
        return infra;
    }

    public CaseRepository repository() {
        return repository;
    }

    /** Complaint touch points open cases (ComplaintCaseOpener), per the tenant's service settings. */
    public dev.crm.cases.domain.ComplaintCases complaintCases() {
        return new dev.crm.cases.domain.ComplaintCases(cases(), tenant -> {
            var found = infra.tenants().find(tenant);
            return found == null ? null : found.settings().service();
        });
    }

    /** The complaint touch points in a batch of table stream records. */
    public java.util.List<dev.crm.cases.domain.ComplaintCases.Complaint> complaints(
            com.amazonaws.services.lambda.runtime.events.DynamodbEvent event) {
        return dev.crm.cases.store.dynamodb.ComplaintDecoder.complaints(
                dev.crm.shared.events.store.dynamodb.TableChange.of(event));
    }

    /** The case API's use cases. */
    public Cases cases() {
        // the tenant's typed settings (validated by the tenants function), read through the shared port
        return new Cases(repository, tenant -> infra.tenants().find(tenant).settings().service().caseCategories().stream()
                .map(dev.crm.shared.tenant.ServiceSettings.CaseCategory::key).toList(),
                tenant -> SlaTerms.of(infra.tenants().find(tenant).settings()), infra.clock());
    }

    /** The case events decoder over the stored events (CaseEventsFunction). */
    public dev.crm.shared.events.EventAnnouncer eventAnnouncer() {
        return new dev.crm.shared.events.EventAnnouncer(new dev.crm.cases.store.dynamodb.CaseChangeDecoder(),
                new dev.crm.shared.events.store.dynamodb.DynamoDbEventRepository(infra.table(), infra.clock()));
    }
}
