package dev.crm.shared.store.dynamodb;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hand-written attribute mapping. Each repository maps its records with these helpers instead of a
 * reflective bean schema: nothing is introspected at cold start (see docs/performance.md).
 */
public final class Attr {
    private Attr() {}

    public static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    public static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    public static AttributeValue n(BigDecimal v) {
        return AttributeValue.fromN(v.toPlainString());
    }

    public static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }

    public static AttributeValue instant(Instant i) {
        return AttributeValue.fromS(dev.crm.shared.json.Times.format(i));
    }

    public static AttributeValue ss(Collection<String> v) {
        return AttributeValue.fromL(v.stream().map(AttributeValue::fromS).toList());
    }

    /** Epoch seconds, the unit DynamoDB's TTL reads. */
    public static AttributeValue ttl(Instant i) {
        return n(i.getEpochSecond());
    }

    /** Converts a JSON-like tree (maps, lists, strings, numbers, booleans, null) to an attribute. */
    @SuppressWarnings("unchecked")
    public static AttributeValue of(Object v) {
        if (v == null) {
            return AttributeValue.fromNul(true);
        }
        if (v instanceof AttributeValue a) {
            return a;
        }
        if (v instanceof String s) {
            return s(s);
        }
        if (v instanceof Boolean b) {
            return bool(b);
        }
        if (v instanceof BigDecimal d) {
            return n(d);
        }
        if (v instanceof Number num) {
            return AttributeValue.fromN(num.toString());
        }
        if (v instanceof Instant i) {
            return instant(i);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), of(e.getValue()));
            }
            return AttributeValue.fromM(out);
        }
        if (v instanceof Collection<?> c) {
            List<AttributeValue> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(of(o));
            }
            return AttributeValue.fromL(out);
        }
        throw new IllegalArgumentException("cannot store " + v.getClass().getName());
    }

    /** The inverse of {@link #of(Object)}: numbers come back as Long when integral, else BigDecimal. */
    public static Object toPlain(AttributeValue a) {
        if (a == null || Boolean.TRUE.equals(a.nul())) {
            return null;
        }
        if (a.s() != null) {
            return a.s();
        }
        if (a.n() != null) {
            BigDecimal d = new BigDecimal(a.n());
            if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                return d.longValueExact();
            }
            return d;
        }
        if (a.bool() != null) {
            return a.bool();
        }
        if (a.hasM()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : a.m().entrySet()) {
                out.put(e.getKey(), toPlain(e.getValue()));
            }
            return out;
        }
        if (a.hasL()) {
            List<Object> out = new ArrayList<>(a.l().size());
            for (AttributeValue o : a.l()) {
                out.add(toPlain(o));
            }
            return out;
        }
        if (a.hasSs()) {
            return new ArrayList<>(a.ss());
        }
        return null;
    }

    // ---- readers ----

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        return a == null ? null : a.s();
    }

    public static long num(Map<String, AttributeValue> item, String name, long fallback) {
        AttributeValue a = item.get(name);
        return a == null || a.n() == null ? fallback : new BigDecimal(a.n()).longValue();
    }

    public static Long numOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        return a == null || a.n() == null ? null : new BigDecimal(a.n()).longValue();
    }

    public static BigDecimal decimal(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        return a == null || a.n() == null ? null : new BigDecimal(a.n());
    }

    public static Double dbl(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        return a == null || a.n() == null ? null : Double.valueOf(a.n());
    }

    public static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        return a != null && Boolean.TRUE.equals(a.bool());
    }

    public static Instant instant(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Instant.parse(s);
    }

    public static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        if (a == null) {
            return List.of();
        }
        if (a.hasL()) {
            return a.l().stream().map(AttributeValue::s).toList();
        }
        if (a.hasSs()) {
            return List.copyOf(a.ss());
        }
        return List.of();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, AttributeValue> item, String name) {
        AttributeValue a = item.get(name);
        if (a == null || !a.hasM()) {
            return new LinkedHashMap<>();
        }
        return (Map<String, Object>) toPlain(a);
    }
}
