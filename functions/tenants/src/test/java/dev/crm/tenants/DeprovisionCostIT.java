package dev.crm.tenants;

import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.LocalDynamoDb;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Settings;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import dev.crm.tenants.domain.TenantService;
import dev.crm.tenants.entrypoints.DeprovisionWorker;
import dev.crm.tenants.entrypoints.TenantsHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Deprovisioning reads the tenant's items, not the table: what it deletes is exactly the tenant's
 * (counted by a scan of the whole table here, not through the index the sweep uses), and what it
 * costs does not change when the other tenants hold ten times as much.
 */
class DeprovisionCostIT {
    private final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    private final Meter meter = new Meter();
    private final Infrastructure infra = metered(clock, meter);
    private final TenantsHandler handler = new TenantsHandler(infra);
    private final DynamoDbClient raw = LocalDynamoDb.shared().client();

    @Test
    void costFollowsTheTenantsItemsNotTheTable() {
        var other = TestInfrastructure.tenant(infra);
        writeOtherData(other.id(), 0, 20);

        double[] once = deprovisionOneTenant(other.id());
        writeOtherData(other.id(), 20, 200); // ten times the other tenant's data
        double[] tenTimes = deprovisionOneTenant(other.id());

        // Same tenant shape, ten times the rest of the table: the same units (a scan read the table).
        System.out.println("deprovision sweep, RCU/WCU: 1x other data " + once[0] + "/" + once[1]
                + ", 10x " + tenTimes[0] + "/" + tenTimes[1]);
        assertEquals(once[0], tenTimes[0], "read units with 1x and 10x other data");
        assertEquals(once[1], tenTimes[1], "write units with 1x and 10x other data");
        assertTrue(once[0] < 10, "reads in proportion to the tenant's ~17 items: " + once[0]);
    }

