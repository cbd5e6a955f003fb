package dev.crm.bench.warm;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it: attribute names plus values (strings and binaries by their
 * bytes, numbers about one byte per two significant digits plus one, booleans and nulls one byte,
 * lists and maps three bytes plus one per element).
 */
public final class ItemSize {
    private ItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (var e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    static long value(AttributeValue v) {
        switch (v.type()) {
            case S:
                return utf8(v.s());
            case N:
                return number(v.n());
            case B:
                return v.b().asByteArray().length;
            case BOOL:
            case NUL:
                return 1;
            case L: {
                long size = 3;
                for (AttributeValue e : v.l()) {
                    size += 1 + value(e);
                }
                return size;
            }
            case M: {
                long size = 3;
                for (var e : v.m().entrySet()) {
                    size += 1 + utf8(e.getKey()) + value(e.getValue());
                }
                return size;
            }
            case SS:
                return v.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS:
                return v.ns().stream().mapToLong(ItemSize::number).sum();
            case BS:
                return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            default:
                return 0;
        }
    }

    static long number(String n) {
        String digits = n.replaceFirst("[eE].*$", "").replace("-", "").replace("+", "").replace(".", "");
        digits = digits.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, (digits.length() + 1) / 2) + 1;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Write units a transactional write of an item this size costs: 2 per started KB, at least 2. */
    public static double transactionalWriteUnits(long bytes) {
        return 2.0 * Math.max(1, (bytes + 1023) / 1024);
    }
}
