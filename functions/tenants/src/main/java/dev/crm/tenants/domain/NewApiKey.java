package dev.crm.tenants.domain;

import dev.crm.shared.json.JsonObject;
import dev.crm.shared.tenant.Scope;
import java.time.Instant;

/** A request for another API key. */
public record NewApiKey(Scope scope, String name, Instant expiresAt) {

    public static NewApiKey from(JsonObject body, Instant now) {
        body.allowOnly("scope", "name", "expiresAt");
        String scope = body.requiredLine("scope", 1, 16);
        Scope s = Scope.fromWire(scope);
        if (scope != null && (s == null || s == Scope.OPERATOR)) {
            body.violations().pointer("/scope", "must be one of read, write, admin");
        }
        String name = body.requiredLine("name", 1, 100);
        Instant expiresAt = body.optionalInstant("expiresAt");
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            body.violations().pointer("/expiresAt", "must be in the future");
        }
        return new NewApiKey(s, name, expiresAt);
    }
}
