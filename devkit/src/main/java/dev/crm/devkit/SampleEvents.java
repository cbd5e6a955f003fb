package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.crm.shared.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample events in {@code events/} (the same JSON API Gateway, the authorizer and the table
 * stream deliver; usable with {@code sam local invoke -e}), read into the Lambda event types.
 */
public final class SampleEvents {
    /** The placeholder tenant id samples use; tests replace it with a real one. */
    public static final String EXAMPLE_TENANT = "t_example0000000000000";

    private SampleEvents() {}

    public static Path directory() {
        return SamTemplate.locate().getParent().resolve("events");
    }

    public static List<Path> all() {
        try (Stream<Path> s = Files.walk(directory())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file, Map<String, String> replacements) {
        try {
            String text = Files.readString(file);
            // longest placeholder first: one that contains another (evt_example… holds t_example…) stays whole
            List<Map.Entry<String, String>> ordered = new java.util.ArrayList<>(replacements.entrySet());
            ordered.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
            for (var r : ordered) {
                text = text.replace(r.getKey(), r.getValue());
            }
            return (Map<String, Object>) Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isApiEvent(Map<String, Object> json) {
        return json.containsKey("httpMethod") && json.containsKey("resource") && !"REQUEST".equals(json.get("type"));
    }

    public static boolean isAuthorizerEvent(Map<String, Object> json) {
        return "REQUEST".equals(json.get("type"));
    }

    public static boolean isStreamEvent(Map<String, Object> json) {
        return json.get("Records") instanceof List<?> l && !l.isEmpty()
                && "aws:dynamodb".equals(SamTemplate.map(l.get(0)).get("eventSource"));
    }

    public static boolean isSnsEvent(Map<String, Object> json) {
        return json.get("Records") instanceof List<?> l && !l.isEmpty()
                && "aws:sns".equals(SamTemplate.map(l.get(0)).get("EventSource"));
    }

    public static boolean isScheduleEvent(Map<String, Object> json) {
        return "Scheduled Event".equals(json.get("detail-type"));
    }

    @SuppressWarnings("unchecked")
    public static APIGatewayProxyRequestEvent apiEvent(Map<String, Object> j) {
        var e = new APIGatewayProxyRequestEvent();
        e.setResource((String) j.get("resource"));
        e.setPath((String) j.get("path"));
        e.setHttpMethod((String) j.get("httpMethod"));
        e.setHeaders(strings(j.get("headers")));
        e.setMultiValueHeaders(multi(j.get("multiValueHeaders")));
        e.setQueryStringParameters(strings(j.get("queryStringParameters")));
        e.setMultiValueQueryStringParameters(multi(j.get("multiValueQueryStringParameters")));
        e.setPathParameters(strings(j.get("pathParameters")));
        e.setBody((String) j.get("body"));
        e.setIsBase64Encoded(Boolean.TRUE.equals(j.get("isBase64Encoded")));
        Map<String, Object> rc = SamTemplate.map(j.get("requestContext"));
        var ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setRequestId((String) rc.get("requestId"));
        ctx.setStage((String) rc.get("stage"));
        ctx.setResourcePath((String) rc.get("resourcePath"));
        ctx.setHttpMethod((String) rc.get("httpMethod"));
        ctx.setPath((String) rc.get("path"));
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        Map<String, Object> id = SamTemplate.map(rc.get("identity"));
        identity.setSourceIp((String) id.get("sourceIp"));
        identity.setUserAgent((String) id.get("userAgent"));
        ctx.setIdentity(identity);
        if (rc.get("authorizer") instanceof Map<?, ?> a) {
            ctx.setAuthorizer(new LinkedHashMap<>((Map<String, Object>) a));
        }
        e.setRequestContext(ctx);
        return e;
    }

    public static APIGatewayCustomAuthorizerEvent authorizerEvent(Map<String, Object> j) {
        var e = new APIGatewayCustomAuthorizerEvent();
        e.setType((String) j.get("type"));
        e.setMethodArn((String) j.get("methodArn"));
        e.setResource((String) j.get("resource"));
        e.setPath((String) j.get("path"));
        e.setHttpMethod((String) j.get("httpMethod"));
        e.setHeaders(strings(j.get("headers")));
        e.setQueryStringParameters(strings(j.get("queryStringParameters")));
        e.setPathParameters(strings(j.get("pathParameters")));
        return e;
    }

    /** What the table stream delivers to a worker when the job item with this key is queued (keys only). */
    public static DynamodbEvent jobQueued(String pk) {
        var record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        var sr = new StreamRecord();
        sr.setKeys(Map.of("PK", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS(pk),
                "SK", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS(
                        dev.crm.shared.store.dynamodb.Keys.ITEM)));
        record.setDynamodb(sr);
        var e = new DynamodbEvent();
        e.setRecords(List.of(record));
        return e;
    }

    public static DynamodbEvent streamEvent(Map<String, Object> j) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (Object o : SamTemplate.list(j.get("Records"))) {
            Map<String, Object> r = SamTemplate.map(o);
            var record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventName((String) r.get("eventName"));
            record.setEventID((String) r.get("eventID"));
            record.setEventSource((String) r.get("eventSource"));
            Map<String, Object> d = SamTemplate.map(r.get("dynamodb"));
            var sr = new StreamRecord();
            sr.setKeys(image(d.get("Keys")));
            if (d.get("NewImage") != null) {
                sr.setNewImage(image(d.get("NewImage")));
            }
            record.setDynamodb(sr);
            records.add(record);
        }
        var e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private static Map<String, AttributeValue> image(Object o) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (var e : SamTemplate.map(o).entrySet()) {
            Map<String, Object> typed = SamTemplate.map(e.getValue());
            var a = new AttributeValue();
            if (typed.get("S") != null) {
                a.setS((String) typed.get("S"));
            } else if (typed.get("N") != null) {
                a.setN(String.valueOf(typed.get("N")));
            } else if (typed.get("BOOL") != null) {
                a.setBOOL((Boolean) typed.get("BOOL"));
            }
            out.put(e.getKey(), a);
        }
        return out;
    }

    private static Map<String, String> strings(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return out;
    }

    private static Map<String, List<String>> multi(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), SamTemplate.list(v).stream().map(String::valueOf).toList()));
        return out;
    }
}
