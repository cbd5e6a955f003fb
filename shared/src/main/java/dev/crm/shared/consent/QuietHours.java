package dev.crm.shared.consent;

import dev.crm.shared.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Local times of day at which the contact does not want marketing: {@code [start, end)} on the wall
 * clock of the contact's own time zone, wrapping midnight when {@code end < start} (21:00–08:00).
 * Minute precision, wire {@code {"start": "21:00", "end": "08:00"}}.
 *
 * <p>Quiet-ness is a property of the local time alone, so across a DST overlap a repeated local time
 * is quiet (or not) both times, and local times that a DST gap skips are never reached.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.getSecond() != 0 || start.getNano() != 0 || end.getSecond() != 0 || end.getNano() != 0) {
            throw new IllegalArgumentException("quiet hours have minute precision");
        }
        if (start.equals(end)) {
            throw new IllegalArgumentException("quiet hours must start and end at different times");
        }
    }

    public static QuietHours of(String start, String end) {
        return new QuietHours(LocalTime.parse(start), LocalTime.parse(end));
    }

    /** Whether a wall-clock time falls in {@code [start, end)}. */
    public boolean contains(LocalTime time) {
        if (start.isBefore(end)) {
            return !time.isBefore(start) && time.isBefore(end);
        }
        return !time.isBefore(start) || time.isBefore(end);
    }

    public boolean isQuietAt(Instant at, ZoneId zone) {
        return contains(at.atZone(zone).toLocalTime());
    }

    /**
     * The first instant after {@code at} whose local time is outside the quiet hours; only meaningful
     * when {@code at} is quiet. Normally that is the next local {@code end}; but a DST transition can
     * jump the wall clock out of the quiet hours earlier: forward over {@code end} (a gap), or backward
     * before {@code start} (an overlap, as in America/New_York's 02:00 → 01:00).
     */
    public Instant endAfter(Instant at, ZoneId zone) {
        Instant candidate = nextLocalTime(end, at, zone);
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition t = rules.nextTransition(at);
                t != null && t.getInstant().isBefore(candidate);
                t = rules.nextTransition(t.getInstant())) {
            if (!contains(t.getDateTimeAfter().toLocalTime())) {
                return t.getInstant();
            }
        }
        return candidate;
    }

    /**
     * The earliest instant after {@code at} at which the wall clock reads {@code time} or, where a DST gap
     * skips {@code time}, the instant the clock jumps over it. In an overlap the earlier of the two
     * instants that are still after {@code at} wins.
     */
    public static Instant nextLocalTime(LocalTime time, Instant at, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        LocalDate day = at.atZone(zone).toLocalDate().minusDays(1);
        Instant best = null;
        for (int i = 0; i < 4 && best == null; i++, day = day.plusDays(1)) {
            LocalDateTime local = day.atTime(time);
            var offsets = rules.getValidOffsets(local);
            if (offsets.isEmpty()) {
                Instant jump = rules.getTransition(local).getInstant();
                if (jump.isAfter(at)) {
                    best = jump;
                }
                continue;
            }
            for (ZoneOffset offset : offsets) {
                Instant instant = local.toInstant(offset);
                if (instant.isAfter(at) && (best == null || instant.isBefore(best))) {
                    best = instant;
                }
            }
        }
        return best;
    }

    /** Reads a quiet-hours object; problems go to the object's violations and the result is then null. */
    public static QuietHours parse(JsonObject o) {
        o.allowOnly("start", "end");
        LocalTime start = time(o, "start");
        LocalTime end = time(o, "end");
        if (start == null || end == null) {
            return null;
        }
        if (start.equals(end)) {
            o.violations().pointer(o.pointer("end"), "must differ from start (quiet hours cannot be empty or the whole day)");
            return null;
        }
        return new QuietHours(start, end);
    }

    private static LocalTime time(JsonObject o, String field) {
        String text = o.requiredLine(field, 1, 16);
        if (text == null) {
            return null;
        }
        if (!HH_MM.matcher(text).matches()) {
            o.violations().pointer(o.pointer(field), "must be a 24-hour time HH:mm, e.g. 21:00");
            return null;
        }
        return LocalTime.parse(text);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", start.toString());
        m.put("end", end.toString());
        return m;
    }
}
