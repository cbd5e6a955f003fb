package dev.crm.shared.tenant;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is calling, as the authorizer established it. {@code tenantId} is null for the operator.
 *
 * <p>The one place that knows how a principal travels from the authorizer to the functions: the
 * authorizer writes {@link #toAuthorizerContext()}, API Gateway passes it on as the request's
 * authorizer context, and {@link #fromAuthorizerContext} reads it back.
 */
public record Principal(TenantId tenantId, Scope scope, String keyId) {
    static final String TENANT_ID = "tenantId";
    static final String SCOPE = "scope";
    static final String KEY_ID = "keyId";
    /** The operator's key is one key, not a key record: this is its id in logs and contexts. */
    public static final String OPERATOR_KEY_ID = "operator";

    public static Principal operator() {
        return new Principal(null, Scope.OPERATOR, OPERATOR_KEY_ID);
    }

    public boolean isOperator() {
        return scope == Scope.OPERATOR;
    }

    /** The authorizer's context: string values only, as API Gateway requires. */
    public Map<String, Object> toAuthorizerContext() {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put(SCOPE, scope.wire());
        ctx.put(TENANT_ID, tenantId == null ? "" : tenantId.value());
        ctx.put(KEY_ID, keyId);
        return ctx;
    }

    /** @return the principal, or null when the context holds none (a public route, a misconfiguration) */
    public static Principal fromAuthorizerContext(Map<String, ?> ctx) {
        if (ctx == null) {
            return null;
        }
        Scope scope = Scope.fromWire(string(ctx.get(SCOPE)));
        if (scope == null) {
            return null;
        }
        String tenant = string(ctx.get(TENANT_ID));
        TenantId tenantId = tenant == null || tenant.isEmpty() ? null : new TenantId(tenant);
        return new Principal(tenantId, scope, string(ctx.get(KEY_ID)));
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
