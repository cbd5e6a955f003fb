package dev.crm.cases.domain;

import dev.crm.shared.service.BusinessCalendar;
import dev.crm.shared.service.SlaPolicy;
import dev.crm.shared.tenant.TenantSettings;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * What a tenant's settings say about its cases' clocks, as of now: the business calendar, the SLA policy
 * per priority and how long a solved case stays solved before it closes by itself.
 */
public record SlaTerms(BusinessCalendar calendar, Function<SupportCase.Priority, SlaPolicy> policies,
        Duration autoCloseAfter) {

    /** The documented defaults (Monday to Friday 09:00–17:00 UTC, default policies, P7D). */
    public static SlaTerms defaults() {
        return new SlaTerms(BusinessCalendar.defaultFor(ZoneOffset.UTC), p -> SlaPolicy.defaultFor(SupportCase.wire(p)),
                Duration.ofDays(7));
    }

    public static SlaTerms of(TenantSettings s) {
        return new SlaTerms(s.businessCalendar(), p -> s.slaPolicy(SupportCase.wire(p)),
                Duration.ofDays(s.service().casesAutoCloseAfterDays()));
    }

    public SlaPolicy policy(SupportCase.Priority p) {
        return policies.apply(p);
    }
}