    /** Makes a tenant of a fixed shape, deprovisions it, checks the table; @return {RCU, WCU} of the sweep. */
    private double[] deprovisionOneTenant(TenantId other) {
        var a = TestInfrastructure.tenant(infra);
        String t = a.id().value();
        for (int i = 0; i < 2; i++) {
            status(handler.handleRequest(ApiEvents.request("POST", "/v1/tenant/keys").as(a.id(), Scope.ADMIN)
                    .json("{\"scope\": \"read\", \"name\": \"k" + i + "\"}").build(), new LambdaContext()), 201);
        }
        // Items of other kinds and write paths, through the product's client: a partition of several
        // items (batch), a counter an update creates, a transaction's put, and a system lookup that
        // names the tenant only in its tenantId attribute.
        var client = infra.table().client();
        String table = infra.table().name();
        List<WriteRequest> contact = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            contact.add(put(item(t + "#C#c_00000000000000000001", "T#" + i, 300)));
        }
        client.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table, contact)).build());
        client.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(Map.of("PK", s(t + "#SRVC#srv_1#3"), "SK", s("2026-11-24")))
                .updateExpression("ADD responses :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .build());
        client.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item(t + "#EMAIL#abc", "#", 100)).build()).build()).build());
        Map<String, AttributeValue> lookup = item("SYS#SURVEY#srv_" + t, "#", 50);
        lookup.put("tenantId", s(t));
        client.putItem(PutItemRequest.builder().tableName(table).item(lookup).build());

        Map<TenantId, List<String>> before = owned(a.id(), other);
        int otherBefore = before.get(other).size();
        assertTrue(before.get(a.id()).size() >= 16, "the tenant's items are in the table: " + before.get(a.id()));

        status(handler.handleRequest(ApiEvents.request("DELETE", "/v1/tenants/{tenantId}").path("tenantId", t).operator()
                .build(), new LambdaContext()), 202);
        meter.start();
        new DeprovisionWorker(infra).handleRequest(
                SampleEvents.jobQueued(Keys.operatorJob(TenantService.deprovisionJobId(a.id()))), new LambdaContext());
        meter.on = false;
        double[] cost = {meter.rcu, meter.wcu};

        Map<TenantId, List<String>> after = owned(a.id(), other);
        List<String> left = after.get(a.id()).stream().filter(pk -> !pk.startsWith("OPS#JOB#")).toList();
        assertEquals(List.of(), left, "nothing of the deprovisioned tenant is left but its job");
        assertEquals(otherBefore, after.get(other).size(), "the other tenant's items are all there");
        return cost;
    }

    /** Keys of every item each tenant owns, by a scan of the whole table (consistent, all pages). */
    private Map<TenantId, List<String>> owned(TenantId... tenants) {
        Map<TenantId, List<String>> out = new HashMap<>();
        for (TenantId t : tenants) {
            out.put(t, new ArrayList<>());
        }
        Map<String, AttributeValue> start = null;
        do {
            var b = ScanRequest.builder().tableName(LocalDynamoDb.TABLE).consistentRead(true);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            var page = raw.scan(b.build());
            for (var item : page.items()) {
                String pk = item.get("PK").s();
                var owner = item.get("tenantId");
                for (TenantId tenant : tenants) {
                    if (pk.startsWith(tenant.value() + "#") || (owner != null && tenant.value().equals(owner.s()))) {
                        out.get(tenant).add(pk + " " + item.get("SK").s());
                    }
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private void writeOtherData(TenantId other, int from, int to) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(put(item(other.value() + "#C#c_" + i, "T#" + i, 1000)));
            if (batch.size() == 25 || i == to - 1) {
                infra.table().client().batchWriteItem(BatchWriteItemRequest.builder()
                        .requestItems(Map.of(infra.table().name(), batch)).build());
                batch = new ArrayList<>();
            }
        }
    }

    private static Map<String, AttributeValue> item(String pk, String sk, int bytes) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s(pk));
        item.put("SK", s(sk));
        item.put("data", s("x".repeat(bytes)));
        return item;
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static Infrastructure metered(MutableClock clock, Meter meter) {
        LocalDynamoDb db = LocalDynamoDb.shared();
        Map<String, String> env = new HashMap<>();
        env.put("TABLE_NAME", LocalDynamoDb.TABLE);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", db.endpoint());
        env.put("CRM_OPERATOR_KEY", TestInfrastructure.OPERATOR_KEY);
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:3000");
        return new Infrastructure(new Settings(env), clock, db.client(meter), TestInfrastructure.sleeper(clock));
    }

    /**
     * Sums the consumed capacity DynamoDB Local reports, a read that finds nothing counted at
     * DynamoDB's minimum of 0.5 (Local reports 0), as the bench's capacity pass counts it.
     */
    static final class Meter implements ExecutionInterceptor {
        volatile boolean on;
        double rcu;
        double wcu;

        void start() {
            rcu = 0;
            wcu = 0;
            on = true;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            if (r instanceof QueryRequest q) {
                return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (r instanceof GetItemRequest g) {
                return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (r instanceof BatchWriteItemRequest b) {
                return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (r instanceof UpdateItemRequest u) {
                return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            return r;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            var r = context.response();
            if (!on) {
                return;
            }
            if (r instanceof QueryResponse q) {
                rcu += Math.max(0.5, units(q.consumedCapacity()));
            } else if (r instanceof GetItemResponse g) {
                rcu += Math.max(0.5, units(g.consumedCapacity()));
            } else if (r instanceof BatchWriteItemResponse b) {
                b.consumedCapacity().forEach(c -> wcu += units(c));
            } else if (r instanceof UpdateItemResponse u) {
                wcu += units(u.consumedCapacity());
            } else if (r.getClass().getSimpleName().matches("Scan.*|PutItem.*|TransactWriteItems.*|DeleteItem.*")) {
                throw new AssertionError("the sweep made a call the meter does not count: " + r.getClass().getSimpleName());
            }
        }

        private static double units(ConsumedCapacity c) {
            return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
        }
    }
}
