package dev.crm.contacts.domain;

import dev.crm.shared.segment.SegmentRule;
import dev.crm.shared.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named rule over contacts; membership is evaluated when it is listed, so it is always current. */
public record Segment(String id, String name, String description, SegmentRule rule, Instant createdAt) {
    public static final String ID_PREFIX = "seg_";
    public static final int MAX_PER_TENANT = 100;

    public record Draft(String name, String description, SegmentRule rule) {}

    public static Draft read(JsonObject body) {
        body.allowOnly("name", "description", "rule");
        String name = body.requiredLine("name", 1, 100);
        String description = body.optionalString("description", 1, 1000);
        SegmentRule rule = null;
        if (!body.has("rule") || body.isNull("rule")) {
            body.violations().pointer("/rule", "required");
        } else {
            rule = SegmentRule.parse(body.raw().get("rule"), "/rule", body.violations());
        }
        return new Draft(name, description, rule);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("description", description);
        m.put("rule", rule.toJson());
        m.put("createdAt", createdAt);
        return m;
    }
}
