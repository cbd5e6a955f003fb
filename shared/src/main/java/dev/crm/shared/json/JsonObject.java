package dev.crm.shared.json;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object from a request body, read field by field. Every accessor records a violation (with
 * the field's JSON Pointer) instead of throwing, so one response lists every problem; the caller
 * ends with {@link #violations()} and turns a non-empty result into a 400.
 */
public final class JsonObject {
    private final Map<String, Object> map;
    private final String pointer;
    private final Violations violations;

    private JsonObject(Map<String, Object> map, String pointer, Violations violations) {
        this.map = map;
        this.pointer = pointer;
        this.violations = violations;
    }

    /** Wraps a parsed value that must be an object; a non-object is recorded at the root pointer. */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object parsed, Violations violations) {
        if (parsed instanceof Map<?, ?> m) {
            return new JsonObject((Map<String, Object>) m, "", violations);
        }
        violations.pointer("", "the body must be a JSON object");
        return new JsonObject(Map.of(), "", violations);
    }

    public static JsonObject of(Map<String, Object> map, String pointer, Violations violations) {
        return new JsonObject(map, pointer, violations);
    }

    public Violations violations() {
        return violations;
    }

    public Map<String, Object> raw() {
        return map;
    }

    public String pointer(String field) {
        return pointer + "/" + Violations.escape(field);
    }

    public boolean has(String field) {
        return map.containsKey(field);
    }

    public boolean isNull(String field) {
        return map.containsKey(field) && map.get(field) == null;
    }

    public Set<String> fields() {
        return map.keySet();
    }

    /** Every field outside {@code allowed} is a violation ("unknown field"). */
    public JsonObject allowOnly(Collection<String> allowed) {
        for (String f : map.keySet()) {
            if (!allowed.contains(f)) {
                violations.pointer(pointer(f), "unknown field");
            }
        }
        return this;
    }

    public JsonObject allowOnly(String... allowed) {
        return allowOnly(Set.of(allowed));
    }

    /**
     * A read-only field may be sent back unchanged (so clients can PUT what they GET); any other
     * value is a violation. {@code current} null means the field has no value yet.
     */
    public void readOnly(String field, Object current) {
        if (!map.containsKey(field)) {
            return;
        }
        Object sent = map.get(field);
        if (!sameValue(sent, current)) {
            violations.pointer(pointer(field), "read-only field; it cannot be changed");
        }
    }

    private static boolean sameValue(Object sent, Object current) {
        if (sent == null || current == null) {
            return sent == current;
        }
        if (sent instanceof Number a && current instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (current instanceof Instant i && sent instanceof String s) {
            Instant parsed = Times.parse(s);
            return i.equals(parsed);
        }
        return String.valueOf(sent).equals(String.valueOf(current));
    }

    // ---- strings ----

    public String requiredString(String field, int minLength, int maxLength) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalString(field, minLength, maxLength);
    }

    /** @return the string, or null if absent or JSON null */
    public String optionalString(String field, int minLength, int maxLength) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            violations.pointer(pointer(field), "must be a string");
            return null;
        }
        int len = s.codePointCount(0, s.length());
        if (len < minLength) {
            violations.pointer(pointer(field), minLength == 1 ? "must not be empty"
                    : "must be at least " + minLength + " characters");
            return null;
        }
        if (len > maxLength) {
            violations.pointer(pointer(field), "must be at most " + maxLength + " characters");
            return null;
        }
        if (hasControlCharacters(s)) {
            violations.pointer(pointer(field), "must not contain control characters");
            return null;
        }
        return s;
    }

    /** Line breaks and tabs are fine in free text; other control characters (and lone surrogates) are not. */
    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return true;
            }
            if (c == 0x7f) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A single-line string: also rejects line breaks (names, ids, header-bound values). */
    public String optionalLine(String field, int minLength, int maxLength) {
        String s = optionalString(field, minLength, maxLength);
        if (s != null && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\t') >= 0)) {
            violations.pointer(pointer(field), "must be a single line");
            return null;
        }
        return s;
    }

    public String requiredLine(String field, int minLength, int maxLength) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalLine(field, minLength, maxLength);
    }

    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalEnum(field, type);
    }

    /** Enum values are lower_snake_case on the wire and UPPER_SNAKE_CASE in Java. */
    public <E extends Enum<E>> E optionalEnum(String field, Class<E> type) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        E e = v instanceof String s ? enumValue(type, s) : null;
        if (e == null) {
            violations.pointer(pointer(field), "must be one of " + wireNames(type));
        }
        return e;
    }

    public static <E extends Enum<E>> E enumValue(Class<E> type, String wire) {
        if (wire == null || wire.isEmpty() || wire.length() > 64) {
            return null;
        }
        for (E c : type.getEnumConstants()) {
            if (c.name().toLowerCase(java.util.Locale.ROOT).equals(wire)) {
                return c;
            }
        }
        return null;
    }

    public static <E extends Enum<E>> String wireNames(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(c.name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(", ", names);
    }

    // ---- numbers and booleans ----

    public Long optionalLong(String field, long min, long max) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long l)) {
            violations.pointer(pointer(field), "must be an integer");
            return null;
        }
        if (l < min || l > max) {
            violations.pointer(pointer(field), "must be between " + min + " and " + max);
            return null;
        }
        return l;
    }

    public Long requiredLong(String field, long min, long max) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalLong(field, min, max);
    }

    public Boolean optionalBoolean(String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            violations.pointer(pointer(field), "must be true or false");
            return null;
        }
        return b;
    }

    public Instant optionalInstant(String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        Instant i = v instanceof String s ? Times.parse(s) : null;
        if (i == null) {
            violations.pointer(pointer(field), "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-23T20:30:00Z");
        }
        return i;
    }

    public Instant requiredInstant(String field) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalInstant(field);
    }

    // ---- containers ----

    @SuppressWarnings("unchecked")
    public JsonObject optionalObject(String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            violations.pointer(pointer(field), "must be an object");
            return null;
        }
        return new JsonObject((Map<String, Object>) m, pointer(field), violations);
    }

    public JsonObject requiredObject(String field) {
        if (!map.containsKey(field) || map.get(field) == null) {
            violations.pointer(pointer(field), "required");
            return null;
        }
        return optionalObject(field);
    }

    @SuppressWarnings("unchecked")
    public List<Object> optionalArray(String field, int maxItems) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            violations.pointer(pointer(field), "must be an array");
            return null;
        }
        if (l.size() > maxItems) {
            violations.pointer(pointer(field), "must have at most " + maxItems + " items");
            return null;
        }
        return (List<Object>) l;
    }

    /** An array of distinct single-line strings, de-duplicated in order. */
    public List<String> optionalStringSet(String field, int maxItems, int maxLength) {
        List<Object> list = optionalArray(field, maxItems);
        if (list == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            String p = pointer(field) + "/" + i;
            if (!(o instanceof String s) || s.isEmpty()) {
                violations.pointer(p, "must be a non-empty string");
                ok = false;
            } else if (s.codePointCount(0, s.length()) > maxLength) {
                violations.pointer(p, "must be at most " + maxLength + " characters");
                ok = false;
            } else if (hasControlCharacters(s) || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                violations.pointer(p, "must be a single line without control characters");
                ok = false;
            } else {
                out.add(s);
            }
        }
        return ok ? new ArrayList<>(out) : null;
    }

    /** A child object as a map of its own; entries are checked by the caller. */
    public Map<String, Object> optionalMap(String field, int maxEntries) {
        JsonObject o = optionalObject(field);
        if (o == null) {
            return null;
        }
        if (o.map.size() > maxEntries) {
            violations.pointer(pointer(field), "must have at most " + maxEntries + " entries");
            return null;
        }
        return new LinkedHashMap<>(o.map);
    }
}
