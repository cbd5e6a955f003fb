package dev.crm.surveys.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterShardsTest {
    @Test
    void theHashIsFnv1a() {
        // published FNV-1a 32-bit test vectors
        assertEquals(0x811c9dc5, CounterShards.fnv1a32(""));
        assertEquals(0xe40c292c, CounterShards.fnv1a32("a"));
        assertEquals(0xbf9cf968, CounterShards.fnv1a32("foobar"));
    }

    @Test
    void shardsAreStableAcrossCallsAndReleases() {
        // fixed expectations: a change here would move every stored response to another shard
        assertEquals(0, CounterShards.shardFor("a")); // 0xe40c292c = 3826002220
        assertEquals(0, CounterShards.shardFor("foobar")); // 0xbf9cf968 = 3214735720
        assertEquals(3826002220L % 7, CounterShards.shardFor("a", 7));
        for (int i = 0; i < 100; i++) {
            String id = "rsp_" + i;
            assertEquals(CounterShards.shardFor(id), CounterShards.shardFor(id));
        }
    }

    @Test
    void shardsAreInRangeAndSpreadEvenly() {
        int[] perShard = new int[CounterShards.SHARDS];
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int shard = CounterShards.shardFor("rsp_" + Integer.toString(i * 7919, 32));
            assertTrue(shard >= 0 && shard < CounterShards.SHARDS);
            perShard[shard]++;
        }
        for (int count : perShard) {
            // deterministic input; the bound only guards against a badly skewed hash
            assertTrue(count > n / CounterShards.SHARDS * 0.8 && count < n / CounterShards.SHARDS * 1.2, "count " + count);
        }
        assertEquals(0, CounterShards.shardFor("anything", 1));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> CounterShards.shardFor("", 10));
        assertThrows(IllegalArgumentException.class, () -> CounterShards.shardFor(null, 10));
        assertThrows(IllegalArgumentException.class, () -> CounterShards.shardFor("a", 0));
        assertThrows(IllegalArgumentException.class, () -> CounterShards.shardFor("a", 1001));
    }
}
