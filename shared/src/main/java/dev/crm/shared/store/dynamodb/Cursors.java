package dev.crm.shared.store.dynamodb;

import dev.crm.shared.json.Json;
import dev.crm.shared.store.Cursor;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB adapters' cursor format: a query's {@code LastEvaluatedKey} written as JSON. Only an
 * adapter reads it; {@code Page} signs it, so a client can neither read nor forge one.
 */
public final class Cursors {
    private Cursors() {}

    /** @return null when the query has no more pages */
    public static Cursor of(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        Map<String, Object> plain = new LinkedHashMap<>();
        lastEvaluatedKey.forEach((k, v) -> plain.put(k, Attr.toPlain(v)));
        return ofPlain(plain);
    }

    /** As {@link #of}, for a resume key an adapter assembled itself (strings and numbers). */
    public static Cursor ofPlain(Map<String, Object> resumeKey) {
        return resumeKey == null || resumeKey.isEmpty() ? null : new Cursor(Json.write(resumeKey));
    }

    /** @return the {@code ExclusiveStartKey} to continue from, or null to start at the beginning */
    public static Map<String, AttributeValue> startKey(Cursor cursor) {
        Map<String, Object> plain = plain(cursor);
        if (plain == null) {
            return null;
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        plain.forEach((k, v) -> key.put(k, Attr.of(v)));
        return key;
    }

    /** The resume key in plain form (strings and numbers), or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> plain(Cursor cursor) {
        if (cursor == null) {
            return null;
        }
        Object parsed = Json.parse(cursor.value());
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a DynamoDB cursor");
        }
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
