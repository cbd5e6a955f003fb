package dev.crm.bench.projection;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Capacity units as DynamoDB reports them ({@code ReturnConsumedCapacity=INDEXES}): the total, the
 * base table's share and each global secondary index's share, summed over the responses of one
 * operation (a list page is a Query plus, without ALL, a BatchGetItem).
 */
public record Units(double total, double table, Map<String, Double> indexes) {
    public static final Units NONE = new Units(0, 0, Map.of());

    public static Units of(Collection<ConsumedCapacity> reported) {
        double total = 0;
        double table = 0;
        Map<String, Double> ix = new TreeMap<>();
        for (ConsumedCapacity c : reported) {
            if (c == null) {
                continue;
            }
            total += value(c.capacityUnits());
            if (c.table() != null) {
                table += value(c.table().capacityUnits());
            }
            if (c.globalSecondaryIndexes() != null) {
                for (Map.Entry<String, Capacity> e : c.globalSecondaryIndexes().entrySet()) {
                    ix.merge(e.getKey(), value(e.getValue().capacityUnits()), Double::sum);
                }
            }
        }
        return new Units(total, table, Map.copyOf(ix));
    }

    public Units plus(Units o) {
        Map<String, Double> ix = new TreeMap<>(indexes);
        o.indexes.forEach((k, v) -> ix.merge(k, v, Double::sum));
        return new Units(total + o.total, table + o.table, Map.copyOf(ix));
    }

    public double index(String name) {
        return indexes.getOrDefault(name, 0.0);
    }

    /** The units of the indexes other than those named (the template's KEYS_ONLY/INCLUDE ones). */
    public double otherIndexes(Collection<String> except) {
        return indexes.entrySet().stream().filter(e -> !except.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    private static double value(Double d) {
        return d == null ? 0 : d;
    }
}
