package dev.crm.cases.config;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.Cases;
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

    /** The self-service use cases (contact form, status page, replies). */
    public dev.crm.cases.domain.PublicCases publicCases() {
        return new dev.crm.cases.domain.PublicCases(cases(), new dev.crm.cases.store.dynamodb.DirectoryCaseContactRepository(
                infra.table(), new dev.crm.shared.tenant.TenantCache(infra.tenants(), infra.clock())::secretsOf),
                new dev.crm.cases.store.dynamodb.DynamoDbPublicRateCounterRepository(infra.table()), infra.clock());
    }

    /** Where the product's own email goes: SES on AWS, the local outbox otherwise. */
    public dev.crm.shared.outbound.MessageSender messageSender() {
        return dev.crm.shared.outbound.MessageSenders.forSettings(infra.settings());
    }

    /** The case API's use cases. */
    public Cases cases() {
        // the tenant's typed settings (validated by the tenants function), read through the shared port
        return new Cases(repository, tenant -> infra.tenants().find(tenant).settings().service().caseCategories().stream()
                .map(dev.crm.shared.tenant.ServiceSettings.CaseCategory::key).toList(), infra.clock());
    }
}
