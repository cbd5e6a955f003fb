package dev.crm.shared.tenant;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A SaaS customer of the product. */
public record Tenant(TenantId id, String name, String slug, Status status, TenantSettings settings,
        TenantSecrets secrets, Instant createdAt, Instant updatedAt, long version) {

    public enum Status { ACTIVE, DEPROVISIONING }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenantId", id.value());
        m.put("name", name);
        m.put("slug", slug);
        m.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        m.put("settings", settings.toJson());
        m.put("createdAt", createdAt);
        m.put("updatedAt", updatedAt);
        m.put("version", version);
        return m;
    }
}
