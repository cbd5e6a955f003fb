package dev.crm.devkit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The subset of Lambda event-filter patterns the template uses (and a little more): a pattern is a
 * tree of objects whose leaves are lists of allowed values; a value may also be {@code {"prefix": …}},
 * {@code {"exists": true|false}} or {@code {"anything-but": […]}}. The local runner's stream pump
 * delivers records by it, and the bench finds which function a sample stream record would start.
 * {@code exists} applies to leaves, as Lambda's does: a DynamoDB attribute is absent when its typed
 * leaf is, so {@code {"importJob": {"S": [{"exists": false}]}}} matches an image without
 * {@code importJob} (an absent object is matched as an empty one).
 */
public final class FilterPattern {
    private FilterPattern() {}

    /**
     * The patterns of a template DynamoDB event's {@code FilterCriteria} ({@code Properties} of the
     * event), each parsed from its JSON string; empty when the event has none (every record is admitted).
     */
    public static List<Map<String, Object>> patternsOf(Map<String, Object> eventProperties) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object f : SamTemplate.list(SamTemplate.map(eventProperties.get("FilterCriteria")).get("Filters"))) {
            Object pattern = SamTemplate.map(f).get("Pattern");
            out.add(pattern instanceof String s ? SamTemplate.map(dev.crm.shared.json.Json.parse(s)) : SamTemplate.map(pattern));
        }
        return out;
    }

    /** Whether Lambda would hand {@code record} to this event's function: no patterns, or one matching. */
    public static boolean admits(List<Map<String, Object>> patterns, Map<String, Object> record) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> matches(p, record));
    }

    @SuppressWarnings("unchecked")
    public static boolean matches(Map<String, Object> pattern, Map<String, Object> event) {
        for (var e : pattern.entrySet()) {
            Object actual = event == null ? null : event.get(e.getKey());
            Object expected = e.getValue();
            if (expected instanceof Map<?, ?> sub) {
                Map<String, Object> a = actual == null ? Map.of() : actual instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
                if (a == null || !matches((Map<String, Object>) sub, a)) {
                    return false;
                }
            } else if (expected instanceof List<?> allowed) {
                if (!anyMatches(allowed, actual)) {
                    return false;
                }
            } else if (!Objects.equals(String.valueOf(expected), String.valueOf(actual))) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<?> allowed, Object actual) {
        for (Object a : allowed) {
            if (a instanceof Map<?, ?> rule) {
                if (rule.containsKey("prefix")) {
                    if (actual instanceof String s && s.startsWith(String.valueOf(rule.get("prefix")))) {
                        return true;
                    }
                } else if (rule.containsKey("exists")) {
                    if (Boolean.TRUE.equals(rule.get("exists")) == (actual != null)) {
                        return true;
                    }
                } else if (rule.containsKey("anything-but")) {
                    Object but = rule.get("anything-but");
                    List<?> excluded = but instanceof List<?> l ? l : List.of(but);
                    if (actual != null && excluded.stream().noneMatch(x -> String.valueOf(x).equals(String.valueOf(actual)))) {
                        return true;
                    }
                }
            } else if (a == null ? actual == null : actual != null && String.valueOf(a).equals(String.valueOf(actual))) {
                return true;
            }
        }
        return false;
    }
}
