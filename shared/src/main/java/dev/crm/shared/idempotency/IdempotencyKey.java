package dev.crm.shared.idempotency;

import dev.crm.shared.tenant.TenantId;
import java.util.Objects;

/**
 * Whose Idempotency-Key a record is for, and which: keys are scoped to a tenant ({@code tenant}, and
 * within it optionally to a {@code subject} such as one survey's submissions) or to the operator
 * ({@code tenant} null). {@code hash} stands for the client's key and the route; the key itself is
 * never stored.
 */
public record IdempotencyKey(TenantId tenant, String subject, String hash) {
    public IdempotencyKey {
        Objects.requireNonNull(hash, "hash");
        if (tenant == null && subject != null) {
            throw new IllegalArgumentException("the operator's keys have no subject");
        }
    }

    public static IdempotencyKey ofTenant(TenantId tenant, String subject, String hash) {
        return new IdempotencyKey(Objects.requireNonNull(tenant, "tenant"), subject, hash);
    }

    public static IdempotencyKey ofOperator(String hash) {
        return new IdempotencyKey(null, null, hash);
    }

    public boolean isOperators() {
        return tenant == null;
    }
}
