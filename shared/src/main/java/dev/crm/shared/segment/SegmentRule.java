package dev.crm.shared.segment;

import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A segment's membership rule: a small tree of conditions over contact fields, tags, attributes,
 * the purchase summary, the churn score and the latest NPS.
 *
 * <pre>
 * {"all": [{"field": "lifecycleStage", "op": "eq", "value": "customer"},
 *          {"any": [{"field": "tags", "op": "contains", "value": "vip"},
 *                   {"field": "purchases.totalSpend", "op": "gte", "value": "500"}]},
 *          {"not": {"field": "churn.riskTier", "op": "eq", "value": "low"}}]}
 * </pre>
 */
public sealed interface SegmentRule {
    int MAX_DEPTH = 5;
    int MAX_CONDITIONS = 50;

    boolean matches(ContactFacts facts);

    Object toJson();

    /** Whether evaluating needs the purchase summary, churn score or survey scores, not just the record. */
    boolean needsFacts();

    record All(List<SegmentRule> rules) implements SegmentRule {
        public boolean matches(ContactFacts f) {
            return rules.stream().allMatch(r -> r.matches(f));
        }

        public Object toJson() {
            return Map.of("all", rules.stream().map(SegmentRule::toJson).toList());
        }

        public boolean needsFacts() {
            return rules.stream().anyMatch(SegmentRule::needsFacts);
        }
    }

    record Any(List<SegmentRule> rules) implements SegmentRule {
        public boolean matches(ContactFacts f) {
            return rules.stream().anyMatch(r -> r.matches(f));
        }

        public Object toJson() {
            return Map.of("any", rules.stream().map(SegmentRule::toJson).toList());
        }

        public boolean needsFacts() {
            return rules.stream().anyMatch(SegmentRule::needsFacts);
        }
    }

    record Not(SegmentRule rule) implements SegmentRule {
        public boolean matches(ContactFacts f) {
            return !rule.matches(f);
        }

        public Object toJson() {
            return Map.of("not", rule.toJson());
        }

        public boolean needsFacts() {
            return rule.needsFacts();
        }
    }

    enum Kind { STRING, ENUM, TAGS, NUMBER, DATE, INSTANT, ANY }

    record Condition(String field, String op, Object value, Kind kind) implements SegmentRule {
        public boolean matches(ContactFacts f) {
            Object actual = f.value(field);
            if (op.equals("exists")) {
                boolean present = actual != null && !(actual instanceof List<?> l && l.isEmpty());
                return present == Boolean.TRUE.equals(value);
            }
            if (kind == Kind.TAGS) {
                List<?> tags = actual instanceof List<?> l ? l : List.of();
                return switch (op) {
                    case "contains" -> tags.contains(value);
                    case "not_contains" -> !tags.contains(value);
                    default -> false;
                };
            }
            if (actual == null) {
                return op.equals("ne") || op.equals("not_in");
            }
            return switch (op) {
                case "eq" -> ContactFacts.compare(actual, value) == 0 && sameKind(actual, value);
                case "ne" -> !(ContactFacts.compare(actual, value) == 0 && sameKind(actual, value));
                case "in" -> ((List<?>) value).stream().anyMatch(v -> ContactFacts.compare(actual, v) == 0 && sameKind(actual, v));
                case "not_in" -> ((List<?>) value).stream().noneMatch(v -> ContactFacts.compare(actual, v) == 0 && sameKind(actual, v));
                case "gt" -> comparable(actual, value) && ContactFacts.compare(actual, value) > 0;
                case "gte" -> comparable(actual, value) && ContactFacts.compare(actual, value) >= 0;
                case "lt" -> comparable(actual, value) && ContactFacts.compare(actual, value) < 0;
                case "lte" -> comparable(actual, value) && ContactFacts.compare(actual, value) <= 0;
                case "starts_with" -> actual instanceof String s && value instanceof String prefix && s.startsWith(prefix);
                default -> false;
            };
        }

        private static boolean sameKind(Object a, Object b) {
            return (a instanceof Number) == (b instanceof Number) && (a instanceof Boolean) == (b instanceof Boolean);
        }

