package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.surveys.domain.ScoreCounts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How day counters are stored and incremented. Each counter named by {@link ScoreCounts#toCounters()}
 * ({@code responses}, {@code score:9}, {@code answer:reasons:fast}) is its own numeric attribute,
 * prefixed {@value #PREFIX} so it cannot collide with the item's other attributes, and incremented with
 * an atomic ADD (ADD only works on top-level attributes, hence not a map). Every update also adds 1 to
 * {@code writes}, which the recount uses to tell whether the counters changed while it was reading.
 */
final class CounterUpdates {
    static final String PREFIX = "c.";
    static final String WRITES = "writes";

    private CounterUpdates() {}

    /** An update expression with its placeholders. */
    record Expression(String update, Map<String, String> names, Map<String, AttributeValue> values) {}

    /**
     * {@code ADD writes 1, <each counter> <its increment> SET <identity>}. Counter names go through
     * placeholders (they contain ':' and '.'); equal increments share one value placeholder, which keeps
     * the expression within DynamoDB's 4 KB for {@link dev.crm.surveys.domain.Survey#MAX_COUNTED_VALUES}.
     */
    static Expression add(Map<String, Long> increments, String tenantId, String surveyId, String day) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD #w :one");
        names.put("#w", WRITES);
        values.put(":one", Attr.n(1));
        int i = 0;
        Map<Long, String> valueNames = new LinkedHashMap<>();
        for (var e : increments.entrySet()) {
            String name = "#c" + Integer.toString(i++, 36);
            names.put(name, PREFIX + e.getKey());
            String value = valueNames.computeIfAbsent(e.getValue(), v -> ":v" + (v < 0 ? "m" + -v : Long.toString(v)));
            values.put(value, Attr.n(e.getValue()));
            add.append(", ").append(name).append(' ').append(value);
        }
        names.put("#day", "day");
        values.put(":entity", Attr.s("SURVEY_COUNTERS"));
        values.put(":tid", Attr.s(tenantId));
        values.put(":sid", Attr.s(surveyId));
        values.put(":day", Attr.s(day));
        add.append(" SET entity = :entity, tenantId = :tid, surveyId = :sid, #day = :day");
        return new Expression(add.toString(), names, values);
    }

    /** The counters of a stored counter item. */
    static ScoreCounts read(Map<String, AttributeValue> item) {
        Map<String, Long> counters = new HashMap<>();
        if (item != null) {
            item.forEach((name, value) -> {
                if (name.startsWith(PREFIX) && value.n() != null) {
                    counters.put(name.substring(PREFIX.length()), Long.parseLong(value.n()));
                }
            });
        }
        return ScoreCounts.fromCounters(counters);
    }
}
