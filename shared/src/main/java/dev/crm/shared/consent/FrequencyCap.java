package dev.crm.shared.consent;

import dev.crm.shared.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code max} messages on a channel in any rolling window of {@code periodDays} days. Wire:
 * {@code {"max": 3, "period": "P7D"}}.
 *
 * <p>A day is 24 hours here: the window {@code (at − period, at]} is measured on the instant line, so a
 * DST change neither stretches nor shrinks it. Periods are whole days only: weeks and months are not
 * fixed lengths everyone agrees on, and sub-day caps are not what this product's senders need.
 */
public record FrequencyCap(int max, int periodDays) {
    public static final int MIN_MAX = 1;
    public static final int MAX_MAX = 1000;
    public static final int MIN_PERIOD_DAYS = 1;
    public static final int MAX_PERIOD_DAYS = 366;

    private static final Pattern PERIOD = Pattern.compile("P([1-9][0-9]{0,2})D");
    private static final String PERIOD_RULE = "must be a whole number of days from P" + MIN_PERIOD_DAYS + "D to P"
            + MAX_PERIOD_DAYS + "D, e.g. P7D (weeks, months and hours are not accepted)";

    public FrequencyCap {
        if (max < MIN_MAX || max > MAX_MAX) {
            throw new IllegalArgumentException("max must be between " + MIN_MAX + " and " + MAX_MAX);
        }
        if (periodDays < MIN_PERIOD_DAYS || periodDays > MAX_PERIOD_DAYS) {
            throw new IllegalArgumentException("the period " + PERIOD_RULE);
        }
    }

    public Duration period() {
        return Duration.ofDays(periodDays);
    }

    /** The ISO 8601 form, e.g. {@code P7D}. */
    public String periodWire() {
        return "P" + periodDays + "D";
    }

    /** @return the number of days, or null when the text is not {@code P<days>D} within the limits */
    public static Integer parsePeriod(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PERIOD.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int days = Integer.parseInt(m.group(1));
        return days >= MIN_PERIOD_DAYS && days <= MAX_PERIOD_DAYS ? days : null;
    }

    /** Reads a cap object; problems go to the object's violations and the result is then null. */
    public static FrequencyCap parse(JsonObject o) {
        o.allowOnly("max", "period");
        Long max = o.requiredLong("max", MIN_MAX, MAX_MAX);
        Integer days = null;
        if (!o.has("period") || o.isNull("period")) {
            o.violations().pointer(o.pointer("period"), "required");
        } else if (!(o.raw().get("period") instanceof String text)) {
            o.violations().pointer(o.pointer("period"), "must be a string, e.g. P7D");
        } else {
            days = parsePeriod(text);
            if (days == null) {
                o.violations().pointer(o.pointer("period"), PERIOD_RULE);
            }
        }
        return max == null || days == null ? null : new FrequencyCap(max.intValue(), days);
    }

    /** The tenant's default caps as consent types (the settings hold them by channel wire name). */
    public static Map<Channel, FrequencyCap> tenantDefaults(dev.crm.shared.tenant.TenantSettings settings) {
        Map<Channel, FrequencyCap> caps = new java.util.EnumMap<>(Channel.class);
        settings.defaultFrequencyCaps().forEach((channel, cap) ->
                caps.put(Channel.fromWire(channel), new FrequencyCap(cap.max(), cap.periodDays())));
        return caps;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max", max);
        m.put("period", periodWire());
        return m;
    }
}