        private static boolean comparable(Object a, Object b) {
            return a.getClass() == b.getClass() || (a instanceof Number && b instanceof Number);
        }

        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", field);
            m.put("op", op);
            if (value != null) {
                m.put("value", value instanceof LocalDate d ? d.toString()
                        : value instanceof BigDecimal b ? b.toPlainString() : value instanceof java.time.Instant i ? Times.format(i) : value);
            }
            return m;
        }

        public boolean needsFacts() {
            return field.startsWith("purchases.") || field.startsWith("churn.") || field.startsWith("rfm.")
                    || field.startsWith("surveys.");
        }
    }

    // ---- parsing ----

    Map<String, Kind> FIELDS = fields();

    private static Map<String, Kind> fields() {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (String s : List.of("firstName", "lastName", "email", "phone", "company", "locale", "timeZone", "externalId")) {
            m.put(s, Kind.STRING);
        }
        m.put("lifecycleStage", Kind.ENUM);
        m.put("tags", Kind.TAGS);
        m.put("createdAt", Kind.INSTANT);
        m.put("updatedAt", Kind.INSTANT);
        m.put("purchases.firstPurchaseDay", Kind.DATE);
        m.put("purchases.lastPurchaseDay", Kind.DATE);
        m.put("purchases.repeatPurchaseDays", Kind.NUMBER);
        m.put("purchases.purchases", Kind.NUMBER);
        m.put("purchases.totalSpend", Kind.NUMBER);
        m.put("purchases.repeatSpend", Kind.NUMBER);
        m.put("churn.pAlive", Kind.NUMBER);
        m.put("churn.expectedPurchases", Kind.NUMBER);
        m.put("churn.clv", Kind.NUMBER);
        m.put("churn.riskTier", Kind.ENUM);
        m.put("rfm.r", Kind.NUMBER);
        m.put("rfm.f", Kind.NUMBER);
        m.put("rfm.m", Kind.NUMBER);
        m.put("rfm.score", Kind.NUMBER);
        m.put("surveys.latestNps", Kind.NUMBER);
        return m;
    }

    Set<String> RISK_TIERS = Set.of("low", "medium", "high");
    Pattern ATTRIBUTE = Pattern.compile("attributes\\.[a-zA-Z][a-zA-Z0-9_]{0,63}");

    /** Parses a rule; problems are recorded with pointers under {@code pointer}. Null when invalid. */
    static SegmentRule parse(Object json, String pointer, Violations v) {
        int[] conditions = {0};
        SegmentRule r = parse(json, pointer, v, 1, conditions);
        if (conditions[0] > MAX_CONDITIONS) {
            v.pointer(pointer, "at most " + MAX_CONDITIONS + " conditions");
        }
        return v.isEmpty() ? r : null;
    }

    @SuppressWarnings("unchecked")
    private static SegmentRule parse(Object json, String p, Violations v, int depth, int[] count) {
        if (!(json instanceof Map<?, ?> raw)) {
            v.pointer(p, "must be an object with all, any, not, or field/op/value");
            return null;
        }
        if (depth > MAX_DEPTH) {
            v.pointer(p, "rules nest at most " + MAX_DEPTH + " levels");
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        if (m.size() == 1 && (m.containsKey("all") || m.containsKey("any"))) {
            String key = m.containsKey("all") ? "all" : "any";
            if (!(m.get(key) instanceof List<?> list) || list.isEmpty()) {
                v.pointer(p + "/" + key, "must be a non-empty array of rules");
                return null;
            }
            List<SegmentRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rules.add(parse(list.get(i), p + "/" + key + "/" + i, v, depth + 1, count));
            }
            return key.equals("all") ? new All(rules) : new Any(rules);
        }
        if (m.size() == 1 && m.containsKey("not")) {
            return new Not(parse(m.get("not"), p + "/not", v, depth + 1, count));
        }
        count[0]++;
        for (String k : m.keySet()) {
            if (!Set.of("field", "op", "value").contains(k)) {
                v.pointer(p + "/" + Violations.escape(k), "unknown member; a rule is all, any, not, or field/op/value");
            }
        }
        if (!(m.get("field") instanceof String field)) {
            v.pointer(p + "/field", "required: a field name such as lifecycleStage or purchases.totalSpend");
            return null;
        }
        Kind kind = ATTRIBUTE.matcher(field).matches() ? Kind.ANY : FIELDS.get(field);
        if (kind == null) {
            v.pointer(p + "/field", "unknown field; see docs/api.md for the fields a rule can use");
            return null;
        }
        if (!(m.get("op") instanceof String op)) {
            v.pointer(p + "/op", "required");
            return null;
        }
        Set<String> ops = switch (kind) {
            case TAGS -> Set.of("contains", "not_contains", "exists");
            case STRING -> Set.of("eq", "ne", "in", "not_in", "starts_with", "exists");
            case ENUM -> Set.of("eq", "ne", "in", "not_in", "exists");
            case NUMBER, DATE, INSTANT -> Set.of("eq", "ne", "gt", "gte", "lt", "lte", "exists");
            case ANY -> Set.of("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "starts_with", "exists");
        };
        if (!ops.contains(op)) {
            v.pointer(p + "/op", "must be one of " + String.join(", ", new java.util.TreeSet<>(ops)) + " for " + field);
            return null;
        }
        Object value = m.get("value");
        if (op.equals("exists")) {
            if (!(value instanceof Boolean)) {
                v.pointer(p + "/value", "must be true or false for exists");
                return null;
            }
            return new Condition(field, op, value, kind);
        }
        if (op.equals("in") || op.equals("not_in")) {
            if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 100) {
                v.pointer(p + "/value", "must be an array of 1 to 100 values");
                return null;
            }
            List<Object> converted = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                converted.add(scalar(list.get(i), kind, field, p + "/value/" + i, v));
            }
            return new Condition(field, op, converted, kind);
        }
        if (op.equals("starts_with") && !(value instanceof String)) {
            v.pointer(p + "/value", "must be a string for starts_with");
            return null;
        }
        return new Condition(field, op, scalar(value, kind, field, p + "/value", v), kind);
    }

    private static Object scalar(Object value, Kind kind, String field, String p, Violations v) {
        switch (kind) {
            case STRING, TAGS:
                if (value instanceof String s && !s.isEmpty() && s.length() <= 254) {
                    return field.equals("email") ? EmailAddress.normalize(s) : s;
                }
                v.pointer(p, "must be a non-empty string");
                return null;
            case ENUM:
                if (field.equals("lifecycleStage") && value instanceof String s
                        && dev.crm.shared.json.JsonObject.enumValue(LifecycleStage.class, s) != null) {
                    return s;
                }
                if (field.equals("churn.riskTier") && value instanceof String s && RISK_TIERS.contains(s)) {
                    return s;
                }
                v.pointer(p, field.equals("lifecycleStage")
                        ? "must be one of " + dev.crm.shared.json.JsonObject.wireNames(LifecycleStage.class)
                        : "must be one of high, low, medium");
                return null;
            case NUMBER:
                if (value instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                if (value instanceof String s) {
                    try {
                        return new BigDecimal(s);
                    } catch (NumberFormatException e) {
                        // fall through
                    }
                }
                v.pointer(p, "must be a number (or a decimal string for money)");
                return null;
            case DATE:
                try {
                    return LocalDate.parse(String.valueOf(value));
                } catch (DateTimeParseException e) {
                    v.pointer(p, "must be a date YYYY-MM-DD");
                    return null;
                }
            case INSTANT:
                var i = value instanceof String s ? Times.parse(s) : null;
                if (i == null) {
                    v.pointer(p, "must be an RFC 3339 timestamp");
                }
                return i;
            case ANY:
                if (value instanceof String || value instanceof Boolean) {
                    return value;
                }
                if (value instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                v.pointer(p, "must be a string, number or boolean");
                return null;
            default:
                return null;
        }
    }
}
