package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.store.dynamodb.DynamoDbClients;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What a case or agent list page reads (CS3, AG2 in docs/data-model.md), through the real handler on
 * DynamoDB Local: an unfiltered page reads its items and one more, not a hundred, so its read units
 * follow the page size. Index entries are counted from the responses on the function's own client.
 */
class CaseListReadsIT {
    private final MutableClock clock = MutableClock.at("2026-12-07T09:00:00Z");
    private final Infrastructure plain = TestInfrastructure.create(clock);
    /** Index entries the function's queries returned. */
    private final AtomicInteger entriesRead = new AtomicInteger();
    private final Infrastructure infra = new Infrastructure(plain.settings(), clock,
            DynamoDbClients.builder(plain.settings(), o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if (context.response() instanceof QueryResponse r) {
                        entriesRead.addAndGet(r.count());
                    }
                }
            })).build(), TestInfrastructure.sleeper(clock));
    private final CasesHandler handler = new CasesHandler(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final String contact = CaseFixtures.contact(infra, tenant, "active");

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private void createCases(int n) {
        for (int i = 0; i < n; i++) {
            status(call(ApiEvents.request("POST", "/v1/cases").as(tenant, Scope.WRITE).json("{\"contactId\": \""
                    + contact + "\", \"channel\": \"phone\", \"category\": \"billing\", \"priority\": \""
                    + (i % 2 == 0 ? "normal" : "high") + "\", \"subject\": \"Refund " + i + "\"}")), 201);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> page(String query, String cursor) {
        ApiEvents e = ApiEvents.request("GET", "/v1/cases").as(tenant, Scope.READ).query("limit", "5");
        if (query != null) {
            e = e.query("priority", query);
        }
        if (cursor != null) {
            e = e.query("cursor", cursor);
        }
        entriesRead.set(0);
        var r = call(e);
        status(r, 200);
        return body(r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnfilteredPageReadsItsCasesAndOneMore() {
        createCases(12);
        List<Object> seen = new ArrayList<>();
        String cursor = null;
        for (int p = 0; p < 3; p++) {
            Map<String, Object> page = page(null, cursor);
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertEquals(p < 2 ? 5 : 2, items.size());
            items.forEach(c -> seen.add(c.get("number")));
            assertTrue(entriesRead.get() <= 6, "page " + p + " read " + entriesRead.get() + " index entries for 5 cases");
            cursor = (String) page.get("nextCursor");
            if (p < 2) {
                assertNotNull(cursor, "page " + p + " has a next page");
            }
        }
        assertEquals(12, seen.stream().distinct().count(), "every case once");
        assertEquals(null, cursor, "the last page says so");
        // a filtered page may read ahead (a selective filter needs few round trips); it still pages right
        Map<String, Object> high = page("high", null);
        assertEquals(5, ((List<?>) high.get("items")).size());
        assertTrue(((List<Map<String, Object>>) high.get("items")).stream().allMatch(c -> "high".equals(c.get("priority"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnfilteredAgentPageReadsItsAgentsAndOneMore() {
        for (int i = 0; i < 12; i++) {
            status(call(ApiEvents.request("POST", "/v1/agents").as(tenant, Scope.WRITE)
                    .json("{\"name\": \"Agent " + (char) ('a' + i) + "\", \"email\": \"agent" + i + "@example.com\"}")), 201);
        }
        entriesRead.set(0);
        var r = call(ApiEvents.request("GET", "/v1/agents").as(tenant, Scope.READ).query("limit", "5"));
        status(r, 200);
        assertEquals(5, ((List<?>) body(r).get("items")).size());
        assertNotNull(body(r).get("nextCursor"));
        assertTrue(entriesRead.get() <= 6, "read " + entriesRead.get() + " index entries for 5 agents");
    }
}
