package dev.crm.cases.config;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.Cases;
import dev.crm.cases.domain.SlaTerms;
import dev.crm.cases.store.dynamodb.DynamoDbCaseRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.cases.domain.forecast.CaseForecast;
import dev.crm.cases.domain.imports.CaseImport;
import dev.crm.cases.domain.imports.CaseImportRepository;
import dev.crm.cases.domain.measures.CaseRecordsRepository;
import dev.crm.cases.domain.measures.ServiceMeasures;
import dev.crm.cases.store.dynamodb.DynamoDbCaseImportRepository;
import dev.crm.cases.store.dynamodb.DynamoDbCaseRecordsRepository;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;

/**
 * The cases function's composition root: which adapter stands behind each of the domain's ports.
 * Entrypoints take their services from here and never name an adapter themselves.
 */
public final class CasesComponents {
    private final Infrastructure infra;
    private final CaseRepository repository;
    private final dev.crm.cases.domain.AgentRepository agentRepository;

    public CasesComponents(Infrastructure infra) {
        this.infra = infra;
        this.repository = new DynamoDbCaseRepository(infra.table());
        this.agentRepository = new dev.crm.cases.store.dynamodb.DynamoDbAgentRepository(infra.table());
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

    /**
     * A stream batch of complaint touch points and journeys' case requests (ComplaintCaseOpener); each
     * batch reads a tenant once for its settings and SLA terms.
     */
    public dev.crm.cases.stream.OpenerBatch openerBatch() {
        return new dev.crm.cases.stream.OpenerBatch(
                () -> dev.crm.cases.domain.CaseOpeners.forBatch(repository, infra.tenants()::find, infra.clock()));
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

    /** The agent API's use cases. */
    public dev.crm.cases.domain.Agents agents() {
        return new dev.crm.cases.domain.Agents(agentRepository, infra.clock());
    }

    // ---- measures, forecast, history import (issue 16) ----

    private CaseRecordsRepository records() {
        return new DynamoDbCaseRecordsRepository(infra.table());
    }

    private TenantSettings settingsOf(TenantId tenant) {
        var t = infra.tenants().find(tenant);
        return t == null ? TenantSettings.defaults() : t.settings();
    }

    public ServiceMeasures measures() {
        return new ServiceMeasures(records(), this::settingsOf);
    }

    public CaseForecast forecast() {
        return new CaseForecast(records(), this::settingsOf);
    }

    public CaseImport imports() {
        CaseImportRepository lines = new DynamoDbCaseImportRepository(infra.table(), infra.clock());
        Cases cases = cases();
        return new CaseImport(lines, infra.jobs(), cases::categoryProblem,
                tenant -> SlaTerms.of(settingsOf(tenant)), infra.clock());
    }
}
