package dev.crm.shared.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON reading and writing on jackson-core's streaming API only.
 *
 * <p>A databind ObjectMapper costs about 0.2 s at cold start (see docs/performance.md); the product's
 * request bodies are small and validated field by field anyway, so a plain tree of {@code Map},
 * {@code List}, {@code String}, {@code BigDecimal}/{@code Long}, {@code Boolean} and {@code null}
 * is all it needs.
 */
public final class Json {
    /** Deep nesting is an attack, not a CRM record: no product body needs more than a few levels. */
    public static final int MAX_DEPTH = 16;
    public static final int MAX_STRING_LENGTH = 1_000_000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(64)
                    .build())
            .build();

    private Json() {}

    /** Thrown for text that is not one well-formed JSON value; the message never quotes the input. */
    public static final class SyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    public static Object parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SyntaxException("the body is empty");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            Object value = read(p, first);
            if (p.nextToken() != null) {
                throw new SyntaxException("unexpected content after the JSON value");
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new SyntaxException("the JSON exceeds a limit (nesting depth " + MAX_DEPTH
                    + ", string length or number length)");
        } catch (JsonParseException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            String reason = e.getOriginalMessage();
            if (reason != null && reason.startsWith("Duplicate field")) {
                reason = "duplicate field";
            } else {
                reason = "malformed JSON";
            }
            throw new SyntaxException(reason + where);
        } catch (IOException e) {
            throw new SyntaxException("malformed JSON");
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new SyntaxException("the body is empty");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken next;
                while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new SyntaxException("malformed JSON object");
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new SyntaxException("unterminated JSON array");
                    }
                    list.add(read(p, next));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return new BigDecimal(p.getBigIntegerValue());
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new SyntaxException("malformed JSON");
        }
    }

    public static String write(Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Instant i) {
            g.writeString(Times.format(i));
        } else if (v instanceof LocalDate d) {
            g.writeString(d.toString());
        } else if (v instanceof JsonWritable w) {
            write(g, w.toJson());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.toString());
        } else if (v instanceof Object[] arr) {
            write(g, List.of(arr));
        } else {
            throw new IllegalArgumentException("not JSON-writable: " + v.getClass().getName());
        }
    }

    /** Deep copy of a parsed tree's maps so callers can mutate safely. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                v = copy((Map<String, Object>) m);
            } else if (v instanceof List<?> l) {
                v = new ArrayList<>(l);
            }
            out.put(e.getKey(), v);
        }
        return out;
    }
}
