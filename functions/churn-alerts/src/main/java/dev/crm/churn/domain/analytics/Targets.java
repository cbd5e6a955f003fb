package dev.crm.churn.domain.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A period's targets: the measures the tenant planned, each a number in the measure's unit. */
public record Targets(Period period, Map<Measure, BigDecimal> values, Instant updatedAt) {

    public Targets {
        EnumMap<Measure, BigDecimal> copy = new EnumMap<>(Measure.class);
        copy.putAll(values);
        values = java.util.Collections.unmodifiableMap(copy);
    }

    public Map<String, Object> toJson(String currency) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", period.toString());
        Map<String, Object> v = new LinkedHashMap<>();
        for (Measure measure : Measure.values()) {
            v.put(measure.wire(), values.get(measure));
        }
        m.put("targets", v);
        m.put("currency", currency);
        m.put("updatedAt", updatedAt);
        return m;
    }
}
