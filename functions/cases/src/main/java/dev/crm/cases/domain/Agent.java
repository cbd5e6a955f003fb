package dev.crm.cases.domain;

import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service agent of a tenant: whom a case can be assigned to ({@code assignee} is an agent's id).
 * The email is personal data: stored as an attribute, never part of a key, never logged.
 */
public record Agent(TenantId tenant, String id, String name, String email, List<String> teams, boolean active,
        Instant createdAt, Instant updatedAt, long version) {
    public static final String ID_PREFIX = "ag_";

    public Agent {
        teams = List.copyOf(teams);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("email", email);
        m.put("teams", teams);
        m.put("active", active);
        m.put("createdAt", createdAt.toString());
        m.put("updatedAt", updatedAt.toString());
        m.put("version", version);
        return m;
    }
}
