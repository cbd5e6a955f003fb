package dev.crm.shared.store;

import dev.crm.shared.tenant.TenantId;

/**
 * Every key format of the table, in one place (docs/data-model.md describes each).
 *
 * <p>Tenant-owned items: the partition key begins with the tenant id, so no query built from one
 * tenant's id can reach another's items. System lookups ({@code SYS#…}) resolve something to a
 * tenant before the tenant is known and hold nothing but that mapping. Operator records
 * ({@code OPS#…}) belong to the product operator.
 */
public final class Keys {
    /** The sort key of single-item partitions. */
    public static final String ITEM = "#";

    private Keys() {}

    // ---- system namespace (lookups before the tenant is known) ----

    public static String apiKeyMapping(String keyHash) {
        return "SYS#APIKEY#" + keyHash;
    }

    public static String slugMapping(String slug) {
        return "SYS#SLUG#" + slug;
    }

    /** The tenant registry: one partition, one item per tenant, sort key the tenant id. */
    public static final String TENANT_REGISTRY = "SYS#TENANTS";

    // ---- operator namespace ----

    public static String operatorJob(String jobId) {
        return "OPS#JOB#" + jobId;
    }

    public static String operatorIdempotency(String hash) {
        return "OPS#IDEM#" + hash;
    }

    // ---- tenant namespace ----

    public static String tenantPrefix(TenantId t) {
        return t.value() + "#";
    }

    public static String tenant(TenantId t) {
        return t.value() + "#TENANT";
    }

    public static String apiKeys(TenantId t) {
        return t.value() + "#KEY";
    }

    public static String job(TenantId t, String jobId) {
        return t.value() + "#JOB#" + jobId;
    }

    public static String idempotency(TenantId t, String hash) {
        return t.value() + "#IDEM#" + hash;
    }
}
