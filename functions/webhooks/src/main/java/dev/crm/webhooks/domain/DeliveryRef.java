package dev.crm.webhooks.domain;

import dev.crm.shared.tenant.TenantId;

/** Which delivery: an event to one endpoint of one tenant. */
public record DeliveryRef(TenantId tenant, String endpointId, String eventId) {}
