package dev.crm.journeys.domain;

import dev.crm.shared.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may enter again: {@code {"mode": "once"}} (a contact enters a journey once ever) or
 * {@code {"mode": "every", "minInterval": "P30D"}} (again once the interval passed since the last entry).
 */
public record Entry(boolean every, Duration minInterval) {
    public static final Entry ONCE = new Entry(false, null);

    /** Whether a contact that last entered at {@code lastEntered} (null: never) may enter at {@code now}. */
    public boolean allows(Instant lastEntered, Instant now) {
        if (lastEntered == null) {
            return true;
        }
        return every && !lastEntered.plus(minInterval).isAfter(now);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", every ? "every" : "once");
        if (every) {
            m.put("minInterval", Durations.format(minInterval));
        }
        return m;
    }

    static Entry parse(JsonObject o) {
        if (o == null) {
            return null;
        }
        o.allowOnly("mode", "minInterval");
        String mode = o.requiredLine("mode", 1, 10);
        if (mode == null) {
            return null;
        }
        if ("once".equals(mode)) {
            if (o.has("minInterval")) {
                o.violations().pointer(o.pointer("minInterval"), "only with mode every");
            }
            return ONCE;
        }
        if (!"every".equals(mode)) {
            o.violations().pointer(o.pointer("mode"), "must be once or every");
            return null;
        }
        Duration d = Durations.required(o, "minInterval", Duration.ofMinutes(1), Duration.ofDays(3660));
        return d == null ? null : new Entry(true, d);
    }
}
