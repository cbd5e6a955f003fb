package dev.crm.shared.tenant.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crm.shared.idempotency.IdempotencyRepository;
import dev.crm.shared.idempotency.store.dynamodb.DynamoDbIdempotencyRepository;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantRepository;
import dev.crm.shared.tenant.TenantRepositoryContract;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.devkit.LocalDynamoDb;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DynamoDbTenantRepositoryIT extends TenantRepositoryContract {
    private final Table table = new Table(LocalDynamoDb.shared().client(), LocalDynamoDb.TABLE);

    @Override
    protected JobRepository jobs(Clock clock) {
        return new DynamoDbJobRepository(table, clock);
    }

    @Override
    protected TenantRepository tenants(JobRepository jobs) {
        return new DynamoDbTenantRepository(table);
    }

    @Override
    protected IdempotencyRepository idempotency() {
        return new DynamoDbIdempotencyRepository(table);
    }

    private static Set<String> names(java.util.Map<String, ?> item) {
        return new TreeSet<>(item.keySet());
    }

    @Test
    void theItemsAreStoredAsTheDataModelDescribesThem() {
        var now = clock.instant();
        TenantId id = TenantId.generate();
        String slug = "shape-" + Ids.random("", 10);
        Tenant t = new Tenant(id, "Acme", slug, Tenant.Status.ACTIVE, TenantSettings.defaults(), TenantSecrets.generate(),
                now, now, 1);
        String secret = ApiKeys.generate();
        ApiKeyRecord key = new ApiKeyRecord(id, Ids.random("key_", 20), "admin", Scope.ADMIN, ApiKeys.displayPrefix(secret),
                ApiKeys.hash(secret), now, now.plusSeconds(3600), null);
        new DynamoDbTenantRepository(table).create(t, key);

        var tenant = table.get(Keys.tenant(id), Keys.ITEM);
        assertEquals(new TreeSet<>(Set.of("PK", "SK", "entity", "tenantId", "name", "slug", "status", "settings", "secrets",
                "activeKeys", "activeAdminKeys", "createdAt", "updatedAt", "version")), names(tenant));
        assertEquals("TENANT", tenant.get("entity").s());
        assertEquals("active", tenant.get("status").s());
        assertEquals("1", tenant.get("activeKeys").n());
        assertEquals("1", tenant.get("activeAdminKeys").n());
        assertEquals("1", tenant.get("version").n());
        assertEquals("2026-11-24T10:00:00.125Z", tenant.get("createdAt").s());
        assertEquals("UTC", tenant.get("settings").m().get("defaultTimeZone").s());
        assertEquals(t.secrets().current().kid(),
                tenant.get("secrets").m().get("signingKeys").l().get(0).m().get("kid").s());

        var apiKey = table.get(Keys.apiKeys(id), key.keyId());
        assertEquals(new TreeSet<>(Set.of("PK", "SK", "entity", "tenantId", "keyId", "name", "scope", "prefix", "keyHash",
                "createdAt", "keyExpiresAt")), names(apiKey));
        assertEquals("API_KEY", apiKey.get("entity").s());
        assertEquals("admin", apiKey.get("scope").s());
        assertEquals("2026-11-24T11:00:00.125Z", apiKey.get("keyExpiresAt").s());

        var lookup = table.get(Keys.apiKeyMapping(key.keyHash()), Keys.ITEM);
        assertEquals(new TreeSet<>(Set.of("PK", "SK", "entity", "tenantId", "keyId")), names(lookup));
        assertEquals("API_KEY_MAPPING", lookup.get("entity").s());
        assertEquals(key.keyId(), lookup.get("keyId").s());
        var slugLookup = table.get(Keys.slugMapping(slug), Keys.ITEM);
        assertEquals(new TreeSet<>(Set.of("PK", "SK", "entity", "tenantId")), names(slugLookup));
        assertEquals("SLUG_MAPPING", slugLookup.get("entity").s());
        var registry = table.get(Keys.TENANT_REGISTRY, id.value());
        assertEquals(new TreeSet<>(Set.of("PK", "SK", "entity", "tenantId")), names(registry));
        assertEquals("TENANT_REGISTRY", registry.get("entity").s());
    }
}
