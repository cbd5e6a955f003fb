package dev.crm.devkit;

import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.ApiKeyRecord;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.shared.tenant.TenantSettings;
import dev.crm.shared.jobs.JobRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Infrastructure against the JVM's shared DynamoDB Local, with a clock the test chooses. */
public final class TestInfrastructure {
    public static final String OPERATOR_KEY = "crm_op_" + "testoperatorkey0123456789abcdefghijkl";

    private TestInfrastructure() {}

    public static Infrastructure create(Clock clock) {
        return create(clock, Map.of());
    }

    public static Infrastructure create(Clock clock, Map<String, String> extra) {
        return create(clock, extra, null);
    }

    /** As {@link #create(Clock, Map)}, with every DynamoDB call going through {@code faults} when given. */
    public static Infrastructure create(Clock clock, Map<String, String> extra, FaultInjector faults) {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", LocalDynamoDb.TABLE);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", db.endpoint());
        env.put("CRM_OPERATOR_KEY", OPERATOR_KEY);
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:3000");
        env.putAll(extra);
        Settings settings = new Settings(env);
        return new Infrastructure(settings, clock, faults == null ? db.client() : faults.client(settings), sleeper(clock));
    }

    /** A test waits by moving its clock; a real clock is really waited on. */
    public static JobRunner.Sleeper sleeper(Clock clock) {
        return clock instanceof MutableClock m ? millis -> m.advance(Duration.ofMillis(millis)) : JobRunner.Sleeper.REAL;
    }

    public static Infrastructure create() {
        return create(Clock.systemUTC());
    }

    /** The secrets of a tenant no test stored (repository contracts use made-up tenant ids). */
    private static final TenantSecrets UNSTORED_TENANTS = TenantSecrets.generate();

    /**
     * Each tenant's secrets as the adapters that key email guards by them take them: the stored
     * tenant's, uncached, or one fixed set for a tenant id the test never stored.
     */
    public static Function<TenantId, TenantSecrets> tenantSecrets(Infrastructure infra) {
        return id -> {
            Tenant t = infra.tenants().find(id);
            return t == null ? UNSTORED_TENANTS : t.secrets();
        };
    }

    /** A tenant made directly in the store (not through the API), with an admin key. */
    public record TestTenant(TenantId id, String slug, String adminKey) {}

    public static TestTenant tenant(Infrastructure infra) {
        TenantId id = TenantId.generate();
        String slug = "t-" + Ids.random("", 12);
        var now = infra.clock().instant();
        Tenant t = new Tenant(id, "Test " + slug, slug, Tenant.Status.ACTIVE, TenantSettings.defaults(),
                TenantSecrets.generate(), now, now, 1);
        String secret = ApiKeys.generate();
        ApiKeyRecord key = new ApiKeyRecord(id, Ids.random("key_", 20), "test admin", Scope.ADMIN,
                ApiKeys.displayPrefix(secret), Hashes.sha256Hex(secret), now, null, null);
        infra.tenants().create(t, key);
        return new TestTenant(id, slug, secret);
    }
}
