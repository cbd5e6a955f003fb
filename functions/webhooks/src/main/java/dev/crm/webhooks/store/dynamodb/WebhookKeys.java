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

    /** The partition of one endpoint's deliveries: one item per event, sorted by event id (so by time). */
    public static String deliveries(TenantId t, String endpointId) {
        return t.value() + "#WH#" + endpointId;
    }

    public static final String DELIVERY_PREFIX = "D#";

    public static String delivery(String eventId) {
        return DELIVERY_PREFIX + eventId;
    }

    /** The first sort key of deliveries of events at or after {@code at}. */
    public static String deliveriesFrom(java.time.Instant at) {
        return DELIVERY_PREFIX + dev.crm.shared.events.EventIds.lowerBound(at);
    }

    /** The tenant and endpoint of a deliveries partition key, or null when it is not one. */
    public static String[] parseDeliveries(String pk) {
        int at = pk == null ? -1 : pk.indexOf("#WH#");
        if (at <= 0) {
            return null;
        }
        return new String[] {pk.substring(0, at), pk.substring(at + 4)};
    }

    /**
     * The due-deliveries index (sparse, keys only): only pending deliveries carry its keys, so the
     * retry schedule reads what is due, never the table (docs/data-model.md, "Webhook deliveries").
     */
    public static final String DUE_DELIVERIES = "DueDeliveries";
    public static final String DUE_SHARD = "dueShard";
    /** Epoch ms: when a pending delivery next needs a deliverer (its next attempt, or its claim's end). */
    public static final String DUE_AT = "dueAt";
    public static final int DUE_SHARDS = 8;

    /** The index partition of a delivery with this partition key (stable per endpoint). */
    public static String dueShard(String deliveryPk) {
        return dueShard(Math.floorMod(deliveryPk.hashCode(), DUE_SHARDS));
    }

    public static String dueShard(int shard) {
        return "OPS#WHDUE#" + shard;
    }
}
