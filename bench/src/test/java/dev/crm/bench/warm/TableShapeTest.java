package dev.crm.bench.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TableShapeTest {
    private final TableShape shape = new TableShape(List.of("PK", "SK"), List.of(
            new TableShape.Index("GSI1", List.of("GSI1PK", "GSI1SK"), "ALL", List.of()),
            new TableShape.Index("GSI2", List.of("GSI2PK", "GSI2SK"), "KEYS_ONLY", List.of())));

    private static Map<String, AttributeValue> item(String... kv) {
        Map<String, AttributeValue> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], AttributeValue.fromS(kv[i + 1]));
        }
        return m;
    }

    @Test
    void entersChangesAndLeavesIndexes() {
        var plain = item("PK", "a", "SK", "#", "v", "1");
        var inBoth = item("PK", "a", "SK", "#", "v", "1", "GSI1PK", "x", "GSI1SK", "y", "GSI2PK", "p", "GSI2SK", "q");
        assertEquals(0, shape.indexWriteUnits(null, plain));
        assertEquals(2, shape.indexWriteUnits(null, inBoth));
        assertEquals(2, shape.indexWriteUnits(inBoth, null));
        assertEquals(0, shape.indexWriteUnits(inBoth, new HashMap<>(inBoth)));
        var changedValue = new HashMap<>(inBoth);
        changedValue.put("v", AttributeValue.fromS("2"));
        // GSI1 projects everything: one update; GSI2 holds keys only: unchanged
        assertEquals(1, shape.indexWriteUnits(inBoth, changedValue));
        var movedKey = new HashMap<>(inBoth);
        movedKey.put("GSI1PK", AttributeValue.fromS("z"));
        assertEquals(2, shape.indexWriteUnits(inBoth, movedKey));
        var left = new HashMap<>(inBoth);
        left.remove("GSI2PK");
        // leaves GSI2 (a delete); GSI1 projects everything, so its entry changes too
        assertEquals(2, shape.indexWriteUnits(inBoth, left));
    }

    @Test
    void keyOfAPutItem() {
        assertEquals(item("PK", "a", "SK", "#"), shape.keyOf(item("PK", "a", "SK", "#", "v", "1")));
    }
}
