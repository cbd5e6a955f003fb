package dev.crm.tenants;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LostCompletion;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.tenant.ApiKeys;
import dev.crm.shared.tenant.Scope;
import dev.crm.tenants.entrypoints.TenantsHandler;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A keyed request whose idempotency record cannot be completed on its own (every UpdateItem fails,
 * the record's separate completion among them) and whose answer the client never got: its retry
 * after the lock runs out must answer with the first result, and the effect must exist once.
 */
class LostCompletionIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final LostCompletion lost = new LostCompletion(clock);
    private final Infrastructure infra = lost.infra();
    private final TenantsHandler handler = new TenantsHandler(infra);

    private List<APIGatewayProxyResponseEvent> sentTwiceAfterALostCompletion(ApiEvents request) {
        return lost.sentTwice(e -> handler.handleRequest(e, new LambdaContext()), request);
    }

    @Test
    void aRetryAfterALostCompletionGetsTheFirstTenantAndItsAdminKey() {
        String slug = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        // The answer is lost on its way to the client, which retries with the same key once the lock ran out.
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/tenants").operator()
                .json("{\"name\": \"Acme Ltd\", \"slug\": \"" + slug + "\"}"));
        var first = answers.get(0);
        var retry = answers.get(1);
        status(first, 201);
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
        assertEquals(1, lost.stored("TENANT", "slug", slug), "one tenant, counted from the table, not its slug lookup");
    }

    @Test
    void aRetryAfterALostCompletionGetsTheFirstKeyAndNoSecondOne() {
        var tenant = TestInfrastructure.tenant(infra);
        var answers = sentTwiceAfterALostCompletion(ApiEvents.request("POST", "/v1/tenant/keys").as(tenant.id(), Scope.ADMIN)
                .json("{\"scope\": \"read\", \"name\": \"dashboard\"}"));
        var first = answers.get(0);
        var retry = answers.get(1);
        status(first, 201);
        status(retry, 201);
        assertEquals(body(first).get("keyId"), body(retry).get("keyId"));
        String secret = (String) body(retry).get("apiKey");
        assertEquals(body(first).get("apiKey"), secret);
        assertNotNull(infra.tenants().findByKeyHash(ApiKeys.hash(secret)), "the replayed key authenticates");
        // the tenant's first admin key and this one: no second read key
        assertEquals(2, infra.tenants().listKeys(tenant.id()).size());
    }
}
