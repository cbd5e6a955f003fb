package dev.crm.cases.config;

import dev.crm.cases.domain.CaseRepository;
import dev.crm.cases.domain.Cases;
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

    /** The case API's use cases. */
    public Cases cases() {
        // the tenant's typed settings (validated by the tenants function), read through the shared port
        return new Cases(repository, tenant -> infra.tenants().find(tenant).settings().service().caseCategories().stream()
                .map(dev.crm.shared.tenant.ServiceSettings.CaseCategory::key).toList(), infra.clock());
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
        return new CaseImport(lines, infra.jobs(), cases::categoryProblem, infra.clock());
    }
}
