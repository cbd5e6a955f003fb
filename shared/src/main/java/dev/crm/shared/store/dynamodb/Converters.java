package dev.crm.shared.store.dynamodb;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attribute converters the adapters' static table schemas share, so every item type stores instants
 * and free-form documents the same way (and as the items written before the Enhanced Client did).
 */
public final class Converters {
    private Converters() {}

    /** RFC 3339 in UTC with millisecond precision at most ({@link Times#format}), as a string. */
    public static final AttributeConverter<Instant> INSTANT = new AttributeConverter<>() {
        @Override
        public AttributeValue transformFrom(Instant input) {
            return AttributeValue.fromS(Times.format(input));
        }

        @Override
        public Instant transformTo(AttributeValue input) {
            return input.s() == null ? null : Instant.parse(input.s());
        }

        @Override
        public EnhancedType<Instant> type() {
            return EnhancedType.of(Instant.class);
        }

        @Override
        public AttributeValueType attributeValueType() {
            return AttributeValueType.S;
        }
    };

    /** Epoch seconds, the unit DynamoDB's TTL reads. */
    public static final AttributeConverter<Instant> EPOCH_SECONDS = new AttributeConverter<>() {
        @Override
        public AttributeValue transformFrom(Instant input) {
            return AttributeValue.fromN(Long.toString(input.getEpochSecond()));
        }

        @Override
        public Instant transformTo(AttributeValue input) {
            return input.n() == null ? null : Instant.ofEpochSecond(new java.math.BigDecimal(input.n()).longValue());
        }

        @Override
        public EnhancedType<Instant> type() {
            return EnhancedType.of(Instant.class);
        }

        @Override
        public AttributeValueType attributeValueType() {
            return AttributeValueType.N;
        }
    };

    /** A JSON-like document (maps, lists, strings, numbers, booleans) as a map attribute ({@link Attr#of}). */
    public static final AttributeConverter<Map<String, Object>> DOCUMENT = new AttributeConverter<>() {
        @Override
        public AttributeValue transformFrom(Map<String, Object> input) {
            return Attr.of(input);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> transformTo(AttributeValue input) {
            Object plain = Attr.toPlain(input);
            return plain instanceof Map<?, ?> m ? (Map<String, Object>) m : new java.util.LinkedHashMap<>();
        }

        @Override
        public EnhancedType<Map<String, Object>> type() {
            return EnhancedType.mapOf(String.class, Object.class);
        }

        @Override
        public AttributeValueType attributeValueType() {
            return AttributeValueType.M;
        }
    };
}
