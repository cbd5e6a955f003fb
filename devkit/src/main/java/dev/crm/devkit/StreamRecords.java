package dev.crm.devkit;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Table stream events as Lambda delivers them, built from SDK items: for decoders' and workers' tests. */
public final class StreamRecords {
    private StreamRecords() {}

    /** One record; {@code oldItem} null on INSERT, {@code newItem} null on REMOVE. */
    public static DynamodbEvent change(String eventId, Instant at, Map<String, AttributeValue> oldItem,
            Map<String, AttributeValue> newItem) {
        var sr = new StreamRecord();
        Map<String, AttributeValue> keySource = newItem != null ? newItem : oldItem;
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys = new LinkedHashMap<>();
        keys.put("PK", convert(keySource.get("PK")));
        keys.put("SK", convert(keySource.get("SK")));
        sr.setKeys(keys);
        if (oldItem != null) {
            sr.setOldImage(convert(oldItem));
        }
        if (newItem != null) {
            sr.setNewImage(convert(newItem));
        }
        sr.setApproximateCreationDateTime(Date.from(at));
        sr.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
        var r = new DynamodbEvent.DynamodbStreamRecord();
        r.setEventName(oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY");
        r.setEventID(eventId);
        r.setEventSource("aws:dynamodb");
        r.setDynamodb(sr);
        var e = new DynamodbEvent();
        e.setRecords(List.of(r));
        return e;
    }

    public static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> convert(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, convert(v)));
        return out;
    }

    public static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue convert(AttributeValue v) {
        var a = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (v == null) {
            return a.withNULL(true);
        }
        if (v.s() != null) {
            a.setS(v.s());
        } else if (v.n() != null) {
            a.setN(v.n());
        } else if (v.bool() != null) {
            a.setBOOL(v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            a.setNULL(true);
        } else if (v.hasM()) {
            a.setM(convert(v.m()));
        } else if (v.hasL()) {
            a.setL(v.l().stream().map(StreamRecords::convert).toList());
        } else if (v.hasSs()) {
            a.setSS(v.ss());
        } else if (v.hasNs()) {
            a.setNS(v.ns());
        } else if (v.b() != null) {
            a.setB(v.b().asByteBuffer());
        }
        return a;
    }
}
