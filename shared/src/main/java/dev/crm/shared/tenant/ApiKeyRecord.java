package dev.crm.shared.tenant;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tenant's API key as stored: everything but the secret, which exists only as {@code keyHash}. */
public record ApiKeyRecord(TenantId tenantId, String keyId, String name, Scope scope, String displayPrefix,
        String keyHash, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** The API representation: never the hash, never the secret. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyId", keyId);
        m.put("name", name);
        m.put("scope", scope.wire());
        m.put("prefix", displayPrefix);
        m.put("createdAt", createdAt);
        m.put("expiresAt", expiresAt);
        m.put("revokedAt", revokedAt);
        return m;
    }
}
