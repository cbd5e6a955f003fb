package dev.crm.shared.store.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TenantItemsTest {
    private static final String T = "t_0123456789abcdefghij";

    private static Map<String, AttributeValue> item(String pk, String sk) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("PK", AttributeValue.fromS(pk));
        m.put("SK", AttributeValue.fromS(sk));
        return m;
    }

    @Test
    void aTenantsItemGetsAStableShardOfItsTenant() {
        var tagged = TenantItems.tagged(item(T + "#C#c_1", "A#PROFILE"));
        String shard = tagged.get(TenantItems.ATTRIBUTE).s();
        assertEquals(T + "#", shard.substring(0, T.length() + 1));
        int n = Integer.parseInt(shard.substring(T.length() + 1));
        assertEquals(true, n >= 0 && n < TenantItems.SHARDS);
        assertEquals(shard, TenantItems.tagged(item(T + "#C#c_1", "A#PROFILE")).get(TenantItems.ATTRIBUTE).s());
    }

    @Test
    void aLookupIsTheTenantsByItsTenantIdAttributeAndOperatorItemsAreNoOnes() {
        var lookup = item("SYS#SLUG#acme", "#");
        lookup.put("tenantId", AttributeValue.fromS(T));
        assertEquals(T + "#", TenantItems.tagged(lookup).get(TenantItems.ATTRIBUTE).s().substring(0, T.length() + 1));
        var op = item("OPS#JOB#deprovision_" + T, "#");
        assertSame(op, TenantItems.tagged(op));
        assertNull(TenantItems.valueFor(item("SYS#TENANTS", T), null), "a registry row without tenantId is no tenant's");
    }

    @Test
    void theShardJoinsAnUpdatesSetClauseOrStartsOne() {
        var names = Map.of("#v", "version");
        var values = Map.of(":v", AttributeValue.fromN("2"));
        assertEquals("SET #crmTenantShard = :crmTenantShard, #v = :v REMOVE a",
                TenantItems.Expression.of("SET #v = :v REMOVE a", names, values, "x").expression());
        assertEquals("REMOVE a SET #crmTenantShard = :crmTenantShard, #v = :v",
                TenantItems.Expression.of("REMOVE a SET #v = :v", names, values, "x").expression());
        assertEquals("SET #crmTenantShard = :crmTenantShard ADD hits :one",
                TenantItems.Expression.of("ADD hits :one", Map.of(), Map.of(), "x").expression());
        // a placeholder spelled #set is no clause
        assertEquals("ADD #set :one set #crmTenantShard = :crmTenantShard, b = :b",
                TenantItems.Expression.of("ADD #set :one set b = :b", Map.of(), Map.of(), "x").expression());
        var e = TenantItems.Expression.of("ADD hits :one", Map.of(), Map.of(), "x");
        assertEquals("tenantShard", e.names().get("#crmTenantShard"));
        assertEquals("x", e.values().get(":crmTenantShard").s());
    }
}
