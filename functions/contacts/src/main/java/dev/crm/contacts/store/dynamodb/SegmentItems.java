package dev.crm.contacts.store.dynamodb;

import dev.crm.contacts.domain.Segment;
import dev.crm.shared.segment.SegmentRules;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Segment items: the rule is stored as its JSON text and parsed back on read. */
final class SegmentItems {
    private SegmentItems() {}

    static Segment read(Map<String, AttributeValue> item) {
        return new Segment(Attr.str(item, "segmentId"), Attr.str(item, "name"), Attr.str(item, "description"),
                SegmentRules.parseStored(Json.parse(Attr.str(item, "rule"))), Attr.instant(item, "createdAt"));
    }
}
