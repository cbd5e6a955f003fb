package dev.crm.cases.domain;

import dev.crm.shared.tenant.ServiceSettings;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The case openers of one stream batch (ComplaintCaseOpenerFunction: complaint touch points and
 * journeys' case requests). Each tenant is read once per batch, at its first record, for everything
 * opening its cases needs (service settings, categories, SLA terms); a settings change made meanwhile
 * is met from the next batch, as it would be had it come a moment later.
 */
public record CaseOpeners(ComplaintCases complaints, RequestedCases requests) {

    /** @param tenants the tenant by id, or null when it is gone */
    public static CaseOpeners forBatch(CaseRepository repository, Function<TenantId, Tenant> tenants, Clock clock) {
        Map<TenantId, Optional<TenantSettings>> read = new HashMap<>();
        Function<TenantId, TenantSettings> settingsOf = t -> read
                .computeIfAbsent(t, id -> Optional.ofNullable(tenants.apply(id)).map(Tenant::settings)).orElse(null);
        Function<TenantId, ServiceSettings> serviceOf = t -> {
            TenantSettings s = settingsOf.apply(t);
            return s == null ? null : s.service();
        };
        Cases cases = new Cases(repository,
                t -> Optional.ofNullable(serviceOf.apply(t)).orElse(ServiceSettings.defaults()).caseCategories().stream()
                        .map(ServiceSettings.CaseCategory::key).toList(),
                t -> SlaTerms.of(Optional.ofNullable(settingsOf.apply(t)).orElse(TenantSettings.defaults())), clock);
        return new CaseOpeners(new ComplaintCases(cases, serviceOf), new RequestedCases(cases, serviceOf));
    }
}
