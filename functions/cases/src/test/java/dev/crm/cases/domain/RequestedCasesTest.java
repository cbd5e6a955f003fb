package dev.crm.cases.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.crm.shared.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a journey's case request becomes when the tenant's settings have moved on since the journey was written. */
class RequestedCasesTest {
    @Test
    void theCategoryIsTheRequestedOneWhenTheTenantTakesItElseServiceRecoveryElseTheTenantsFirst() {
        assertEquals("retention", RequestedCases.category(List.of(), "retention"));
        assertEquals("service_recovery", RequestedCases.category(List.of(), null));
        assertEquals("retention", RequestedCases.category(List.of("billing", "retention"), "retention"));
        assertEquals("service_recovery", RequestedCases.category(List.of("billing", "service_recovery"), "gone"));
        assertEquals("billing", RequestedCases.category(List.of("billing"), "gone"));
    }

    @Test
    void priorityAndChannelDefaultAndTheCaseIdIsPerTenantAndRequest() {
        assertEquals(SupportCase.Priority.NORMAL, RequestedCases.priority(null));
        assertEquals(SupportCase.Priority.URGENT, RequestedCases.priority("urgent"));
        assertEquals(SupportCase.Channel.EMAIL, RequestedCases.channel(null));
        assertEquals(SupportCase.Channel.IN_PERSON, RequestedCases.channel("in_person"));
        TenantId a = new TenantId("t_aaaaaaaaaaaaaaaaaaaa");
        TenantId b = new TenantId("t_bbbbbbbbbbbbbbbbbbbb");
        assertEquals(RequestedCases.caseId(a, "jc:enr_1:0"), RequestedCases.caseId(a, "jc:enr_1:0"));
        assertNotEquals(RequestedCases.caseId(a, "jc:enr_1:0"), RequestedCases.caseId(a, "jc:enr_1:1"));
        assertNotEquals(RequestedCases.caseId(a, "jc:enr_1:0"), RequestedCases.caseId(b, "jc:enr_1:0"));
    }
}
