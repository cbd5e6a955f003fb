package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;

/** Who a case may be assigned to: the case routes ask this of every new assignee. */
@FunctionalInterface
public interface Assignees {
    /** Whether {@code agentId} names an active agent of the tenant (another tenant's is unknown here). */
    boolean isActiveAgent(TenantId tenant, String agentId);
}
