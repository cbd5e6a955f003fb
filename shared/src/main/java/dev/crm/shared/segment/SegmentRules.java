package dev.crm.shared.segment;

import dev.crm.shared.json.Violations;

/** Entry points for parsing rules outside a request body. */
public final class SegmentRules {
    private SegmentRules() {}

    /** Parses a rule the product stored itself; it was validated when it was created. */
    public static SegmentRule parseStored(Object json) {
        Violations v = new Violations();
        SegmentRule r = SegmentRule.parse(json, "/rule", v);
        if (r == null) {
            throw new IllegalStateException("stored segment rule no longer parses");
        }
        return r;
    }
}
