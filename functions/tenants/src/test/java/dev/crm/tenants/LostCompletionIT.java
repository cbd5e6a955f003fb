package dev.crm.tenants;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.FaultInjector;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Scope;
import dev.crm.tenants.entrypoints.TenantsHandler;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A keyed request whose idempotency record cannot be completed on its own (every UpdateItem fails,
 * the record's separate completion among them) and whose answer the client never got: its retry
 * after the lock runs out must answer with the first result, and the effect must exist once.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final FaultInjector faults = new FaultInjector();
    private final Infrastructure infra = TestInfrastructure.create(clock, Map.of(), faults);
    private final TenantsHandler handler = new TenantsHandler(infra);

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    /** The table's tenant profiles with this slug, counted from a scan (not through the slug's lookup). */
    private int tenantsWithSlug(String slug) {
        int n = 0;
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
        do {
            var page = infra.table().client().scan(ScanRequest.builder().tableName(infra.table().name())
                    .filterExpression("entity = :t AND slug = :s")
                    .expressionAttributeValues(Map.of(":t", Attr.s("TENANT"), ":s", Attr.s(slug)))
                    .exclusiveStartKey(start).build());
            n += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }

    @Test
    void aRetryAfterALostCompletionGetsTheFirstTenantAndItsAdminKey() {
        String slug = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "provision-" + UUID.randomUUID();
        ApiEvents request = ApiEvents.request("POST", "/v1/tenants").operator().header("Idempotency-Key", key)
                .json("{\"name\": \"Acme Ltd\", \"slug\": \"" + slug + "\"}");

        faults.crashAfter(0, Set.of("UpdateItem"));
        var first = call(request);
        faults.off();
        status(first, 201);
        // The answer is lost on its way to the client, which retries with the same key once the lock ran out.
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        var retry = call(request);

        status(retry, 201);
        Map<String, Object> a = body(first);
        Map<String, Object> b = body(retry);
        assertEquals(a.get("tenantId"), b.get("tenantId"));
        assertEquals(a.get("apiKey"), b.get("apiKey"));
        String adminKey = (String) b.get("apiKey");
        assertTrue(adminKey.startsWith(ApiKeys.PREFIX));
        var record = infra.tenants().findByKeyHash(ApiKeys.hash(adminKey));
        assertNotNull(record, "the replayed admin key authenticates");
        assertEquals(b.get("tenantId"), record.tenantId().value());
        assertEquals(1, tenantsWithSlug(slug));
    }

    @Test
    void aRetryAfterALostCompletionGetsTheFirstKeyAndNoSecondOne() {
        var tenant = TestInfrastructure.tenant(infra);
        ApiEvents request = ApiEvents.request("POST", "/v1/tenant/keys").as(tenant.id(), Scope.ADMIN)
                .header("Idempotency-Key", "key-" + UUID.randomUUID())
                .json("{\"scope\": \"read\", \"name\": \"dashboard\"}");

        faults.crashAfter(0, Set.of("UpdateItem"));
        var first = call(request);
        faults.off();
        status(first, 201);
        clock.advance(IdempotentRequests.LOCK.plusSeconds(1));
        var retry = call(request);

        status(retry, 201);
        assertEquals(body(first).get("keyId"), body(retry).get("keyId"));
        String secret = (String) body(retry).get("apiKey");
        assertEquals(body(first).get("apiKey"), secret);
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(secret)), "the replayed key authenticates");
        // the tenant's first admin key and this one: no second read key
        assertEquals(2, infra.tenants().listKeys(tenant.id()).size());
    }
}
