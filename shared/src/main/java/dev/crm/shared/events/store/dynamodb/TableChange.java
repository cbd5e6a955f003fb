package dev.crm.shared.events.store.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One table stream record, with its images in the SDK's attribute type so adapters map them with
 * the schemas they already have (the stream's view is {@code NEW_AND_OLD_IMAGES}).
 *
 * @param changeId      the stream record's id: the same on every delivery of the record
 * @param kind          INSERT, MODIFY or REMOVE
 * @param approximateAt when the stream saw the change (second precision on AWS)
 * @param oldImage      the item before (empty on INSERT)
 * @param newImage      the item after (empty on REMOVE)
 * @param sequenceNumber the record's place in its shard: what a partial batch response names (null when
 *                       built without one)
 */
public record TableChange(String changeId, String kind, Instant approximateAt, Map<String, AttributeValue> oldImage,
        Map<String, AttributeValue> newImage, String sequenceNumber) {

    /** A change without a sequence number (decoders' tests; nothing reports it as a failure). */
    public TableChange(String changeId, String kind, Instant approximateAt, Map<String, AttributeValue> oldImage,
            Map<String, AttributeValue> newImage) {
        this(changeId, kind, approximateAt, oldImage, newImage, null);
    }

    /**
     * The partial batch response ({@code ReportBatchItemFailures}) of a batch that stopped at
     * {@code failed}: Lambda retries the shard from that record's sequence number. Not its event id: an
     * identifier that names no record makes Lambda retry the whole batch, the records done before it too.
     *
     * @param failed the first record not done, or null when the whole batch was done
     */
    public static StreamsEventResponse retryFrom(TableChange failed) {
        List<StreamsEventResponse.BatchItemFailure> failures = failed == null ? List.of()
                : List.of(new StreamsEventResponse.BatchItemFailure(failed.sequenceNumber()));
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    public boolean isInsert() {
        return "INSERT".equals(kind);
    }

    public boolean isModify() {
        return "MODIFY".equals(kind);
    }

    public boolean isRemove() {
        return "REMOVE".equals(kind);
    }

    /** The string attribute of the new image (or of the old one on REMOVE). */
    public String s(String name) {
        return s(isRemove() ? oldImage : newImage, name);
    }

    public String oldS(String name) {
        return s(oldImage, name);
    }

    public String newS(String name) {
        return s(newImage, name);
    }

    private static String s(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        return v == null ? null : v.s();
    }

    public static List<TableChange> of(DynamodbEvent event) {
        List<TableChange> out = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return out;
        }
        for (var r : event.getRecords()) {
            var d = r.getDynamodb();
            if (d == null) {
                continue;
            }
            Instant at = d.getApproximateCreationDateTime() == null ? Instant.EPOCH
                    : d.getApproximateCreationDateTime().toInstant();
            out.add(new TableChange(r.getEventID(), r.getEventName(), at, convert(d.getOldImage()),
                    convert(d.getNewImage()), d.getSequenceNumber()));
        }
        return out;
    }

    static Map<String, AttributeValue> convert(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        if (image != null) {
            image.forEach((k, v) -> out.put(k, convert(v)));
        }
        return out;
    }

    static AttributeValue convert(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (Boolean.TRUE.equals(v.getNULL())) {
            return AttributeValue.fromNul(true);
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(convert(v.getM()));
        }
        if (v.getL() != null) {
            return AttributeValue.fromL(v.getL().stream().map(TableChange::convert).toList());
        }
        if (v.getB() != null) {
            return AttributeValue.fromB(SdkBytes.fromByteBuffer(v.getB()));
        }
        if (v.getSS() != null) {
            return AttributeValue.fromSs(v.getSS());
        }
        if (v.getNS() != null) {
            return AttributeValue.fromNs(v.getNS());
        }
        return AttributeValue.fromNul(true);
    }
}
