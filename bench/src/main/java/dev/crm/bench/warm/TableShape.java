package dev.crm.bench.warm;

import dev.crm.devkit.SamTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's keys and global secondary indexes as template.yaml defines them, and what a write of
 * one item costs with them: DynamoDB writes an index entry when an item enters, leaves or changes in
 * an index (two writes when its index key changes), sized by what the index projects.
 */
public record TableShape(List<String> keys, List<Index> indexes) {
    /** @param projected the non-key attributes an INCLUDE index projects */
    public record Index(String name, List<String> keys, String projection, List<String> projected) {}

    public static TableShape of(SamTemplate template) {
        Map<String, Object> p = template.tableProperties();
        List<Index> indexes = new ArrayList<>();
        for (Object o : SamTemplate.list(p.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> g = SamTemplate.map(o);
            Map<String, Object> proj = SamTemplate.map(g.get("Projection"));
            indexes.add(new Index(String.valueOf(g.get("IndexName")), names(g.get("KeySchema")),
                    String.valueOf(proj.getOrDefault("ProjectionType", "ALL")),
                    SamTemplate.list(proj.get("NonKeyAttributes")).stream().map(String::valueOf).toList()));
        }
        return new TableShape(names(p.get("KeySchema")), indexes);
    }

    private static List<String> names(Object keySchema) {
        List<String> out = new ArrayList<>();
        for (Object k : SamTemplate.list(keySchema)) {
            out.add(String.valueOf(SamTemplate.map(k).get("AttributeName")));
        }
        return out;
    }

    public Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String k : keys) {
            if (item.containsKey(k)) {
                key.put(k, item.get(k));
            }
        }
        return key;
    }

    /**
     * Index write units for an item going from {@code before} to {@code after} (null when absent), at
     * the standard rate of 1 WCU per started KB of each entry written or deleted.
     */
    public double indexWriteUnits(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        double units = 0;
        for (Index ix : indexes) {
            Map<String, AttributeValue> b = entry(ix, before);
            Map<String, AttributeValue> a = entry(ix, after);
            if (b == null && a == null) {
                continue;
            }
            if (b != null && a != null) {
                if (b.equals(a)) {
                    continue; // nothing the index holds changed
                }
                boolean sameKey = ix.keys().stream().allMatch(k -> Objects.equals(before.get(k), after.get(k)));
                units += sameKey ? kb(Math.max(ItemSize.of(b), ItemSize.of(a))) : kb(ItemSize.of(b)) + kb(ItemSize.of(a));
            } else {
                units += kb(ItemSize.of(b != null ? b : a));
            }
        }
        return units;
    }

    /** The index entry an item makes (its projected attributes), or null when the item is not in the index. */
    Map<String, AttributeValue> entry(Index ix, Map<String, AttributeValue> item) {
        if (item == null || !item.keySet().containsAll(ix.keys())) {
            return null;
        }
        if (ix.projection().equals("ALL")) {
            return item;
        }
        Map<String, AttributeValue> e = new HashMap<>();
        List<String> names = new ArrayList<>(keys);
        names.addAll(ix.keys());
        if (ix.projection().equals("INCLUDE")) {
            names.addAll(ix.projected());
        }
        for (String n : names) {
            if (item.containsKey(n)) {
                e.put(n, item.get(n));
            }
        }
        return e;
    }

    private static long kb(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }
}
