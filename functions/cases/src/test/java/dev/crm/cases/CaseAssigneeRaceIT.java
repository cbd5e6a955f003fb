package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.cases.store.dynamodb.CaseKeys;
import dev.crm.cases.store.dynamodb.CaseMeasureKeys;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A case's assignee is checked by the case's own transaction, through the real handler against DynamoDB
 * Local: an agent deactivated by another process just before that transaction (a hook on the
 * function's DynamoDB client runs the deactivation there, after everything the request read) gets no
 * case, and nothing is written. What was written is read from the table, not through the service.
 */
class CaseAssigneeRaceIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    /** Another process (the agent routes' instance that deactivates the agent), on a plain client. */
    private final Infrastructure elsewhere = TestInfrastructure.create(clock);
    private final CasesHandler agents = new CasesHandler(elsewhere);
    /** Runs once, just before this function's next TransactWriteItems is sent. */
    private final AtomicReference<Runnable> beforeTransaction = new AtomicReference<>();
    private final Infrastructure infra = new Infrastructure(elsewhere.settings(), clock,
            DynamoDbClients.builder(elsewhere.settings(), o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if ("TransactWriteItems".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                        Runnable r = beforeTransaction.getAndSet(null);
                        if (r != null) {
                            r.run();
                        }
                    }
                }
            })).build(), TestInfrastructure.sleeper(clock));
    private final CasesHandler handler = new CasesHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();
    private final String contact = CaseFixtures.contact(infra, tenant, "active");

    private APIGatewayProxyResponseEvent call(CasesHandler h, ApiEvents e) {
        return h.handleRequest(e.build(), new LambdaContext());
    }

    private static ApiEvents as(TenantId t, Scope scope, String method, String resource) {
        return ApiEvents.request(method, resource).as(t, scope);
    }

    private String agent(TenantId t, String name) {
        var r = call(agents, as(t, Scope.WRITE, "POST", "/v1/agents").json("{\"name\": \"" + name + "\", \"email\": \""
                + name.toLowerCase(java.util.Locale.ROOT) + "@example.com\"}"));
        status(r, 201);
        return (String) body(r).get("id");
    }

    /**
     * The agent routes deactivate it: another instance of the function, on its own client and its own
     * thread (a Lambda invocation is not re-entered), finished before the hooked call goes on.
     */
    private Runnable deactivation(String agentId) {
        return () -> {
            AtomicReference<APIGatewayProxyResponseEvent> r = new AtomicReference<>();
            Thread other = new Thread(() -> r.set(call(agents, as(tenant, Scope.WRITE, "PATCH", "/v1/agents/{id}")
                    .path("id", agentId).header("If-Match", "\"1\"")
                    .body("application/merge-patch+json", "{\"active\": false}"))));
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            status(r.get(), 200);
        };
    }

    private APIGatewayProxyResponseEvent createCase(String assignee) {
        return call(handler, as(tenant, Scope.WRITE, "POST", "/v1/cases").json("{\"contactId\": \"" + contact
                + "\", \"channel\": \"phone\", \"category\": \"billing\", \"priority\": \"normal\", \"subject\": \"Refund\""
                + (assignee == null ? "" : ", \"assignee\": \"" + assignee + "\"") + "}"));
    }

    private APIGatewayProxyResponseEvent patchCase(String id, String json) {
        return call(handler, as(tenant, Scope.WRITE, "PATCH", "/v1/cases/{id}").path("id", id)
                .header("If-Match", "\"1\"").body("application/merge-patch+json", json));
    }

    private List<Map<String, AttributeValue>> partition(String pk) {
        return infra.table().client().queryPaginator(QueryRequest.builder().tableName(infra.table().name())
                .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk", Attr.s(pk)))
                .consistentRead(true).build()).items().stream().toList();
    }

    /**
     * Every item a case write of the tenant can touch, read from the table: the number counter, the
     * arrival entries, the contact's partition (links, timeline) and each case's partition (case, history).
     */
    private Map<String, Map<String, AttributeValue>> written() {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        List<String> partitions = new java.util.ArrayList<>(List.of(CaseKeys.counter(tenant),
                CaseMeasureKeys.arrivals(tenant), Keys.contact(tenant, contact)));
        infra.table().client().queryPaginator(QueryRequest.builder().tableName(infra.table().name()).indexName(Table.GSI1)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", Table.GSI1PK))
                .expressionAttributeValues(Map.of(":pk", Attr.s(CaseKeys.allCases(tenant)))).build()).items()
                .forEach(i -> partitions.add(Attr.str(i, Table.PK)));
        for (String pk : new java.util.LinkedHashSet<>(partitions)) {
            partition(pk).forEach(i -> out.put(Attr.str(i, Table.PK) + "|" + Attr.str(i, Table.SK), i));
        }
        return out;
    }

    private Map<String, AttributeValue> caseItem(String id) {
        return infra.table().get(CaseKeys.caseItem(tenant, id), CaseKeys.CASE);
    }

    @Test
    void anActiveAgentIsAssignedInTheCasesWrite() {
        String ana = agent(tenant, "Ana");
        var before = written();
        var r = createCase(ana);
        status(r, 201);
        String id = (String) body(r).get("id");
        assertEquals(ana, Attr.str(caseItem(id), "assignee"));
        assertNotEquals(before, written());
        String gus = agent(tenant, "Gus");
        status(patchCase(id, "{\"assignee\": \"" + gus + "\"}"), 200);
        assertEquals(gus, Attr.str(caseItem(id), "assignee"));
    }

    @Test
    void anAgentDeactivatedAfterTheRequestReadAllItNeededGetsNoNewCase() {
        String eve = agent(tenant, "Eve");
        var before = written();
        beforeTransaction.set(deactivation(eve));
        var r = createCase(eve);
        assertNull(beforeTransaction.get(), "the agent was deactivated just before the create's transaction");
        problem(r, 400, "validation-error");
        assertEquals(List.of("/assignee"), pointers(r));
        assertEquals(before, written(), "nothing written, no number used");
        // the next create takes the first number
        var ok = createCase(null);
        status(ok, 201);
        assertEquals("CS-000001", body(ok).get("number"));

        String id = (String) body(ok).get("id");
        String fay = agent(tenant, "Fay");
        var beforePatch = written();
        beforeTransaction.set(deactivation(fay));
        var refused = patchCase(id, "{\"assignee\": \"" + fay + "\", \"priority\": \"high\"}");
        assertNull(beforeTransaction.get(), "the agent was deactivated just before the change's transaction");
        problem(refused, 400, "validation-error");
        assertEquals(List.of("/assignee"), pointers(refused));
        assertEquals(beforePatch, written(), "nothing written: not the assignee, not the priority, no history");
    }

    @Test
    void anotherTenantsAgentIsRefusedExactlyAsAMissingOneAndNothingIsWritten() {
        String foreign = agent(other, "Kim");
        var before = written();
        var missing = createCase(Ids.random("ag_", 20));
        var foreignOne = createCase(foreign);
        problem(missing, 400, "validation-error");
        assertEquals(List.of("/assignee"), pointers(foreignOne));
        assertEquals(body(missing), body(foreignOne));
        assertEquals(before, written());
        var ok = createCase(null);
        status(ok, 201);
        String id = (String) body(ok).get("id");
        var beforePatch = written();
        var patchMissing = patchCase(id, "{\"assignee\": \"" + Ids.random("ag_", 20) + "\"}");
        var patchForeign = patchCase(id, "{\"assignee\": \"" + foreign + "\"}");
        problem(patchForeign, 400, "validation-error");
        assertEquals(body(patchMissing), body(patchForeign));
        assertEquals(beforePatch, written());
        assertTrue(caseItem(id).get("assignee") == null);
    }
}
