package dev.crm.shared.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's business hours: a time zone, per weekday the local wall-clock intervals the service desk
 * works (possibly several a day, possibly none), and holiday dates (no business time at all).
 *
 * <p>Business time is the set of instants whose local date (in {@link #zone()}) is not a holiday and whose
 * local time of day falls in one of that weekday's intervals. On a DST change the intervals stay
 * wall-clock times: a 09:00–17:00 day is 8 h; an interval that contains the spring-forward gap is an hour
 * shorter, one that contains the fall-back overlap an hour longer (the repeated hour counts twice, as it
 * really passes twice).
 */
public record BusinessCalendar(ZoneId zone, Map<DayOfWeek, List<Hours>> weeklyHours, Set<LocalDate> holidays) {

    /** One interval of a day, {@code [start, end)} in minutes after local midnight; end may be 1440 ("24:00"). */
    public record Hours(int startMinute, int endMinute) {
        public Hours {
            if (startMinute < 0 || endMinute > 1440 || startMinute >= endMinute) {
                throw new IllegalArgumentException("an interval starts before it ends, within 00:00 to 24:00");
            }
        }

        /** @param start {@code HH:mm}; @param end {@code HH:mm} or {@code 24:00} */
        public static Hours of(String start, String end) {
            return new Hours(parseMinute(start, false), parseMinute(end, true));
        }

        /** @return the minute of day of {@code HH:mm}, 1440 for {@code 24:00} when allowed; -1 when not a time */
        public static int parseMinute(String text, boolean allowEndOfDay) {
            if (text == null || !text.matches("[0-2][0-9]:[0-5][0-9]")) {
                return -1;
            }
            int h = Integer.parseInt(text.substring(0, 2));
            int m = Integer.parseInt(text.substring(3));
            if (h == 24 && m == 0 && allowEndOfDay) {
                return 1440;
            }
            return h < 24 ? h * 60 + m : -1;
        }

        public String startText() {
            return text(startMinute);
        }

        public String endText() {
            return text(endMinute);
        }

        private static String text(int minute) {
            return String.format("%02d:%02d", minute / 60, minute % 60);
        }
    }

    /** A stretch of real time, {@code [from, to)}. */
    record Period(Instant from, Instant to) {
    }

    public BusinessCalendar {
        Map<DayOfWeek, List<Hours>> copy = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            List<Hours> hours = new ArrayList<>(weeklyHours.getOrDefault(d, List.of()));
            hours.sort(Comparator.comparingInt(Hours::startMinute));
            for (int i = 1; i < hours.size(); i++) {
                if (hours.get(i).startMinute() < hours.get(i - 1).endMinute()) {
                    throw new IllegalArgumentException("the intervals of " + d + " overlap");
                }
            }
            copy.put(d, List.copyOf(hours));
        }
        weeklyHours = Map.copyOf(copy);
        holidays = Set.copyOf(holidays);
    }

    /** Monday to Friday 09:00–17:00 in {@code zone}, no holidays: the default of a tenant that set none. */
    public static BusinessCalendar defaultFor(ZoneId zone) {
        Map<DayOfWeek, List<Hours>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d, d.getValue() <= 5 ? List.of(new Hours(9 * 60, 17 * 60)) : List.of());
        }
        return new BusinessCalendar(zone, hours, Set.of());
    }

    /** @return whether any weekday has hours (otherwise a business clock never runs) */
    public boolean hasHours() {
        return weeklyHours.values().stream().anyMatch(l -> !l.isEmpty());
    }

    /** @return the business periods of one local date, in order; none on holidays and days without hours */
    List<Period> periods(LocalDate date) {
        if (holidays.contains(date)) {
            return List.of();
        }
        List<Period> out = new ArrayList<>();
        for (Hours h : weeklyHours.get(date.getDayOfWeek())) {
            Instant from = at(date, h.startMinute());
            Instant to = at(date, h.endMinute());
            if (from.isBefore(to)) {
                out.add(new Period(from, to));
            }
        }
        return out;
    }

    /**
     * The first instant at or after local {@code minute} of {@code date}. ZonedDateTime.of moves a time in
     * the spring-forward gap to after the gap and picks the earlier offset in the fall-back overlap, which
     * is exactly where a wall-clock interval begins or ends.
     */
    private Instant at(LocalDate date, int minute) {
        if (minute == 1440) {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
        return ZonedDateTime.of(date, LocalTime.of(minute / 60, minute % 60), zone).toInstant();
    }

    LocalDate localDate(Instant t) {
        return t.atZone(zone).toLocalDate();
    }
}
