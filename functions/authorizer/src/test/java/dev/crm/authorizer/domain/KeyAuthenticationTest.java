package dev.crm.authorizer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Principal;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.memory.InMemoryJobRepository;
import dev.crm.devkit.memory.InMemoryTenantRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The authorizer's rule over the in-memory tenant repository and a configured operator key. */
class KeyAuthenticationTest {
    private static final String OPERATOR_KEY = "crm_op_unit0123456789abcdefghijklmnopq";

    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final InMemoryTenantRepository tenants = new InMemoryTenantRepository(new InMemoryJobRepository(clock));
    private byte[] operatorHash = Hashes.sha256(OPERATOR_KEY.getBytes(StandardCharsets.UTF_8));
    private final KeyAuthentication authentication = new KeyAuthentication(tenants, () -> operatorHash, clock);

    private String tenantWithKey(TenantId id, Scope scope, Duration expiresIn) {
        var now = clock.instant();
        tenants.create(new Tenant(id, "Acme", "acme-" + Ids.random("", 8), Tenant.Status.ACTIVE, TenantSettings.defaults(),
                TenantSecrets.generate(), now, now, 1), key(id, Scope.ADMIN, ApiKeys.generate(), null));
        String secret = ApiKeys.generate();
        tenants.createKey(key(id, scope, secret, expiresIn == null ? null : now.plus(expiresIn)));
        return secret;
    }

    private ApiKeyRecord key(TenantId id, Scope scope, String secret, java.time.Instant expiresAt) {
        return new ApiKeyRecord(id, Ids.random("key_", 20), "k", scope, ApiKeys.displayPrefix(secret), ApiKeys.hash(secret),
                clock.instant(), expiresAt, null);
    }

    private void assertRefused(String key, String reason) {
        assertEquals(reason, assertThrows(KeyAuthentication.Refused.class, () -> authentication.authenticate(key)).reason());
    }

    @Test
    void anActiveTenantKeyIsItsTenantScopeAndKeyId() {
        TenantId id = TenantId.generate();
        String secret = tenantWithKey(id, Scope.WRITE, null);
        Principal p = authentication.authenticate(secret);
        assertEquals(id, p.tenantId());
        assertEquals(Scope.WRITE, p.scope());
        assertEquals(tenants.findByKeyHash(ApiKeys.hash(secret)).keyId(), p.keyId());
    }

    @Test
    void malformedUnknownRevokedAndExpiredKeysAreRefused() {
        assertRefused(null, "malformed");
        assertRefused("Bearer nonsense", "malformed");
        assertRefused(ApiKeys.generate(), "unknown or revoked key");
        TenantId id = TenantId.generate();
        String expiring = tenantWithKey(id, Scope.READ, Duration.ofMinutes(1));
        authentication.authenticate(expiring);
        clock.advance(Duration.ofMinutes(1));
        assertRefused(expiring, "expired key");
        String revoked = ApiKeys.generate();
        ApiKeyRecord r = key(id, Scope.READ, revoked, null);
        tenants.createKey(r);
        tenants.revokeKey(id, r.keyId(), clock.instant());
        assertRefused(revoked, "unknown or revoked key");
    }

    @Test
    void theOperatorKeyIsTheOperatorWhileItIsConfigured() {
        assertTrue(authentication.authenticate(OPERATOR_KEY).isOperator());
        assertRefused("crm_op_wrong0123456789abcdefghijklmnopq", "unknown operator key");
        operatorHash = null;
        assertRefused(OPERATOR_KEY, "unknown operator key");
    }
}
