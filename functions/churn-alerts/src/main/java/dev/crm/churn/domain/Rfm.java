package dev.crm.churn.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer's RFM quintiles within the tenant (5 = the most recent, most frequent, highest-spending
 * fifth): {@code score} is their sum, 3..15. Computed by the run from {@link RfmQuintiles}.
 */
public record Rfm(int r, int f, int m) {

    public int score() {
        return r + f + m;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("r", (long) r);
        out.put("f", (long) f);
        out.put("m", (long) m);
        out.put("score", (long) score());
        return out;
    }
}
