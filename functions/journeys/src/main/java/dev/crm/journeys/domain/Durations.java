package dev.crm.journeys.domain;

import dev.crm.shared.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** ISO 8601 durations of days, hours and minutes ({@code P2D}, {@code PT1M}, {@code P1DT12H}). */
final class Durations {
    private Durations() {}

    static Duration parse(String text) {
        try {
            Duration d = Duration.parse(text);
            return d.isNegative() || d.getSeconds() % 60 != 0 || d.getNano() != 0 ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Duration required(JsonObject o, String field, Duration min, Duration max) {
        String text = o.requiredLine(field, 2, 40);
        if (text == null) {
            return null;
        }
        Duration d = parse(text);
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            o.violations().pointer(o.pointer(field), "must be an ISO 8601 duration in whole minutes from "
                    + format(min) + " to " + format(max) + " (days, hours, minutes: P2D, PT12H, PT1M)");
            return null;
        }
        return d;
    }

    static String format(Duration d) {
        if (d.toMinutesPart() == 0 && d.toHoursPart() == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }
}
