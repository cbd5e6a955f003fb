package dev.crm.shared.tenant;

/** Who is calling, as the authorizer established it. {@code tenantId} is null for the operator. */
public record Principal(TenantId tenantId, Scope scope, String keyId) {}
