package dev.crm.bench.launch;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a sample event's JSON into the type the handler's {@code handleRequest} declares, field for
 * field as dev.crm.devkit.SampleEvents does (Lambda's runtime does this with its own serializer
 * before calling the handler). Unknown types get the parsed tree, the raw text or a stream.
 */
public final class EventDecoder {
    private EventDecoder() {}

    public static Object decode(String text, Class<?> type) {
        if (type == String.class) {
            return text;
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        }
        Object tree = MiniJson.parse(text);
        String name = type.getName();
        switch (name) {
            case "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent":
                return api(map(tree));
            case "com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent":
                return authorizer(map(tree));
            case "com.amazonaws.services.lambda.runtime.events.DynamodbEvent":
                return stream(map(tree));
            case "com.amazonaws.services.lambda.runtime.events.ScheduledEvent":
                return scheduled(map(tree));
            case "com.amazonaws.services.lambda.runtime.events.SNSEvent":
                return sns(map(tree));
            case "com.amazonaws.services.lambda.runtime.events.SQSEvent":
                return sqs(map(tree));
            default:
                return tree; // Map / Object handlers
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static APIGatewayProxyRequestEvent api(Map<String, Object> j) {
        var e = new APIGatewayProxyRequestEvent();
        e.setResource((String) j.get("resource"));
        e.setPath((String) j.get("path"));
        e.setHttpMethod((String) j.get("httpMethod"));
        e.setHeaders(strings(j.get("headers")));
        e.setMultiValueHeaders(multi(j.get("multiValueHeaders")));
        e.setQueryStringParameters(strings(j.get("queryStringParameters")));
        e.setMultiValueQueryStringParameters(multi(j.get("multiValueQueryStringParameters")));
        e.setPathParameters(strings(j.get("pathParameters")));
        e.setStageVariables(strings(j.get("stageVariables")));
        e.setBody((String) j.get("body"));
        e.setIsBase64Encoded(Boolean.TRUE.equals(j.get("isBase64Encoded")));
        Map<String, Object> rc = map(j.get("requestContext"));
        var ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setAccountId((String) rc.get("accountId"));
        ctx.setApiId((String) rc.get("apiId"));
        ctx.setRequestId((String) rc.get("requestId"));
        ctx.setStage((String) rc.get("stage"));
        ctx.setResourcePath((String) rc.get("resourcePath"));
        ctx.setHttpMethod((String) rc.get("httpMethod"));
        ctx.setPath((String) rc.get("path"));
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        Map<String, Object> id = map(rc.get("identity"));
        identity.setSourceIp((String) id.get("sourceIp"));
        identity.setUserAgent((String) id.get("userAgent"));
        ctx.setIdentity(identity);
        if (rc.get("authorizer") instanceof Map<?, ?>) {
            ctx.setAuthorizer(new LinkedHashMap<>(map(rc.get("authorizer"))));
        }
        e.setRequestContext(ctx);
        return e;
    }

    private static APIGatewayCustomAuthorizerEvent authorizer(Map<String, Object> j) {
        var e = new APIGatewayCustomAuthorizerEvent();
        e.setType((String) j.get("type"));
        e.setMethodArn((String) j.get("methodArn"));
        e.setResource((String) j.get("resource"));
        e.setPath((String) j.get("path"));
        e.setHttpMethod((String) j.get("httpMethod"));
        e.setHeaders(strings(j.get("headers")));
        e.setQueryStringParameters(strings(j.get("queryStringParameters")));
        e.setPathParameters(strings(j.get("pathParameters")));
        e.setStageVariables(strings(j.get("stageVariables")));
        return e;
    }

    private static DynamodbEvent stream(Map<String, Object> j) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (Object o : list(j.get("Records"))) {
            Map<String, Object> r = map(o);
            var record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventName((String) r.get("eventName"));
            record.setEventID((String) r.get("eventID"));
            record.setEventSource((String) r.get("eventSource"));
            record.setEventSourceARN((String) r.get("eventSourceARN"));
            record.setAwsRegion((String) r.get("awsRegion"));
            Map<String, Object> d = map(r.get("dynamodb"));
            var sr = new StreamRecord();
            sr.setKeys(image(d.get("Keys")));
            if (d.get("NewImage") != null) {
                sr.setNewImage(image(d.get("NewImage")));
            }
            if (d.get("OldImage") != null) {
                sr.setOldImage(image(d.get("OldImage")));
            }
            record.setDynamodb(sr);
            records.add(record);
        }
        var e = new DynamodbEvent();
        e.setRecords(records);
        return e;
    }

    private static ScheduledEvent scheduled(Map<String, Object> j) {
        // time (a joda DateTime) is left unset: the product excludes joda-time from its artifacts.
        var e = new ScheduledEvent();
        e.setId((String) j.get("id"));
        e.setDetailType((String) j.get("detail-type"));
        e.setSource((String) j.get("source"));
        e.setAccount((String) j.get("account"));
        e.setRegion((String) j.get("region"));
        List<String> resources = new ArrayList<>();
        for (Object o : list(j.get("resources"))) {
            resources.add(String.valueOf(o));
        }
        e.setResources(resources);
        e.setDetail(new LinkedHashMap<>(map(j.get("detail"))));
        return e;
    }

    /** SNS: the timestamp (a joda DateTime) is left unset, as the sample reader does. */
    private static SNSEvent sns(Map<String, Object> j) {
        List<SNSEvent.SNSRecord> records = new ArrayList<>();
        for (Object o : list(j.get("Records"))) {
            Map<String, Object> r = map(o);
            Map<String, Object> m = map(r.get("Sns"));
            var s = new SNSEvent.SNS();
            s.setType((String) m.get("Type"));
            s.setMessageId((String) m.get("MessageId"));
            s.setTopicArn((String) m.get("TopicArn"));
            s.setSubject((String) m.get("Subject"));
            s.setMessage((String) m.get("Message"));
            var record = new SNSEvent.SNSRecord();
            record.setEventSource((String) r.get("EventSource"));
            record.setEventVersion((String) r.get("EventVersion"));
            record.setEventSubscriptionArn((String) r.get("EventSubscriptionArn"));
            record.setSns(s);
            records.add(record);
        }
        var e = new SNSEvent();
        e.setRecords(records);
        return e;
    }

    private static SQSEvent sqs(Map<String, Object> j) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Object o : list(j.get("Records"))) {
            Map<String, Object> r = map(o);
            var m = new SQSEvent.SQSMessage();
            m.setMessageId((String) r.get("messageId"));
            m.setReceiptHandle((String) r.get("receiptHandle"));
            m.setBody((String) r.get("body"));
            m.setEventSource((String) r.get("eventSource"));
            m.setEventSourceArn((String) r.get("eventSourceARN"));
            m.setAwsRegion((String) r.get("awsRegion"));
            m.setAttributes(strings(r.get("attributes")));
            records.add(m);
        }
        var e = new SQSEvent();
        e.setRecords(records);
        return e;
    }

    private static Map<String, AttributeValue> image(Object o) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (var e : map(o).entrySet()) {
            Map<String, Object> typed = map(e.getValue());
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
        m.forEach((k, v) -> {
            List<String> values = new ArrayList<>();
            for (Object x : list(v)) {
                values.add(String.valueOf(x));
            }
            out.put(String.valueOf(k), values);
        });
        return out;
    }
}
