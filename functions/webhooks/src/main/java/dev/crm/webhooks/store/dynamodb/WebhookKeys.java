package dev.crm.webhooks.store.dynamodb;

import dev.crm.shared.tenant.TenantId;

/** The webhooks function's key formats (docs/data-model.md, "Webhooks"). */
public final class WebhookKeys {
    private WebhookKeys() {}

    // ---- endpoints ----

    /** All of a tenant's endpoints in one partition (at most 20): the fan-out reads it with one query. */
    public static String endpoints(TenantId t) {
        return t.value() + "#WEBHOOKS";
    }

    // ---- deliveries ----
}
