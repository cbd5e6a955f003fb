package dev.crm.authorizer.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Principal;
import dev.crm.shared.tenant.TenantRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The authorizer's rule: a presented key is either the operator's key, or a tenant's active,
 * unexpired key (then the principal carries its tenant, scope and key id), or it is refused.
 */
public final class KeyAuthentication {
    /** Operator keys are {@code crm_op_…}; tenant keys {@code crm_live_…}. */
    public static final String OPERATOR_PREFIX = "crm_op_";

    private final TenantRepository tenants;
    private final OperatorKeyRepository operatorKey;
    private final Clock clock;

    public KeyAuthentication(TenantRepository tenants, OperatorKeyRepository operatorKey, Clock clock) {
        this.tenants = tenants;
        this.operatorKey = operatorKey;
        this.clock = clock;
    }

    /**
     * @param presentedKey the bearer token as presented, or null
     * @throws Refused when the key is malformed, unknown, revoked or expired
     */
    public Principal authenticate(String presentedKey) {
        if (presentedKey == null || !ApiKeys.looksValid(presentedKey)) {
            throw new Refused("malformed");
        }
        if (presentedKey.startsWith(OPERATOR_PREFIX)) {
            byte[] expected = operatorKey.currentKeyHash();
            if (expected == null
                    || !Hashes.equal(expected, Hashes.sha256(presentedKey.getBytes(StandardCharsets.UTF_8)))) {
                throw new Refused("unknown operator key");
            }
            return Principal.operator();
        }
        ApiKeyRecord record = tenants.findByKeyHash(ApiKeys.hash(presentedKey));
        if (record == null || !record.isUsableAt(clock.instant())) {
            throw new Refused(record == null ? "unknown or revoked key" : "expired key");
        }
        return new Principal(record.tenantId(), record.scope(), record.keyId());
    }

    /** The key does not authenticate; {@code reason} is for the log only, never for the caller. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String reason) {
            super(reason, null, false, false);
        }

        public String reason() {
            return getMessage();
        }
    }
}
